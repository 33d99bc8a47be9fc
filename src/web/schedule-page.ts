import rrulePackage from 'rrule';
import type { Program, Schedule, Session } from '../generated/prisma/client.js';
import { emptyForm, errorSummary, PLATFORM_LABEL, PLATFORM_OPTIONS, selectField, textField, type FormState } from './form-fields.js';
import { formatMinutes, formatSessionStart, formatTime } from './format.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';

const { RRule } = rrulePackage;

export const WEEKDAYS = [
  { code: 'MO', name: 'Monday' },
  { code: 'TU', name: 'Tuesday' },
  { code: 'WE', name: 'Wednesday' },
  { code: 'TH', name: 'Thursday' },
  { code: 'FR', name: 'Friday' },
  { code: 'SA', name: 'Saturday' },
  { code: 'SU', name: 'Sunday' },
];

function list(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** "Every Monday, Wednesday and Thursday, 18:00 to 21:00" — a weekly rule in words; any other rule in rrule's own words. */
export function describeRule(schedule: Pick<Schedule, 'rrule' | 'startTime' | 'durationMinutes'>): string {
  const [h, m] = schedule.startTime.split(':').map(Number) as [number, number];
  const endMinutes = (h * 60 + m + schedule.durationMinutes) % (24 * 60);
  const end = `${String(Math.floor(endMinutes / 60)).padStart(2, '0')}:${String(endMinutes % 60).padStart(2, '0')}`;
  const times = `${schedule.startTime} to ${end} (${formatMinutes(schedule.durationMinutes)})`;
  const weekly = /^FREQ=WEEKLY;BYDAY=((MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*)$/.exec(schedule.rrule.replace(/^RRULE:/i, ''));
  if (weekly) {
    const codes = weekly[1]!.split(',');
    const days = WEEKDAYS.filter((d) => codes.includes(d.code)).map((d) => d.name);
    return `Every ${list(days)}, ${times}`;
  }
  try {
    const text = RRule.fromString(schedule.rrule.replace(/^RRULE:/i, '')).toText();
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}, ${times}`;
  } catch {
    return `${schedule.rrule}, ${times}`;
  }
}

export interface SchedulePageData {
  program: Program;
  schedules: Schedule[];
  upcoming: Session[];
  canManage: boolean;
  csrfToken: string;
  scheduleForm?: FormState;
  sessionForm?: FormState;
  saved?: string;
  /** Why a cancellation was refused. */
  problem?: string;
}

const SAVED: Record<string, string> = {
  program: 'Program added. Next: add its schedule, then its participants.',
  schedule: 'Schedule added; its sessions are planned below.',
  session: 'One-off session added.',
  cancelled: 'Session cancelled. The schedule will not plan it again.',
};

export function renderSchedulePage(data: SchedulePageData): Html {
  const { program } = data;
  const tz = program.timezone;
  return renderPage({
    title: `Schedule: ${program.name}`,
    section: 'programs',
    csrfToken: data.csrfToken,
    body: html`<h1>Schedule: ${program.name}</h1>
      <p><a href="/programs/${program.id}">Back to attendance</a>${data.canManage
        ? html` · <a href="/programs/${program.id}/participants/new">Add participant</a> · <a href="/programs/${program.id}/import">Import participants</a>`
        : ''}</p>
      ${data.saved && SAVED[data.saved] ? html`<p class="notice" role="status">${SAVED[data.saved]}</p>` : ''}
      ${data.problem ? html`<p class="notice error" role="alert">${data.problem}</p>` : ''}
      <p class="muted">Times are in ${tz}.</p>

      <h2>Recurring sessions</h2>
      ${data.schedules.length === 0
        ? html`<p class="muted">No schedule yet.</p>`
        : html`<ul class="schedules">${data.schedules.map(
            (s) => html`<li data-schedule-id="${s.id}"><strong>${describeRule(s)}</strong> on ${PLATFORM_LABEL[s.meetingPlatform] ?? s.meetingPlatform} meeting <code>${s.meetingId}</code></li>`,
          )}</ul>`}

      <h2 id="upcoming-heading">Next sessions</h2>
      ${data.upcoming.length === 0
        ? html`<p class="muted">No sessions planned.</p>`
        : html`<ul class="upcoming" aria-labelledby="upcoming-heading">${data.upcoming.map(
            (s) => html`<li data-session-id="${s.id}">${formatSessionStart(s.startsAt, tz)} to ${formatTime(s.endsAt, tz)} <span class="muted">(${s.scheduleId ? 'recurring' : 'one-off'}, ${PLATFORM_LABEL[s.meetingPlatform] ?? s.meetingPlatform})</span>${
              data.canManage && s.scheduleId && !s.startedAt
                ? html` <form method="post" action="/programs/${program.id}/sessions/${s.id}/cancel" class="inline-form">${csrfField(data.csrfToken)}<button type="submit" class="secondary small">Cancel<span class="visually-hidden"> the session of ${formatSessionStart(s.startsAt, tz)}</span></button></form>`
                : ''
            }</li>`,
          )}</ul>`}

      ${data.canManage ? html`${renderAddSchedule(data)}${renderAddSession(data)}` : ''}`,
  });
}

function renderAddSchedule(data: SchedulePageData): Html {
  const state = data.scheduleForm ?? emptyForm({ startTime: '18:00', durationMinutes: '180', meetingPlatform: 'zoom' });
  const days = (state.values.days ?? '').split(',');
  const dayError = state.errors.days;
  return html`<section aria-labelledby="add-schedule-heading">
    <h2 id="add-schedule-heading">Add schedule</h2>
    ${errorSummary(state, 'The schedule')}
    <form method="post" action="/programs/${data.program.id}/schedules" novalidate>
      ${csrfField(data.csrfToken)}
      <fieldset class="field" ${dayError ? html`aria-describedby="schedule-days-error"` : ''}><legend>Weekdays</legend>
        ${WEEKDAYS.map((d) => html`<label><input type="checkbox" name="days" value="${d.code}" ${days.includes(d.code) ? html`checked` : ''}> ${d.name}</label>`)}
        ${dayError ? html`<p class="field-error" id="schedule-days-error">${dayError}</p>` : ''}
      </fieldset>
      <div class="form-grid">
        ${textField({ id: 'schedule-start', name: 'startTime', label: 'Start time', type: 'time', state, required: true })}
        ${textField({ id: 'schedule-length', name: 'durationMinutes', label: 'Length in minutes', type: 'number', state, required: true, attrs: html`min="5" max="720" step="5"` })}
        ${selectField({ id: 'schedule-platform', name: 'meetingPlatform', label: 'Meeting platform', state, options: PLATFORM_OPTIONS })}
        ${textField({ id: 'schedule-meeting', name: 'meetingId', label: 'Meeting id', state, required: true, hint: 'Zoom: the meeting number. Teams: the meeting’s join id.' })}
        ${textField({ id: 'schedule-join', name: 'joinUrl', label: 'Join link (optional)', type: 'url', state, hint: 'Sent with reminders.' })}
        ${textField({ id: 'schedule-from', name: 'startsOn', label: 'First day (optional)', type: 'date', state, hint: 'Today when empty.' })}
      </div>
      <button type="submit">Add schedule</button>
    </form>
  </section>`;
}

function renderAddSession(data: SchedulePageData): Html {
  const state = data.sessionForm ?? emptyForm({ startTime: '18:00', durationMinutes: '180', meetingPlatform: 'zoom' });
  return html`<section aria-labelledby="add-session-heading">
    <h2 id="add-session-heading">Add a one-off session</h2>
    ${errorSummary(state, 'The session')}
    <form method="post" action="/programs/${data.program.id}/sessions" novalidate>
      ${csrfField(data.csrfToken)}
      <div class="form-grid">
        ${textField({ id: 'session-date', name: 'date', label: 'Date', type: 'date', state, required: true })}
        ${textField({ id: 'session-start', name: 'startTime', label: 'Start time', type: 'time', state, required: true })}
        ${textField({ id: 'session-length', name: 'durationMinutes', label: 'Length in minutes', type: 'number', state, required: true, attrs: html`min="5" max="720" step="5"` })}
        ${selectField({ id: 'session-platform', name: 'meetingPlatform', label: 'Meeting platform', state, options: PLATFORM_OPTIONS })}
        ${textField({ id: 'session-meeting', name: 'meetingId', label: 'Meeting id', state, required: true })}
      </div>
      <button type="submit" class="secondary">Add session</button>
    </form>
  </section>`;
}
