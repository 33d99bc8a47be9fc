import { z } from 'zod';
import { policySchema } from '../core/policy.js';
import { html, type Html } from './html.js';

/** How one policy field is edited, read off the schema so a field added to the policy appears by itself. */
export type PolicyField =
  | { name: string; label: string; kind: 'number'; min?: number; max?: number; integer: boolean }
  | { name: string; label: string; kind: 'select'; options: string[] }
  | { name: string; label: string; kind: 'checkboxes'; options: string[] }
  | { name: string; label: string; kind: 'json' };

const HINTS: Record<string, string> = {
  lateAfterMinutes: 'A first join after this many minutes is late.',
  noShowAfterMinutes: 'No join by then: a Not joined alert.',
  leftEarlyMinutes: 'Leaving more than this before the end is leaving early.',
  minAttendancePercent: 'Less presence than this share of the session is a short stay.',
  waitingRoomAlertMinutes: 'Waiting this long to be admitted alerts staff.',
  rejoinWindowMinutes: 'A rejoin within this window is one continuous stay.',
  weeklyHoursRequired: 'Live hours per ISO week.',
  strikeWindowDays: 'Strikes older than this no longer count.',
  lateStrikeEvery: 'Every Nth late join or short stay adds a strike; 0 turns it off.',
  strikeLadder: 'What to propose at each strike count, as JSON.',
  consecutiveMissesForReview: 'Misses in a row that mark a presumed drop-out for review.',
  excusedReasons: 'Absence reasons that are excused when reported ahead.',
  nameDisplay: 'How alerts in chat name participants.',
};

/** "lateAfterMinutes" → "Late after minutes". */
function humanize(name: string): string {
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function describePolicyFields(): PolicyField[] {
  return Object.entries(policySchema.shape).map(([name, schema]): PolicyField => {
    const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : (schema as z.ZodType);
    const label = humanize(name);
    if (inner instanceof z.ZodNumber) return { name, label, kind: 'number', min: inner.minValue ?? undefined, max: inner.maxValue ?? undefined, integer: inner.isInt };
    if (inner instanceof z.ZodEnum) return { name, label, kind: 'select', options: inner.options.map(String) };
    if (inner instanceof z.ZodArray && inner.element instanceof z.ZodEnum) return { name, label, kind: 'checkboxes', options: inner.element.options.map(String) };
    return { name, label, kind: 'json' };
  });
}

export type FormBody = Record<string, string | string[] | undefined>;

/**
 * Reads the submitted form into a policy and validates it whole with policySchema. Errors are keyed
 * by field name, so each is shown on its own field.
 */
export function readPolicyForm(body: FormBody, stored: object): { policy?: z.infer<typeof policySchema>; errors: Record<string, string>; values: Record<string, unknown> } {
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const field of describePolicyFields()) {
    const raw = body[field.name];
    const text = Array.isArray(raw) ? raw[0] ?? '' : raw ?? '';
    if (field.kind === 'number') {
      values[field.name] = text;
      if (text.trim() === '') errors[field.name] = 'Enter a number.';
      else if (!Number.isFinite(Number(text))) errors[field.name] = 'Enter a number.';
      else values[field.name] = Number(text);
    } else if (field.kind === 'select') {
      values[field.name] = text;
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
  if (issue.code === 'too_big' && issue.path.length === 1) return `Must be at most ${String(issue.maximum)}.`;
  if (issue.code === 'too_small' && issue.path.length === 1) return `Must be at least ${String(issue.minimum)}.`;
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'Must be a whole number.';
  return issue.message;
}

export function renderPolicyFields(values: Record<string, unknown>, errors: Record<string, string>): Html {
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
    if (field.kind === 'checkboxes') {
      const chosen = Array.isArray(value) ? value.map(String) : [];
      return html`<fieldset class="field" data-field="${field.name}" aria-describedby="${describedBy}" ${invalid}>
        <legend>${field.label}</legend>${hint}
        ${field.options.map((option) => html`<label><input type="checkbox" name="${field.name}" value="${option}" ${chosen.includes(option) ? 'checked' : ''}> ${option.replace(/_/g, ' ')}</label>`)}
        ${errorLine}</fieldset>`;
    }
    let control: Html;
    if (field.kind === 'number') {
      control = html`<input id="${id}" name="${field.name}" type="number" inputmode="decimal" step="${field.integer ? '1' : 'any'}" value="${String(value ?? '')}" aria-describedby="${describedBy}" ${invalid}>`;
    } else if (field.kind === 'select') {
      control = html`<select id="${id}" name="${field.name}" aria-describedby="${describedBy}" ${invalid}>${field.options.map((o) => html`<option value="${o}" ${o === value ? 'selected' : ''}>${o.replace(/_/g, ' ')}</option>`)}</select>`;
    } else {
      control = html`<textarea id="${id}" name="${field.name}" rows="4" cols="40" aria-describedby="${describedBy}" ${invalid}>${typeof value === 'string' ? value : JSON.stringify(value)}</textarea>`;
    }
    return html`<div class="field" data-field="${field.name}"><label for="${id}">${field.label}</label>${hint}${control}${errorLine}</div>`;
  })}</div>`;
}
