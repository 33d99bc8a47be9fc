// The in-meeting roster: polls Rollcall's own roster endpoint with the short-lived token the page
// was given (renewed on each answer). The Zoom Apps SDK is configured when running inside Zoom;
// the roster itself comes from Rollcall, so it works for co-facilitators who are not the host.
import zoomSdk from './sdk.js';

const LABELS = { joined: 'In meeting', late: 'Late', not_joined: 'Not joined', waiting_room: 'Waiting room', left_early: 'Left early', left: 'Left', excused: 'Excused' };
const meta = document.querySelector('meta[name="rollcall-panel-token"]');
let token = meta ? meta.getAttribute('content') : null;
const list = document.getElementById('roster');
const updated = document.getElementById('updated');

if (token) {
  zoomSdk.config({ capabilities: ['getRunningContext', 'getMeetingUUID'] }).catch(() => {});
  const render = (rows) => {
    list.replaceChildren(
      ...rows.map((row) => {
        const item = document.createElement('li');
        item.dataset.state = row.state;
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = row.label;
        const state = document.createElement('span');
        state.className = `state state-${row.state}`;
        state.textContent = LABELS[row.state] || row.state;
        item.append(name, state);
        return item;
      }),
    );
  };
  const poll = async () => {
    try {
      const response = await fetch('/zoom/panel/roster', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
      if (response.status === 401) {
        updated.textContent = 'This panel has expired. Close and reopen it.';
        return;
      }
      if (response.ok) {
        const body = await response.json();
        token = body.token;
        render(body.rows);
        updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      }
    } catch {
      updated.textContent = 'Reconnecting…';
    }
    setTimeout(poll, 2000);
  };
  poll();
}
