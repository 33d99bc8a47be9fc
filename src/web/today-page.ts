import type { UnrecognizedJoiner } from '../services/attendance-read.js';
import type { BoardRow, BoardSession } from '../services/today-board.js';
import { formatMinutes, formatTime } from './format.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';
import { FLAG_TEXT, statusBadge } from './status-style.js';

const STATE_TEXT = { live: 'Live now', upcoming: 'Upcoming', ended: 'Ended' };

export interface BoardOptions {
  csrfToken: string;
  /** Viewers read only: they see who is unrecognized but not the "This is…" form. */
  canLink: boolean;
}

/** "5 of 8 here" while it runs, "6 of 8 came" after, "8 expected" before; and who waits to be let in now. */
function sessionCounts(session: BoardSession): string {
  const expected = session.roster.length;
  const waiting = session.roster.filter((row) => row.waitingSince).length;
  const parts =
    session.state === 'upcoming'
      ? [`${expected} expected`]
      : [`${session.hereCount} of ${expected} ${session.state === 'live' ? 'here' : 'came'}`];
  if (session.state === 'live' && waiting > 0) parts.push(`${waiting} waiting to be let in`);
  if (session.unrecognized.length > 0) parts.push(`${session.unrecognized.length} not recognized`);
  return parts.join(' · ');
}

/** When they came and, if gone, when they left: "18:02", "18:02, left 19:40". */
function joinedText(row: BoardRow, session: BoardSession): string {
  if (!row.firstJoinAt) return '–';
  const joined = formatTime(row.firstJoinAt, session.timezone);
  return !row.presentNow && row.lastLeaveAt ? `${joined}, left ${formatTime(row.lastLeaveAt, session.timezone)}` : joined;
}

/** Status, then what is true now in the present tense ("waiting to be let in since 10:02"), then the flags. */
function statusCell(row: BoardRow, session: BoardSession): Html {
  const waitingNow = row.waitingSince && session.state === 'live';
  const late = row.status === 'late' && row.firstJoinAt ? [`${Math.max(1, Math.floor((row.firstJoinAt.getTime() - session.startsAt.getTime()) / 60_000))} min late`] : [];
  const flags = [...late, ...row.flags.filter((f) => f !== 'late' && f !== 'unmatched_identity' && !(waitingNow && f === 'waiting_room')).map((f) => FLAG_TEXT[f] ?? f.replace(/_/g, ' '))];
  return html`${statusBadge(row.status)}${waitingNow ? html` <span class="waiting-now">waiting to be let in since ${formatTime(row.waitingSince!, session.timezone)}</span>` : ''}${flags.length ? html` <span class="muted">${flags.join(', ')}</span>` : ''}`;
}

function renderUnrecognized(session: BoardSession, options: BoardOptions): Html | '' {
  if (session.unrecognized.length === 0) return '';
  const people = [...session.roster].sort((a, b) => a.name.localeCompare(b.name));
  return html`<div class="unrecognized">
    <h3 id="u-${session.id}">Joined but not recognized (${session.unrecognized.length})</h3>
    <p class="muted">${options.canLink ? 'Say who each one is: Rollcall learns the name and recognizes them from now on.' : 'An owner, admin or facilitator can say who each one is.'}</p>
    <ul>${session.unrecognized.map((person: UnrecognizedJoiner, i) => {
      const id = `link-${session.id}-${i}`;
      const name = person.displayName ?? 'Someone without a name';
      return html`<li><span class="joiner">${name}</span>${person.firstJoinAt ? html` <span class="muted">joined ${formatTime(person.firstJoinAt, session.timezone)}</span>` : ''}
        ${options.canLink && people.length > 0
          ? html`<form method="post" action="/today/sessions/${session.id}/link" class="inline-form link-form">
              ${csrfField(options.csrfToken)}
              <input type="hidden" name="personKey" value="${person.personKey}">
              <label for="${id}">This is…</label>
              <select id="${id}" name="participantId" required>
                <option value="">Choose who</option>
                ${people.map((p) => html`<option value="${p.participantId}">${p.name}</option>`)}
              </select>
              <button type="submit" class="small">Link</button>
            </form>`
          : ''}</li>`;
    })}</ul>
  </div>`;
}

/** The part of Today that the page swaps in when a session's attendance changes. */
export function renderTodayBoard(sessions: BoardSession[], options: BoardOptions): Html {
  if (sessions.length === 0) return html`<p class="muted">No sessions today.</p>`;
  return html`<div class="today-sessions">${sessions.map(
    (session) => html`<section class="session-block" data-session-id="${session.id}" aria-labelledby="s-${session.id}">
      <h2 id="s-${session.id}">${session.programName}, ${formatTime(session.startsAt, session.timezone)}–${formatTime(session.endsAt, session.timezone)}
        <span class="badge ${session.state}">${STATE_TEXT[session.state]}</span></h2>
      <p class="session-count"><strong>${sessionCounts(session)}</strong> · <a href="/programs/${session.programId}">Program attendance</a></p>
      ${renderUnrecognized(session, options)}
      ${session.roster.length === 0
        ? html`<p class="muted">No one is enrolled.</p>`
        : html`<div class="table-scroll" role="region" aria-labelledby="s-${session.id}" tabindex="0"><table class="roster">
          <thead><tr><th scope="col">Participant</th><th scope="col">Status</th><th scope="col">Joined</th><th scope="col" class="num">Minutes</th></tr></thead>
          <tbody>${session.roster.map(
            (row) => html`<tr data-participant-id="${row.participantId}">
              <th scope="row"><a href="/participants/${row.participantId}">${row.name}</a></th>
              <td>${statusCell(row, session)}</td>
              <td class="joined">${joinedText(row, session)}</td>
              <td class="num">${formatMinutes(row.minutesPresent)}</td>
            </tr>`,
          )}</tbody></table></div>`}
    </section>`,
  )}</div>`;
}

export function renderTodayPage(sessions: BoardSession[], options: BoardOptions & { linked?: boolean }): Html {
  return renderPage({
    title: 'Today',
    section: 'today',
    csrfToken: options.csrfToken,
    body: html`<h1>Today</h1>
      ${options.linked ? html`<p class="notice" role="status">Linked. Rollcall will recognize them by that name from now on.</p>` : ''}
      <p class="muted">Counts and statuses update as people join and leave. <span id="live-status" role="status" aria-live="polite"></span></p>
      <div id="board">${renderTodayBoard(sessions, options)}</div>`,
  });
}
