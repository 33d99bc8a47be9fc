import type { Program } from '../generated/prisma/client.js';
import { emptyForm, errorSummary, selectField, textField, timezoneOptions, type FormState } from './form-fields.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';

const ZONE_OPTIONAL = (programZone: string) => [{ value: '', label: `Same as the program (${programZone.replace(/_/g, ' ')})` }, ...timezoneOptions()];

/** "Add participant" of one program: name, email, time zone and an id per platform. */
export function renderAddParticipantPage(data: { program: Program; csrfToken: string; form?: FormState }): Html {
  const { program } = data;
  const state = data.form ?? emptyForm();
  return renderPage({
    title: `Add participant: ${program.name}`,
    section: 'programs',
    csrfToken: data.csrfToken,
    body: html`<h1>Add participant to ${program.name}</h1>
      <p><a href="/programs/${program.id}">Back to attendance</a> · <a href="/programs/${program.id}/import">Import participants from a CSV file instead</a></p>
      ${errorSummary(state, 'The participant')}
      <form method="post" action="/programs/${program.id}/participants" novalidate>
        ${csrfField(data.csrfToken)}
        ${textField({ id: 'participant-name', name: 'name', label: 'Name', state, required: true, attrs: html`maxlength="200" autocomplete="off"` })}
        ${textField({ id: 'participant-email', name: 'email', label: 'Email', type: 'email', state, hint: 'Optional. Zoom and Teams often match people by it.', attrs: html`autocomplete="off"` })}
        ${selectField({ id: 'participant-timezone', name: 'timezone', label: 'Time zone', state, options: ZONE_OPTIONAL(program.timezone) })}
        <fieldset class="field"><legend>Platform ids (optional)</legend>
          <p class="hint">How each platform knows this person, so attendance and messages find them.</p>
          ${textField({ id: 'participant-zoom', name: 'zoom', label: 'Zoom user id', state })}
          ${textField({ id: 'participant-teams', name: 'teams', label: 'Microsoft Teams (Entra object id)', state })}
          ${textField({ id: 'participant-slack', name: 'slack', label: 'Slack member id', state })}
        </fieldset>
        <button type="submit">Add participant</button>
      </form>`,
  });
}

/** On the participant page, for owners and admins: correct the details (the phone among them), or discharge from a program. */
export function renderParticipantManagement(data: {
  participantId: string;
  programZone: string;
  enrollments: { program: { id: string; name: string }; status: string }[];
  /** Programs of the clinic they are not enrolled in. */
  otherPrograms: { id: string; name: string }[];
  csrfToken: string;
  form: FormState;
}): Html {
  const { participantId, form: state } = data;
  const active = data.enrollments.filter((e) => e.status === 'active');
  return html`<section aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit details</h2>
      ${errorSummary(state, 'The change')}
      <form method="post" action="/participants/${participantId}/edit" novalidate>
        ${csrfField(data.csrfToken)}
        ${textField({ id: 'edit-name', name: 'name', label: 'Name', state, required: true, attrs: html`maxlength="200"` })}
        ${textField({ id: 'edit-email', name: 'email', label: 'Email', type: 'email', state })}
        ${selectField({ id: 'edit-timezone', name: 'timezone', label: 'Time zone', state, options: ZONE_OPTIONAL(data.programZone) })}
        ${textField({ id: 'edit-phone', name: 'phone', label: 'Phone', type: 'tel', state, hint: 'With its country code, e.g. +1 415 555 0123. A new number needs their agreement to texts again.', attrs: html`autocomplete="off"` })}
        <button type="submit">Save details</button>
      </form>
    </section>
    ${active.length === 0
      ? ''
      : html`<section aria-labelledby="discharge-heading">
      <h2 id="discharge-heading">Discharge</h2>
      <p class="muted">Sessions after the discharge are no longer theirs; their record stays.</p>
      ${active.map(
        (e) => html`<form method="post" action="/participants/${participantId}/discharge" class="inline-form">
          ${csrfField(data.csrfToken)}
          <input type="hidden" name="programId" value="${e.program.id}">
          <button type="submit" class="secondary">Discharge from ${e.program.name}</button>
        </form> `,
      )}
    </section>`}
    ${data.otherPrograms.length === 0
      ? ''
      : html`<section aria-labelledby="enrol-heading">
      <h2 id="enrol-heading">Enrol in another program</h2>
      <p class="muted">To transfer: enrol in the new program, then discharge from the old one.</p>
      <form method="post" action="/participants/${participantId}/enrol" class="inline-form">
        ${csrfField(data.csrfToken)}
        <label for="enrol-program">Program</label>
        <select id="enrol-program" name="programId">${data.otherPrograms.map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select>
        <button type="submit" class="secondary">Enrol</button>
      </form>
    </section>`}`;
}
