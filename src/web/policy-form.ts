import { z } from 'zod';
import { policySchema } from '../core/policy.js';
import { html, type Html } from './html.js';
import { ladderRowsOf, readLadder, readPartners, readWeekly, renderLadder, renderPartners, renderWeekly, weeklyInputOf, type FormBody } from './policy-controls.js';

export type { FormBody } from './policy-controls.js';

/** How one policy field is edited, read off the schema so a field added to the policy appears by itself. */
export type PolicyField =
  | { name: string; label: string; kind: 'number'; min?: number; max?: number; integer: boolean }
  | { name: string; label: string; kind: 'select'; options: string[] }
  | { name: string; label: string; kind: 'checkboxes'; options: string[] }
  | { name: string; label: string; kind: 'boolean' }
  | { name: string; label: string; kind: 'text'; optional: boolean }
  | { name: string; label: string; kind: 'ladder' | 'programs' | 'weekly' }
  | { name: string; label: string; kind: 'json' };

/** The policy's structured fields and the control that edits each (web/policy-controls.ts). */
const STRUCTURED: Record<string, 'ladder' | 'programs' | 'weekly'> = { strikeLadder: 'ladder', makeUpPartnerProgramIds: 'programs', weeklyProgress: 'weekly' };

/** Choices in words: the stored codes never reach the page. */
const OPTION_WORDS: Record<string, string> = {
  scheduled: 'The session’s scheduled length',
  present: 'Minutes actually present',
  first_last_initial: 'First name and last initial (Casey M.)',
  initials: 'Initials (C. M.)',
  full: 'Full name',
  technical: 'Technical trouble',
  illness: 'Illness',
  family_emergency: 'Family emergency',
  work_school: 'Work or school',
  transport: 'Transport',
  other: 'Other',
};

const optionWords = (option: string) => OPTION_WORDS[option] ?? option.replace(/_/g, ' ');

const HINTS: Record<string, string> = {
  lateAfterMinutes: 'A first join after this many minutes is late.',
  noShowAfterMinutes: 'No join by then: a Not joined alert.',
  leftEarlyMinutes: 'Leaving more than this before the end is leaving early.',
  minAttendancePercent: 'Less presence than this share of the session is a short stay.',
  waitingRoomAlertMinutes: 'Waiting this long to be admitted alerts staff.',
  rejoinWindowMinutes: 'A rejoin within this window is one continuous stay.',
  weeklyHoursRequired: 'Hours per week; a week requires at most what the program offered that week.',
  weeklyHoursCredit: 'What a session attended counts toward the week (a short stay always counts its minutes).',
  excusedCountsAgainstHours: 'An excused absence still counts against the week (otherwise it lowers the week’s requirement).',
  strikeWindowDays: 'Strikes older than this no longer count.',
  lateStrikeEvery: 'Every Nth late join or short stay adds a strike; 0 turns it off.',
  consecutiveMissesForReview: 'Misses in a row that mark a presumed drop-out for review.',
  excusedReasons: 'Absence reasons that are excused when reported ahead.',
  nameDisplay: 'How alerts in chat name participants.',
  absenceNoticeHours: 'An absence reported at least this many hours ahead (with an excused reason) is excused.',
  shortStaysCountAsLates: 'Short stays count toward the late strikes too.',
  makeUpWindowDays: 'A make-up must take place within this many days.',
  sessionCapacity: 'Most participants a session takes, make-up guests included; 0 means no limit.',
  recordingsShareable: 'Recordings may be kept and offered to absent participants (psychoeducation only).',
  reminderMinutesBefore: 'Reminder with the join link this many minutes before; 0 turns reminders off.',
  noShowFollowUp: 'Send the caring message after a no-show.',
  connectionLossesForHelp: 'Connection losses in one session before troubleshooting help is offered.',
  techContact: 'Who participants contact for technical trouble.',
};

/** "lateAfterMinutes" → "Late after minutes". */
function humanize(name: string): string {
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function describePolicyFields(): PolicyField[] {
  return Object.entries(policySchema.shape).map(([name, schema]): PolicyField => {
    const optional = schema instanceof z.ZodOptional;
    const inner = schema instanceof z.ZodDefault || schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : (schema as z.ZodType);
    const label = humanize(name);
    if (STRUCTURED[name]) return { name, label, kind: STRUCTURED[name] };
    if (inner instanceof z.ZodBoolean) return { name, label, kind: 'boolean' };
    if (inner instanceof z.ZodString) return { name, label, kind: 'text', optional };
    if (inner instanceof z.ZodNumber) return { name, label, kind: 'number', min: inner.minValue ?? undefined, max: inner.maxValue ?? undefined, integer: inner.isInt };
    if (inner instanceof z.ZodEnum) return { name, label, kind: 'select', options: inner.options.map(String) };
    if (inner instanceof z.ZodArray && inner.element instanceof z.ZodEnum) return { name, label, kind: 'checkboxes', options: inner.element.options.map(String) };
    return { name, label, kind: 'json' };
  });
}

/**
 * Reads the submitted form into a policy and validates it whole with policySchema. Errors are keyed
 * by field name, so each is shown on its own field. `partners` are the clinic's other programs.
 */
export function readPolicyForm(
  body: FormBody,
  stored: object,
  partners: { id: string; name: string }[] = [],
): { policy?: z.infer<typeof policySchema>; errors: Record<string, string>; values: Record<string, unknown> } {
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const field of describePolicyFields()) {
    const raw = body[field.name];
    const text = Array.isArray(raw) ? raw[0] ?? '' : raw ?? '';
    if (field.kind === 'ladder') {
      const ladder = readLadder(body);
      values[field.name] = ladder.value ?? ladder.rows;
      if (ladder.error) errors[field.name] = ladder.error;
    } else if (field.kind === 'programs') {
      const chosen = readPartners(body, partners);
      values[field.name] = chosen.value;
      if (chosen.error) errors[field.name] = chosen.error;
    } else if (field.kind === 'weekly') {
      const weekly = readWeekly(body);
      values[field.name] = weekly.value !== undefined ? weekly.value : weekly.input;
      if (weekly.error) errors[field.name] = weekly.error;
    } else if (field.kind === 'number') {
      values[field.name] = text;
      if (text.trim() === '') errors[field.name] = 'Enter a number.';
      else if (!Number.isFinite(Number(text))) errors[field.name] = 'Enter a number.';
      else values[field.name] = Number(text);
    } else if (field.kind === 'select') {
      values[field.name] = text;
    } else if (field.kind === 'boolean') {
      // An unchecked box sends nothing.
      values[field.name] = raw !== undefined;
    } else if (field.kind === 'text') {
      // An optional text left empty is no value, not an empty one.
      values[field.name] = field.optional && text.trim() === '' ? undefined : text;
    } else if (field.kind === 'checkboxes') {
      values[field.name] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    } else {
      values[field.name] = text;
      try {
        values[field.name] = JSON.parse(text);
      } catch {
        errors[field.name] = 'Enter valid JSON.';
      }
    }
  }
  if (Object.keys(errors).length > 0) return { errors, values };
  const parsed = policySchema.safeParse({ ...stored, ...values });
  if (parsed.success) return { policy: parsed.data, errors, values };
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? 'form');
    errors[name] ??= plainMessage(issue);
  }
  return { errors, values };
}

/** Zod's wording for numbers ("Too big: expected number to be <=240") said as a form would say it. */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom' && issue.path[0] === 'lateAfterMinutes') return 'Must not be more than “No show after minutes”.';
  if (issue.code === 'custom' && issue.path[0] === 'strikeLadder') return 'Each step needs more strikes than the step before it.';
  if (issue.path[0] === 'strikeLadder' && issue.code === 'too_big') return 'A ladder has at most 50 strikes.';
  if (issue.code === 'too_big' && issue.path.length === 1) return `Must be at most ${String(issue.maximum)}.`;
  if (issue.code === 'too_small' && issue.path.length === 1) return `Must be at least ${String(issue.minimum)}.`;
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'Must be a whole number.';
  return issue.message;
}

export function renderPolicyFields(values: Record<string, unknown>, errors: Record<string, string>, partners: { id: string; name: string }[] = []): Html {
  return html`<div class="form-grid">${describePolicyFields().map((field) => {
    const id = `policy-${field.name}`;
    const error = errors[field.name];
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const describedBy = error ? `${hintId} ${errorId}` : hintId;
    const invalid = error ? html`aria-invalid="true"` : '';
    const value = values[field.name];
    const hint = html`<span class="hint" id="${hintId}">${HINTS[field.name] ?? ''}${field.kind === 'number' && field.min !== undefined ? ` (${field.min}–${field.max})` : ''}</span>`;
    const errorLine = error ? html`<p class="field-error" id="${errorId}">${error}</p>` : '';
    if (field.kind === 'ladder') return renderLadder(ladderRowsOf(value), error, hintId);
    if (field.kind === 'programs') return renderPartners(Array.isArray(value) ? value.map(String) : [], partners, error, hintId);
    if (field.kind === 'weekly') return renderWeekly(weeklyInputOf(value), error, hintId);
    if (field.kind === 'boolean') {
      return html`<div class="field" data-field="${field.name}">
        <label for="${id}"><input id="${id}" name="${field.name}" type="checkbox" value="on" aria-describedby="${describedBy}" ${invalid} ${value === true ? 'checked' : ''}> ${field.label}</label>${hint}${errorLine}</div>`;
    }
    if (field.kind === 'checkboxes') {
      const chosen = Array.isArray(value) ? value.map(String) : [];
      return html`<fieldset class="field" data-field="${field.name}" aria-describedby="${describedBy}" ${invalid}>
        <legend>${field.label}</legend>${hint}
        ${field.options.map((option) => html`<label><input type="checkbox" name="${field.name}" value="${option}" ${chosen.includes(option) ? 'checked' : ''}> ${optionWords(option)}</label>`)}
        ${errorLine}</fieldset>`;
    }
    let control: Html;
    if (field.kind === 'number') {
      control = html`<input id="${id}" name="${field.name}" type="number" inputmode="decimal" step="${field.integer ? '1' : 'any'}" value="${String(value ?? '')}" aria-describedby="${describedBy}" ${invalid}>`;
    } else if (field.kind === 'text') {
      control = html`<input id="${id}" name="${field.name}" type="text" maxlength="500" value="${typeof value === 'string' ? value : ''}" aria-describedby="${describedBy}" ${invalid}>`;
    } else if (field.kind === 'select') {
      control = html`<select id="${id}" name="${field.name}" aria-describedby="${describedBy}" ${invalid}>${field.options.map((o) => html`<option value="${o}" ${o === value ? 'selected' : ''}>${optionWords(o)}</option>`)}</select>`;
    } else {
      control = html`<textarea id="${id}" name="${field.name}" rows="4" cols="40" aria-describedby="${describedBy}" ${invalid}>${typeof value === 'string' ? value : JSON.stringify(value)}</textarea>`;
    }
    return html`<div class="field" data-field="${field.name}"><label for="${id}">${field.label}</label>${hint}${control}${errorLine}</div>`;
  })}</div>`;
}
