import { FOLLOW_UP_ACTION_WORDS } from '../core/follow-up-words.js';
import { strikeActionSchema } from '../core/policy.js';
import { html, type Html } from './html.js';

/**
 * The policy's structured fields as real controls: the strike ladder as rows of number + action,
 * partner programs as checkboxes of the clinic's other programs, the weekly progress message as a
 * day and a time. Each reads its part of the posted form back into the policy's shape.
 */

export type FormBody = Record<string, string | string[] | undefined>;

const list = (raw: string | string[] | undefined): string[] => (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);

export interface LadderRow {
  strikes: string;
  action: string;
}

/** Rows as typed; a row with no number is a removed (or unused) one. */
export function readLadder(body: FormBody): { rows: LadderRow[]; value?: { strikes: number; action: string }[]; error?: string } {
  const counts = list(body.strikeLadderStrikes);
  const actions = list(body.strikeLadderAction);
  const rows = counts.map((strikes, i) => ({ strikes: strikes.trim(), action: actions[i] ?? '' })).filter((r) => r.strikes !== '' || r.action !== '');
  const kept = rows.filter((r) => r.strikes !== '');
  for (const row of kept) {
    const n = Number(row.strikes);
    if (!Number.isInteger(n) || n < 1 || n > 50) return { rows, error: `“${row.strikes}” is not a number of strikes from 1 to 50.` };
    if (!strikeActionSchema.safeParse(row.action).success) return { rows, error: `Choose what to propose at ${n} ${n === 1 ? 'strike' : 'strikes'}.` };
  }
  const orphan = rows.find((r) => r.strikes === '' && r.action !== '');
  if (orphan) return { rows, error: `Enter the number of strikes for “${FOLLOW_UP_ACTION_WORDS[orphan.action] ?? orphan.action}”, or choose no action to leave the row out.` };
  return { rows, value: kept.map((r) => ({ strikes: Number(r.strikes), action: r.action })) };
}

export function ladderRowsOf(value: unknown): LadderRow[] {
  if (!Array.isArray(value)) return [];
  return value.map((r) => ({ strikes: String((r as LadderRow).strikes ?? ''), action: String((r as LadderRow).action ?? '') }));
}

export function renderLadder(rows: LadderRow[], error: string | undefined, hintId: string): Html {
  // One empty row to add a step without a script; the script adds more and removes rows.
  const shown = [...rows, { strikes: '', action: '' }];
  const errorId = 'policy-strikeLadder-error';
  return html`<fieldset class="field ladder" data-field="strikeLadder" aria-describedby="${hintId}${error ? ` ${errorId}` : ''}">
    <legend>Strike ladder</legend>
    <span class="hint" id="${hintId}">What Rollcall proposes to staff when a participant reaches each number of strikes. Leave the number empty to remove a step.</span>
    <ol class="ladder-rows" data-ladder>
      ${shown.map((row, i) => renderLadderRow(row, i, Boolean(error)))}
    </ol>
    <template data-ladder-template>${renderLadderRow({ strikes: '', action: '' }, 'new', false)}</template>
    <button type="button" class="secondary" data-ladder-add hidden>Add a step</button>
    ${error ? html`<p class="field-error" id="${errorId}">${error}</p>` : ''}
  </fieldset>`;
}

function renderLadderRow(row: LadderRow, i: number | 'new', invalid: boolean): Html {
  const n = i === 'new' ? '' : String(i + 1);
  const id = `ladder-${i}`;
  return html`<li class="ladder-row">
    <span class="ladder-field"><label for="${id}-strikes" data-step-label>Step ${n}: strikes</label>
      <input id="${id}-strikes" name="strikeLadderStrikes" type="number" min="1" max="50" step="1" inputmode="numeric" value="${row.strikes}" ${invalid && row.strikes !== '' ? html`aria-invalid="true"` : ''}></span>
    <span class="ladder-field"><label for="${id}-action" data-step-label>Step ${n}: propose</label>
      <select id="${id}-action" name="strikeLadderAction">
        <option value="" ${row.action === '' ? 'selected' : ''}>No action (leave out)</option>
        ${strikeActionSchema.options.map((a) => html`<option value="${a}" ${a === row.action ? 'selected' : ''}>${FOLLOW_UP_ACTION_WORDS[a] ?? a}</option>`)}
      </select></span>
    <button type="button" class="secondary" data-ladder-remove hidden>Remove</button>
  </li>`;
}

/** Only the clinic's other programs may stand in; anything else posted is refused. */
export function readPartners(body: FormBody, programs: { id: string; name: string }[]): { value: string[]; error?: string } {
  const chosen = [...new Set(list(body.makeUpPartnerProgramIds))];
  if (chosen.some((id) => !programs.some((p) => p.id === id))) return { value: chosen, error: 'Choose among this clinic’s other programs.' };
  return { value: chosen };
}

export function renderPartners(chosen: string[], programs: { id: string; name: string }[], error: string | undefined, hintId: string): Html {
  const errorId = 'policy-makeUpPartnerProgramIds-error';
  return html`<fieldset class="field" data-field="makeUpPartnerProgramIds" aria-describedby="${hintId}${error ? ` ${errorId}` : ''}" ${error ? html`aria-invalid="true"` : ''}>
    <legend>Partner programs for make-ups</legend>
    <span class="hint" id="${hintId}">Sessions of the programs ticked here may stand in for a missed session of this one.</span>
    ${programs.length === 0
      ? html`<p class="muted">This clinic has no other program yet.</p>`
      : programs.map((p) => html`<label><input type="checkbox" name="makeUpPartnerProgramIds" value="${p.id}" ${chosen.includes(p.id) ? 'checked' : ''}> ${p.name}</label>`)}
    ${error ? html`<p class="field-error" id="${errorId}">${error}</p>` : ''}
  </fieldset>`;
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface WeeklyInput {
  day: string;
  time: string;
}

export function weeklyInputOf(value: unknown): WeeklyInput {
  if (value && typeof value === 'object' && 'day' in value) return value as WeeklyInput;
  const stored = value as { weekday?: number; time?: string } | null;
  return stored ? { day: String(stored.weekday ?? ''), time: stored.time ?? '' } : { day: 'off', time: '' };
}

export function readWeekly(body: FormBody): { input: WeeklyInput; value?: { weekday: number; time: string } | null; error?: string } {
  const first = (raw: string | string[] | undefined) => (Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
  const input = { day: first(body.weeklyProgressDay), time: first(body.weeklyProgressTime).trim() };
  if (input.day === 'off') return { input, value: null };
  const weekday = Number(input.day);
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) return { input, error: 'Choose a day, or Off.' };
  // A browser may send seconds ("09:00:00"); the policy keeps hours and minutes.
  const time = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(input.time) ? input.time.slice(0, 5) : null;
  if (!time) return { input, error: 'Enter a time, such as 09:00.' };
  return { input, value: { weekday, time } };
}

export function renderWeekly(input: WeeklyInput, error: string | undefined, hintId: string): Html {
  const errorId = 'policy-weeklyProgress-error';
  const described = html`aria-describedby="${hintId}${error ? ` ${errorId}` : ''}"`;
  return html`<fieldset class="field" data-field="weeklyProgress">
    <legend>Weekly progress message</legend>
    <span class="hint" id="${hintId}">When participants get their hours so far, in the program’s time zone.</span>
    <span class="ladder-field"><label for="policy-weeklyProgressDay">Day</label>
      <select id="policy-weeklyProgressDay" name="weeklyProgressDay" ${described} ${error && input.day !== 'off' && !/^[1-7]$/.test(input.day) ? html`aria-invalid="true"` : ''}>
        <option value="off" ${input.day === 'off' ? 'selected' : ''}>Off (no message)</option>
        ${WEEKDAYS.map((d, i) => html`<option value="${String(i + 1)}" ${input.day === String(i + 1) ? 'selected' : ''}>${d}</option>`)}
      </select></span>
    <span class="ladder-field"><label for="policy-weeklyProgressTime">Time</label>
      <input id="policy-weeklyProgressTime" name="weeklyProgressTime" type="time" value="${input.time}" ${described} ${error && /^[1-7]$/.test(input.day) ? html`aria-invalid="true"` : ''}></span>
    ${error ? html`<p class="field-error" id="${errorId}">${error}</p>` : ''}
  </fieldset>`;
}
