import type { OpenFollowUp } from '../services/follow-ups.js';
import { formatDateTime } from './format.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';

const DONE_TEXT: Record<string, string> = { assign: 'Follow-up assigned.', complete: 'Follow-up marked done.', dismiss: 'Follow-up dismissed.', gone: 'That follow-up is no longer open.' };

export function renderFollowUpsPage(data: { followUps: OpenFollowUp[]; csrfToken: string; done?: string }): Html {
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
          )}</tbody></table></div>`}`,
  });
}
