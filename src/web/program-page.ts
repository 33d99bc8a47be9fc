import type { SlotRate, WeekRate } from '../core/attendance-rates.js';
import type { OpenFollowUp } from '../services/follow-ups.js';
import type { ProgramReport } from '../services/reports.js';
import { slotRateChart, weeklyRateChart } from './charts.js';
import { formatDay, formatMinutes, formatTime } from './format.js';
import { currentPageViewer } from './page-viewer.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';
import { emptyForm, errorSummary, PLATFORM_OPTIONS, selectField, textField, timezoneOptions, type FormState } from './form-fields.js';
import { renderSetupChecklist } from './setup-checklist.js';
import { setupComplete, type SetupChecklist } from '../services/queries/setup-checklist.js';
import { FLAG_TEXT, STATUS_TEXT, statusBadge } from './status-style.js';

export interface ProgramPageData {
  report: ProgramReport;
  strikes: Map<string, number>;
  strikeWindowDays: number;
  followUps: OpenFollowUp[];
  stats: { weekly: WeekRate[]; slots: SlotRate[] };
  csrfToken: string;
  canManage?: boolean;
  /** Participants just imported (the import's redirect says how many). */
  imported?: number;
}

export interface ProgramsListData {
  programs: { id: string; name: string; timezone: string }[];
  csrfToken: string;
  /** Owners and admins see the set-up forms. */
  canManage: boolean;
  checklist?: SetupChecklist;
  form?: FormState;
}

export function renderProgramsList(data: ProgramsListData): Html {
  const { programs } = data;
  return renderPage({
    title: 'Programs',
    section: 'programs',
    csrfToken: data.csrfToken,
    body: html`<h1>Programs</h1>
      ${data.checklist && !setupComplete(data.checklist) ? renderSetupChecklist(data.checklist) : ''}
      ${programs.length === 0
        ? html`<p>No programs yet.${data.canManage ? '' : ' Ask an owner or admin of the clinic to add one.'}</p>`
        : html`<ul class="program-list">${programs.map(
            (p) => html`<li><a href="/programs/${p.id}">${p.name}</a> <span class="muted">(${p.timezone})</span> · <a href="/programs/${p.id}/schedule">Schedule</a></li>`,
          )}</ul>`}
      ${data.canManage ? renderAddProgram(data.csrfToken, data.form ?? emptyForm({ timezone: 'America/New_York', platform: 'slack' })) : ''}`,
  });
}

function renderAddProgram(csrfToken: string, state: FormState): Html {
  return html`<section aria-labelledby="add-program-heading">
    <h2 id="add-program-heading">Add program</h2>
    ${errorSummary(state, 'The program')}
    <form method="post" action="/programs" novalidate>
      ${csrfField(csrfToken)}
      ${textField({ id: 'program-name', name: 'name', label: 'Name', state, required: true, attrs: html`maxlength="200"` })}
      ${selectField({ id: 'program-timezone', name: 'timezone', label: 'Time zone', state, options: timezoneOptions(), hint: 'Session times and days are in this zone.' })}
      <fieldset class="field"><legend>Alert channel</legend>
        <p class="hint">Where Rollcall tells staff who is late or missing: a channel the bot is in.</p>
        ${selectField({ id: 'program-platform', name: 'platform', label: 'Platform', state, options: PLATFORM_OPTIONS })}
        ${textField({ id: 'program-channel', name: 'channelId', label: 'Channel id', state, required: true, hint: 'Slack: C0123ABCD. Teams: 19:…@thread.tacv2. Zoom: the Team Chat channel id.' })}
      </fieldset>
      <button type="submit">Add program</button>
    </form>
  </section>`;
}

export function renderProgramPage(data: ProgramPageData): Html {
  const { report } = data;
  const { program } = report;
  const range = `from=${report.from}&to=${report.to}`;
  return renderPage({
    title: program.name,
    section: 'programs',
    csrfToken: data.csrfToken,
    body: html`<h1>${program.name}</h1>
      ${data.imported ? html`<p class="notice" role="status">${data.imported} ${data.imported === 1 ? 'participant' : 'participants'} imported.</p>` : ''}
      <p class="actions no-print"><a href="/programs/${program.id}/schedule">Schedule</a>${
        data.canManage
          ? html` · <a href="/programs/${program.id}/participants/new">Add participant</a> · <a href="/programs/${program.id}/import">Import participants</a>`
          : ''
      }</p>
      <form method="get" action="/programs/${program.id}" class="inline-form no-print" aria-label="Date range">
        <label for="from">From</label> <input id="from" name="from" type="date" value="${report.from}">
        <label for="to">To</label> <input id="to" name="to" type="date" value="${report.to}">
        <button type="submit" class="secondary">Show</button>
        <a class="button" href="/programs/${program.id}/report.csv?${range}" download>Download CSV</a>
        <a href="/programs/${program.id}/report.csv?${range}&amp;sheet=attendance" download>Attendance sheet</a>
        <a href="/programs/${program.id}/report.csv?${range}&amp;sheet=weeks" download>Weekly hours sheet</a>
        <a href="/programs/${program.id}/report.csv?${range}&amp;sheet=absences" download>Absences sheet</a>
        ${currentPageViewer()?.manages ? html`<a class="button secondary" href="/programs/${program.id}/attendance-import">Import attendance</a>` : ''}
        <a href="/programs/${program.id}/settings">Settings</a>
      </form>
      <p class="muted">Days in ${program.timezone}. Weekly requirement: ${formatMinutes(program.weeklyHoursRequired * 60)}.</p>

      <h2 id="grid-heading">Attendance</h2>
      <ul class="legend" aria-label="Statuses">${Object.entries(STATUS_TEXT).map(([status]) => html`<li>${statusBadge(status)}</li>`)}</ul>
      ${renderGrid(data)}

      <h2>Weekly hours</h2>
      ${renderWeeks(report)}

      <h2>Open follow-ups</h2>
      ${data.followUps.length === 0
        ? html`<p class="muted">None open.</p>`
        : html`<ul>${data.followUps.map((f) => html`<li>${f.kind.replace(/_/g, ' ')} for <a href="/participants/${f.participantId}">${f.participantName}</a>${f.assignee ? html`, assigned to ${f.assignee}` : html`, unassigned`}</li>`)}</ul>
          <p><a href="/follow-ups">Work the queue</a></p>`}

      <h2>Attendance rate per week</h2>
      ${weeklyRateChart(data.stats.weekly, 'weekly-rate')}
      <h2>No-show and late rates by weekday and time</h2>
      ${slotRateChart(data.stats.slots, 'slot-rates')}`,
  });
}

/** What the status alone does not say, in words: minutes late, and the flags (short stay, left early, …). */
function cellDetail(row: ProgramReport['rows'][number], startsAt: Date): Html | '' {
  const late = row.status === 'late' && row.joinedAt ? Math.max(1, Math.floor((row.joinedAt.getTime() - startsAt.getTime()) / 60_000)) : null;
  const flags = row.flags.filter((f) => f !== 'late' && f !== 'unmatched_identity' && FLAG_TEXT[f]).map((f) => FLAG_TEXT[f]!);
  const words = [...(late ? [`${late} min late`] : []), ...flags];
  return words.length ? html`<span class="flags">${words.join(', ')}</span>` : '';
}

function renderGrid(data: ProgramPageData): Html {
  const { report } = data;
  if (report.sessions.length === 0) return html`<p class="muted">No sessions between ${report.from} and ${report.to}.</p>`;
  const cells = new Map(report.rows.map((r) => [`${r.participantId}\u0000${r.sessionId}`, r]));
  const tz = report.program.timezone;
  return html`<div class="table-scroll" role="region" aria-labelledby="grid-heading" tabindex="0">
    <table class="grid">
      <thead><tr><th scope="col">Participant</th>
        ${report.sessions.map((s) => html`<th scope="col">${formatDay(s.date)}<br><span class="muted">${formatTime(s.startsAt, tz)}</span></th>`)}
        <th scope="col" class="num">Strikes <span class="muted">(${data.strikeWindowDays} d)</span></th></tr></thead>
      <tbody>${report.participants.map(
        (p) => html`<tr data-participant-id="${p.id}">
          <th scope="row"><a href="/participants/${p.id}">${p.name}</a></th>
          ${report.sessions.map((s) => {
            const row = cells.get(`${p.id}\u0000${s.id}`);
            if (!row) return html`<td><span class="muted" aria-label="no record">–</span></td>`;
            return html`<td data-session-id="${s.id}">${statusBadge(row.status, row.staffStatus ? row.detectedStatus : null)}${cellDetail(row, s.startsAt)}<span class="minutes">${formatMinutes(row.presentMinutes)}</span></td>`;
          })}
          <td class="num">${data.strikes.get(p.id) ?? 0}</td>
        </tr>`,
      )}</tbody>
    </table></div>`;
}

/** The week in words (core/weekly-credit.ts): met, short by…, on track (n sessions left), at risk. */
export function requirementText(week: { state: string; statusText: string }): Html {
  const style = week.state === 'met' ? 'met' : week.state === 'on_track' ? 'muted' : 'unmet';
  return html`<span class="${style}">${week.statusText}</span>`;
}

function renderWeeks(report: ProgramReport): Html {
  if (report.weeks.length === 0) return html`<p class="muted">Nothing attended in this range yet.</p>`;
  const weeks = [...new Set(report.weeks.map((w) => w.week))].sort();
  const byKey = new Map(report.weeks.map((w) => [`${w.participantId}\u0000${w.week}`, w]));
  return html`<div class="table-scroll" role="region" aria-label="Weekly hours" tabindex="0"><table>
    <thead><tr><th scope="col">Participant</th>${weeks.map((w) => {
      const any = report.weeks.find((x) => x.week === w)!;
      return html`<th scope="col">${w}<br><span class="muted">${formatDay(any.weekStart)}${any.partial ? ' (part)' : ''}</span></th>`;
    })}</tr></thead>
    <tbody>${report.participants.map(
      (p) => html`<tr><th scope="row">${p.name}</th>${weeks.map((w) => {
        const total = byKey.get(`${p.id}\u0000${w}`);
        if (!total) return html`<td class="muted">–</td>`;
        return html`<td>${formatMinutes(total.creditedMinutes)} of ${formatMinutes(total.requiredMinutes)}: ${requirementText(total)}</td>`;
      })}</tr>`,
    )}</tbody></table></div>`;
}
