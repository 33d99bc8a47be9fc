import { html, type Html } from './html.js';

/** What a form shows again after a refusal: the values typed and, per field, what is wrong. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

interface FieldOptions {
  /** Unique on the page: forms on one page prefix their ids. */
  id: string;
  name: string;
  label: string;
  state: FormState;
  type?: 'text' | 'email' | 'date' | 'time' | 'number' | 'url' | 'tel';
  hint?: string;
  required?: boolean;
  attrs?: Html;
}

function describedBy(o: { id: string; hint?: string }, error: string | undefined): Html | string {
  const ids = [o.hint ? `${o.id}-hint` : '', error ? `${o.id}-error` : ''].filter(Boolean).join(' ');
  return ids ? html`aria-describedby="${ids}"` : '';
}

function after(o: { id: string; hint?: string }, error: string | undefined): Html {
  return html`${o.hint ? html`<span class="hint" id="${o.id}-hint">${o.hint}</span>` : ''}${error ? html`<p class="field-error" id="${o.id}-error">${error}</p>` : ''}`;
}

/** A labelled input with its hint and, after a refusal, its error under it (announced through aria-describedby). */
export function textField(o: FieldOptions): Html {
  const error = o.state.errors[o.name];
  return html`<div class="field"><label for="${o.id}">${o.label}</label>
    <input id="${o.id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.state.values[o.name] ?? ''}" ${o.required ? html`required` : ''} ${
      error ? html`aria-invalid="true"` : ''
    } ${describedBy(o, error)} ${o.attrs ?? ''}>
    ${after(o, error)}</div>`;
}

export function selectField(o: FieldOptions & { options: { value: string; label: string }[] }): Html {
  const error = o.state.errors[o.name];
  const current = o.state.values[o.name];
  return html`<div class="field"><label for="${o.id}">${o.label}</label>
    <select id="${o.id}" name="${o.name}" ${error ? html`aria-invalid="true"` : ''} ${describedBy(o, error)}>
      ${o.options.map((opt) => html`<option value="${opt.value}" ${opt.value === current ? html`selected` : ''}>${opt.label}</option>`)}
    </select>
    ${after(o, error)}</div>`;
}

export const PLATFORM_OPTIONS = [
  { value: 'zoom', label: 'Zoom' },
  { value: 'teams', label: 'Microsoft Teams' },
  { value: 'slack', label: 'Slack' },
];

export const PLATFORM_LABEL: Record<string, string> = { zoom: 'Zoom', teams: 'Microsoft Teams', slack: 'Slack' };

/** Every IANA zone the runtime knows, for a time-zone picker. */
export function timezoneOptions(): { value: string; label: string }[] {
  return [...Intl.supportedValuesOf('timeZone'), 'UTC'].map((zone) => ({ value: zone, label: zone.replace(/_/g, ' ') }));
}

/** "The form was not saved: 2 fields need a change." when there are errors. */
export function errorSummary(state: FormState, what: string): Html | string {
  const n = Object.keys(state.errors).length;
  if (n === 0) return '';
  return html`<p class="notice error" role="alert">${what} was not saved: ${n === 1 ? 'one field needs' : `${n} fields need`} a change.</p>`;
}

/** zod issues → first message per top-level field. */
export function fieldErrors(issues: { path: PropertyKey[]; message: string }[], messages: Record<string, string> = {}): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '_');
    errors[field] ??= messages[field] ?? issue.message;
  }
  return errors;
}
