import type { DeliveryProblem } from '../services/delivery-problems.js';
import type { FollowUpRow, StaffOption } from '../services/queries/follow-ups-page.js';
import { DONE_OUTCOMES } from '../services/staff-actions/follow-up-choices.js';
import { formatDateTime } from './format.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';

const DONE_TEXT: Record<string, string> = {
  assign: 'Follow-up assigned.',
  note: 'Note added.',
  complete: 'Follow-up marked done.',
  dismiss: 'Follow-up dismissed.',
  gone: 'That follow-up is no longer open.',
};

export interface FollowUpsPageData {
  followUps: FollowUpRow[];
  problems: DeliveryProblem[];
  staff: StaffOption[];
  timezone: string;
  csrfToken: string;
  /** Viewers read the queue; only others get its forms. */
  canAct: boolean;
  done?: string;
  /** A refused form: which follow-up, which field, what is wrong, and what was typed. */
  refused?: { followUpId: string; field: 'assignee' | 'note' | 'outcome'; message: string; value: string };
}

export function renderFollowUpsPage(data: FollowUpsPageData): Html {
  return renderPage({
    title: 'Follow-ups',
    section: 'follow-ups',
    csrfToken: data.csrfToken,
    body: html`<h1>Follow-ups</h1>
      ${data.done && DONE_TEXT[data.done] ? html`<p class="notice" role="status">${DONE_TEXT[data.done]}</p>` : ''}
      ${data.refused ? html`<p class="notice error" role="alert">Nothing was changed: ${data.refused.message}</p>` : ''}
      <h2 id="open-heading">Open (${data.followUps.length})</h2>
      ${data.followUps.length === 0
        ? html`<p class="muted">The queue is empty.</p>`
        : html`<ul class="follow-up-list" aria-labelledby="open-heading">${data.followUps.map((f) => renderFollowUp(f, data))}</ul>`}
      ${renderDeliveryProblems(data.problems, data.timezone)}`,
  });
}

function renderFollowUp(f: FollowUpRow, data: FollowUpsPageData): Html {
  const refused = data.refused?.followUpId === f.id ? data.refused : undefined;
  const errorOf = (field: string) => (refused?.field === field ? refused.message : undefined);
  return html`<li class="follow-up" id="follow-up-${f.id}" data-follow-up-id="${f.id}">
    <h3><a href="/participants/${f.participantId}">${f.participantName}</a> <span class="muted">· ${f.programName}</span></h3>
    <p class="reason">${f.reason}</p>
    <dl class="facts">
      <div><dt>Strikes now</dt><dd data-strikes>${f.strikes} in the last ${f.strikeWindowDays} days</dd></div>
      <div><dt>Opened</dt><dd>${formatDateTime(f.createdAt, f.programTimezone)}</dd></div>
      ${f.dueAt ? html`<div><dt>Due</dt><dd>${formatDateTime(f.dueAt, f.programTimezone)}</dd></div>` : ''}
      <div><dt>Assigned to</dt><dd data-assignee>${f.assigneeName ?? html`<span class="muted">nobody yet</span>`}</dd></div>
    </dl>
    ${f.notes.length > 0
      ? html`<ul class="notes" aria-label="Notes">${f.notes.map(
          (n, i) => html`<li><span class="muted">${f.noteAuthors[i]}, ${n.at ? formatDateTime(new Date(n.at), f.programTimezone) : ''}:</span> ${n.text}</li>`,
        )}</ul>`
      : ''}
    ${data.canAct ? renderActions(f, data, errorOf, refused?.value) : ''}
  </li>`;
}

function renderActions(f: FollowUpRow, data: FollowUpsPageData, errorOf: (field: string) => string | undefined, typed: string | undefined): Html {
  const id = f.id;
  const what = `${f.participantName}`;
  const field = (name: string, control: (attrs: Html) => Html) => {
    const error = errorOf(name);
    const errorId = `${name}-${id}-error`;
    return html`${control(error ? html`aria-invalid="true" aria-describedby="${errorId}"` : html``)}${error ? html`<p class="field-error" id="${errorId}">${error}</p>` : ''}`;
  };
  const current = f.assigneeOption ?? '';
  const known = data.staff.some((s) => s.value === current);
  return html`<div class="follow-up-actions">
    <form method="post" action="/follow-ups/${id}" class="action-form">
      ${csrfField(data.csrfToken)}<input type="hidden" name="action" value="assign">
      <label for="assignee-${id}">Assign to</label>
      <div class="row">
        ${field('assignee', (attrs) => html`<select id="assignee-${id}" name="assignee" ${attrs}>
          <option value="" ${current === '' && !f.assigneeName ? 'selected' : ''}>Nobody</option>
          ${!known && f.assigneeName ? html`<option value="keep" selected>${f.assigneeName}</option>` : ''}
          ${data.staff.map((s) => html`<option value="${s.value}" ${s.value === current ? 'selected' : ''}>${s.name}</option>`)}
        </select>`)}
        <button type="submit" class="secondary" aria-label="Assign follow-up for ${what}">Assign</button>
      </div>
    </form>
    <form method="post" action="/follow-ups/${id}" class="action-form">
      ${csrfField(data.csrfToken)}<input type="hidden" name="action" value="note">
      <label for="note-${id}">Note</label>
      ${field('note', (attrs) => html`<textarea id="note-${id}" name="note" rows="2" maxlength="2000" ${attrs}>${errorOf('note') ? (typed ?? '') : ''}</textarea>`)}
      <button type="submit" class="secondary" aria-label="Add note for ${what}">Add note</button>
    </form>
    <form method="post" action="/follow-ups/${id}" class="action-form">
      ${csrfField(data.csrfToken)}
      <label for="outcome-${id}">Outcome <span class="hint">(optional, e.g. “${Object.values(DONE_OUTCOMES).slice(0, 2).join('”, “')}”; never posted in chat)</span></label>
      ${field('outcome', (attrs) => html`<input id="outcome-${id}" name="outcome" maxlength="200" value="${errorOf('outcome') ? (typed ?? '') : ''}" ${attrs}>`)}
      <div class="row">
        <button type="submit" name="action" value="complete" aria-label="Done: ${f.reason} for ${what}">Done</button>
        <button type="submit" name="action" value="dismiss" class="secondary" aria-label="Dismiss: ${f.reason} for ${what}">Dismiss</button>
      </div>
    </form>
  </div>`;
}

/** Chat deliveries that failed for good or had nowhere to go (staff reach these people another way), and platform events that could not be used. */
function renderDeliveryProblems(problems: DeliveryProblem[], timezone: string): Html {
  return html`<h2 id="undelivered">Not delivered</h2>
    ${problems.length === 0
      ? html`<p class="muted">Every alert and participant message of the last two weeks was delivered.</p>`
      : html`<p>Rollcall could not deliver these in the last two weeks. Each says what to do.</p>
        <ul class="problem-list" aria-labelledby="undelivered">${problems.map((p) => renderProblem(p, timezone))}</ul>`}`;
}

const PLATFORM_WORDS: Record<string, string> = { slack: 'Slack', teams: 'Teams', zoom: 'Zoom', sms: 'text message' };

function renderProblem(p: DeliveryProblem, timezone: string): Html {
  const when = formatDateTime(p.at, timezone);
  if (p.what === 'dead_letter') {
    return html`<li class="problem" data-problem-id="${p.id}">
      <p><strong>${PLATFORM_WORDS[p.platform ?? ''] ?? 'A platform'} sent an event Rollcall could not read</strong> <span class="muted">· ${when}</span></p>
      <p class="advice">${p.hint ?? ''}</p>
      <details><summary>Details for whoever runs Rollcall</summary><p><code>${p.label}</code>: <code>${p.reason ?? ''}</code></p></details>
    </li>`;
  }
  const kind = p.what === 'alert' ? `Alert “${p.label}”` : p.label;
  const via = p.platform ? ` in ${PLATFORM_WORDS[p.platform] ?? 'chat'}` : '';
  return html`<li class="problem" data-problem-id="${p.id}">
    <p><strong>${kind}</strong>${p.participantId ? html` ${p.what === 'alert' ? 'about' : 'to'} <a href="/participants/${p.participantId}">${p.participantName ?? 'a participant'}</a>` : ''}${via}
      <span class="muted">· ${p.state === 'skipped' ? 'not sent' : 'failed'} · ${when}</span></p>
    <p class="advice">${p.hint ?? ''}</p>
  </li>`;
}
