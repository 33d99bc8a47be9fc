import type { OpenFollowUp } from '../services/follow-ups.js';
import type { DeliveryProblem } from '../services/delivery-problems.js';
import { formatDateTime } from './format.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';

const DONE_TEXT: Record<string, string> = { assign: 'Follow-up assigned.', complete: 'Follow-up marked done.', dismiss: 'Follow-up dismissed.', gone: 'That follow-up is no longer open.' };

export function renderFollowUpsPage(data: { followUps: OpenFollowUp[]; problems: DeliveryProblem[]; timezone: string; csrfToken: string; done?: string }): Html {
  const { csrfToken } = data;
  return renderPage({
    title: 'Follow-ups',
    section: 'follow-ups',
    csrfToken,
    body: html`<h1>Follow-ups</h1>
      ${data.done && DONE_TEXT[data.done] ? html`<p class="notice" role="status">${DONE_TEXT[data.done]}</p>` : ''}
      ${data.followUps.length === 0
        ? html`<p class="muted">The queue is empty.</p>`
        : html`<div class="table-scroll" role="region" aria-label="Open follow-ups" tabindex="0"><table>
          <thead><tr><th scope="col">Participant</th><th scope="col">Program</th><th scope="col">Kind</th><th scope="col">Opened</th><th scope="col">Assigned to</th><th scope="col">Actions</th></tr></thead>
          <tbody>${data.followUps.map(
            (f) => html`<tr data-follow-up-id="${f.id}">
              <th scope="row"><a href="/participants/${f.participantId}">${f.participantName}</a></th>
              <td>${f.programName}</td>
              <td>${f.kind.replace(/_/g, ' ')}</td>
              <td>${formatDateTime(f.createdAt, f.programTimezone)}</td>
              <td>${f.assignee ?? html`<span class="muted">unassigned</span>`}</td>
              <td>
                <form method="post" action="/follow-ups/${f.id}" class="inline-form">
                  ${csrfField(csrfToken)}<input type="hidden" name="action" value="assign">
                  <label for="assignee-${f.id}">Assign to</label>
                  <input id="assignee-${f.id}" name="assignee" required maxlength="120" size="12" value="${f.assignee ?? ''}">
                  <button type="submit" class="secondary">Assign</button>
                </form>
                <form method="post" action="/follow-ups/${f.id}" class="inline-form">
                  ${csrfField(csrfToken)}<input type="hidden" name="action" value="complete">
                  <button type="submit" aria-label="Mark done: ${f.kind.replace(/_/g, ' ')} for ${f.participantName}">Done</button>
                </form>
                <form method="post" action="/follow-ups/${f.id}" class="inline-form">
                  ${csrfField(csrfToken)}<input type="hidden" name="action" value="dismiss">
                  <button type="submit" class="secondary" aria-label="Dismiss: ${f.kind.replace(/_/g, ' ')} for ${f.participantName}">Dismiss</button>
                </form>
              </td>
            </tr>`,
          )}</tbody></table></div>`}
      ${renderDeliveryProblems(data.problems, data.timezone)}`,
  });
}

const PROBLEM_LABEL: Record<DeliveryProblem['what'], string> = { alert: 'Alert', participant_message: 'Message', dead_letter: 'Platform event' };

/** Chat deliveries that failed for good or had nowhere to go (staff reach these people another way), and platform events that could not be used. */
function renderDeliveryProblems(problems: DeliveryProblem[], timezone: string): Html {
  return html`<h2 id="undelivered">Not delivered</h2>
    ${problems.length === 0
      ? html`<p class="muted">Every alert and participant message of the last two weeks was delivered.</p>`
      : html`<p>Rollcall could not deliver these in chat (last two weeks). Alerts: check that the app is still in the channel. Participants: reach them another way. Platform events: Rollcall received them but could not read them.</p>
        <div class="table-scroll" role="region" aria-labelledby="undelivered" tabindex="0"><table>
          <thead><tr><th scope="col">What</th><th scope="col">Participant</th><th scope="col">Platform</th><th scope="col">State</th><th scope="col">Reason</th><th scope="col">When</th></tr></thead>
          <tbody>${problems.map(
            (p) => html`<tr data-problem-id="${p.id}">
              <th scope="row">${PROBLEM_LABEL[p.what]}: ${p.label}</th>
              <td>${p.participantId ? html`<a href="/participants/${p.participantId}">${p.participantName ?? 'participant'}</a>` : html`<span class="muted">none</span>`}</td>
              <td>${p.platform ?? html`<span class="muted">none</span>`}</td>
              <td>${p.state}</td>
              <td>${p.reason ?? ''}${p.hint ? html`<br><span class="muted">${p.hint}</span>` : ''}</td>
              <td>${formatDateTime(p.at, timezone)}</td>
            </tr>`,
          )}</tbody></table></div>`}`;
}
