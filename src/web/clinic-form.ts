import { errorSummary, textField, type FormState } from './form-fields.js';
import { html, type Html } from './html.js';
import { csrfField } from './layout.js';

/** Crisis contacts editable here; more can be kept through the admin API. */
export const CONTACT_ROWS = 3;

/** The clinic's name (printed on summaries) and the crisis contacts given with every crisis reply. */
export function renderClinicForm(data: { csrfToken: string; form: FormState; canEdit: boolean; saved?: boolean }): Html {
  const state = data.form;
  if (!data.canEdit) {
    return html`<section aria-labelledby="clinic-heading"><h2 id="clinic-heading">Clinic</h2><p>${state.values.name}</p></section>`;
  }
  return html`<section aria-labelledby="clinic-heading">
    <h2 id="clinic-heading">Clinic</h2>
    ${data.saved ? html`<p class="notice" role="status">Clinic saved.</p>` : ''}
    ${errorSummary(state, 'The clinic')}
    <form method="post" action="/settings/clinic" novalidate>
      ${csrfField(data.csrfToken)}
      ${textField({ id: 'clinic-name', name: 'name', label: 'Clinic name', state, required: true, hint: 'Printed on attendance summaries and shown to staff.', attrs: html`maxlength="200"` })}
      <fieldset class="field"><legend>Crisis contacts</legend>
        <p class="hint">Given to a participant with every crisis reply, after the national ones (988, 911).</p>
        ${Array.from({ length: CONTACT_ROWS }, (_, i) => html`<div class="form-grid">
          ${textField({ id: `contact-${i + 1}-label`, name: `contact${i + 1}Label`, label: `Contact ${i + 1}: who`, state, hint: i === 0 ? 'e.g. "On-call clinician"' : undefined })}
          ${textField({ id: `contact-${i + 1}-phone`, name: `contact${i + 1}Phone`, label: `Contact ${i + 1}: phone`, state })}
        </div>`)}
      </fieldset>
      <button type="submit">Save clinic</button>
    </form>
  </section>`;
}
