import type { BoardSession } from '../services/today-board.js';
import { formatMinutes, formatTime } from './format.js';
import { html, type Html } from './html.js';
import { renderPage } from './layout.js';
import { FLAG_TEXT, statusBadge } from './status-style.js';

const STATE_TEXT = { live: 'Live now', upcoming: 'Upcoming', ended: 'Ended' };

/** The part of Today that the page swaps in when a session's attendance changes. */
export function renderTodayBoard(sessions: BoardSession[]): Html {
  if (sessions.length === 0) return html`<p class="muted">No sessions today.</p>`;
  return html`<div class="cards">${sessions.map(
    (session) => html`<section class="card" data-session-id="${session.id}" aria-labelledby="s-${session.id}">
      <h2 id="s-${session.id}">${session.programName}, ${formatTime(session.startsAt, session.timezone)}–${formatTime(session.endsAt, session.timezone)}
        <span class="badge ${session.state}">${STATE_TEXT[session.state]}</span></h2>
      <p><a href="/programs/${session.programId}">Program attendance</a></p>
      ${session.roster.length === 0
        ? html`<p class="muted">No one is enrolled.</p>`
        : html`<table>
          <caption class="muted">Roster (${session.roster.length})</caption>
          <thead><tr><th scope="col">Participant</th><th scope="col">Status</th><th scope="col" class="num">Minutes</th></tr></thead>
          <tbody>${session.roster.map(
            (row) => html`<tr data-participant-id="${row.participantId}">
              <th scope="row"><a href="/participants/${row.participantId}">${row.name}</a></th>
              <td>${statusBadge(row.status)}${row.flags.filter((f) => f !== 'late').map((f) => html` <span class="muted">${FLAG_TEXT[f] ?? f}</span>`)}</td>
              <td class="num">${formatMinutes(row.minutesPresent)}</td>
            </tr>`,
          )}</tbody></table>`}
    </section>`,
  )}</div>`;
}

export function renderTodayPage(sessions: BoardSession[], csrfToken: string): Html {
  return renderPage({
    title: 'Today',
    section: 'today',
    csrfToken,
    body: html`<h1>Today</h1>
      <p class="muted">Statuses update as people join and leave. <span id="live-status" role="status" aria-live="polite"></span></p>
      <div id="board">${renderTodayBoard(sessions)}</div>`,
  });
}
