import type { SlotRate, WeekRate } from '../core/attendance-rates.js';
import { FOLLOW_UP_ACTION_WORDS } from '../core/follow-up-words.js';
import type { OpenFollowUp } from '../services/follow-ups.js';
import type { ProgramReport } from '../services/reports.js';
import { slotRateChart, weeklyRateChart } from './charts.js';
import { formatDay, formatMinutes, formatTime, formatWeekOf } from './format.js';
import { renderCompactRisk, renderProgramRisk } from './risk-list.js';
import type { ProgramRisk } from '../services/queries/at-risk.js';
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
  /** Who is at risk, and everyone's rank (the grid's row order). */
  risk: ProgramRisk;
  /** Grid rows most at risk first (default) or by name. */
  order?: 'risk' | 'name';
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
  /** Each visible program's at-risk list (the compact "At risk" section). */
  risk?: ProgramRisk[];
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
      ${data.risk && programs.length > 0 ? renderCompactRisk(data.risk) : ''}
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
      ${renderProgramRisk(data.risk, { strikeWindowDays: data.strikeWindowDays })}
      ${data.imported ? html`<p class="notice" role="status">${data.imported} ${data.imported === 1 ? 'participant' : 'participants'} imported.</p>` : ''}
      <p class="actions no-print"><a href="/programs/${program.id}/schedule">Schedule</a>${
        data.canManage
          ? html` · <a href="/programs/${program.id}/participants/new">Add participant</a> · <a href="/programs/${program.id}/import">Import participants</a>`
          : ''
      }</p>
      <p id="range-now" class="range-now">Showing ${formatDay(report.from)} to ${formatDay(report.to)}, days in ${program.timezone}.</p>
      <form method="get" action="/programs/${program.id}" class="inline-form no-print" aria-label="Date range">
        ${data.order === 'name' ? html`<input type="hidden" name="order" value="name">` : ''}
        <label for="from">First day</label> <input id="from" name="from" type="date" value="${report.from}" aria-describedby="range-now">
        <label for="to">Last day</label> <input id="to" name="to" type="date" value="${report.to}" aria-describedby="range-now">
        <button type="submit" class="secondary">Show</button>
        <a class="button" href="/programs/${program.id}/report.csv?${range}" download>Download CSV</a>
        <a href="/programs/${program.id}/report.csv?${range}&amp;sheet=attendance" download>Attendance sheet</a>
        <a href="/programs/${program.id}/report.csv?${range}&amp;sheet=weeks" download>Weekly hours sheet</a>
        <a href="/programs/${program.id}/report.csv?${range}&amp;sheet=absences" download>Absences sheet</a>
        ${currentPageViewer()?.manages ? html`<a class="button secondary" href="/programs/${program.id}/attendance-import">Import attendance</a>` : ''}
        <a href="/programs/${program.id}/settings">Settings</a>
      </form>
      <p class="muted">Weekly requirement: ${formatMinutes(program.weeklyHoursRequired * 60)}.</p>

      <h2 id="grid-heading">Attendance</h2>
      <p class="muted">Newest session first, strikes beside each name. ${
        data.order === 'name'
          ? html`Rows by name. <a href="/programs/${program.id}?${range}">Sort by risk</a>`
          : html`Rows most at risk first. <a href="/programs/${program.id}?${range}&amp;order=name">Sort by name</a>`
      }</p>
      <ul class="legend" aria-label="Statuses">${Object.entries(STATUS_TEXT).map(([status]) => html`<li>${statusBadge(status)}</li>`)}</ul>
      ${renderGrid(data)}

      <h2 id="weeks-heading">Weekly hours</h2>
      ${renderWeeks(report, rowOrder(data))}

      <h2>Open follow-ups</h2>
      ${data.followUps.length === 0
        ? html`<p class="muted">None open.</p>`
        : html`<ul>${data.followUps.map((f) => html`<li>${FOLLOW_UP_ACTION_WORDS[f.kind] ?? 'Follow-up'} for <a href="/participants/${f.participantId}">${f.participantName}</a>${f.assignee ? html`, assigned to ${f.assignee}` : html`, unassigned`}</li>`)}</ul>
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

/**
 * Rows most at risk first (core/risk-ranking.ts), or by name; anyone no longer enrolled but with
 * rows in the range comes after, by name.
 */
function rowOrder(data: ProgramPageData): { id: string; name: string }[] {
  const people = data.report.participants;
  if (data.order === 'name') return people;
  const rank = new Map(data.risk.ranked.map((r, i) => [r.participantId, i]));
  const at = (id: string) => rank.get(id) ?? Number.MAX_SAFE_INTEGER;
  return [...people].sort((a, b) => at(a.id) - at(b.id) || a.name.localeCompare(b.name));
}

/** Newest session first, strikes beside the name: what matters now is on screen without scrolling at 1280 px. */
function renderGrid(data: ProgramPageData): Html {
  const { report } = data;
  if (report.sessions.length === 0) return html`<p class="muted">No sessions from ${formatDay(report.from)} to ${formatDay(report.to)}.</p>`;
  const cells = new Map(report.rows.map((r) => [`${r.participantId}\u0000${r.sessionId}`, r]));
  const tz = report.program.timezone;
  const sessions = [...report.sessions].reverse();
  return html`<div class="table-scroll" role="region" aria-labelledby="grid-heading" tabindex="0">
    <table class="grid">
      <thead><tr><th scope="col">Participant</th>
        <th scope="col" class="num strikes">Strikes <span class="muted">(${data.strikeWindowDays} d)</span></th>
        ${sessions.map((s) => html`<th scope="col">${formatDay(s.date)}<br><span class="muted">${formatTime(s.startsAt, tz)}</span></th>`)}</tr></thead>
      <tbody>${rowOrder(data).map(
        (p) => html`<tr data-participant-id="${p.id}">
          <th scope="row"><a href="/participants/${p.id}">${p.name}</a></th>
          <td class="num strikes">${data.strikes.get(p.id) ?? 0}</td>
          ${sessions.map((s) => {
            const row = cells.get(`${p.id}\u0000${s.id}`);
            if (!row) return html`<td><span class="muted" aria-label="no record">–</span></td>`;
            return html`<td data-session-id="${s.id}">${statusBadge(row.status, row.staffStatus ? row.detectedStatus : null)}${cellDetail(row, s.startsAt)}<span class="minutes">${formatMinutes(row.presentMinutes)}</span></td>`;
          })}
        </tr>`,
      )}</tbody>
    </table></div>`;
}

/** The week in words (core/weekly-credit.ts): met, short by…, on track (n sessions left), at risk. */
export function requirementText(week: { state: string; statusText: string }): Html {
  const style = week.state === 'met' ? 'met' : week.state === 'on_track' ? 'muted' : 'unmet';
  return html`<span class="${style}">${week.statusText}</span>`;
}

/** Weeks newest first, each named by its Monday ("week of Mon 9 Nov"); rows in the grid's order. */
function renderWeeks(report: ProgramReport, people: { id: string; name: string }[]): Html {
  if (report.weeks.length === 0) return html`<p class="muted">Nothing attended in this range yet.</p>`;
  const weeks = [...new Set(report.weeks.map((w) => w.weekStart))].sort().reverse();
  const byKey = new Map(report.weeks.map((w) => [`${w.participantId}\u0000${w.weekStart}`, w]));
  return html`<div class="table-scroll" role="region" aria-labelledby="weeks-heading" tabindex="0"><table>
    <thead><tr><th scope="col">Participant</th>${weeks.map((monday) => {
      const partial = report.weeks.some((x) => x.weekStart === monday && x.partial);
      return html`<th scope="col">${formatWeekOf(monday)}${partial ? html`<br><span class="muted">(part in range)</span>` : ''}</th>`;
    })}</tr></thead>
    <tbody>${people.map(
      (p) => html`<tr><th scope="row">${p.name}</th>${weeks.map((monday) => {
        const total = byKey.get(`${p.id}\u0000${monday}`);
        if (!total) return html`<td class="muted">–</td>`;
        return html`<td>${formatMinutes(total.creditedMinutes)} of ${formatMinutes(total.requiredMinutes)}: ${requirementText(total)}</td>`;
      })}</tr>`,
    )}</tbody></table></div>`;
}
