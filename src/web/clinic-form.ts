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

/** Participant chat per platform (organization setting participantChat), in the order staff know them. */
export const PARTICIPANT_CHAT_PLATFORMS = [
  { key: 'teams', label: 'Microsoft Teams', hint: '' },
  { key: 'zoom', label: 'Zoom Team Chat', hint: '' },
  { key: 'slack', label: 'Slack', hint: 'Off unless your clinic may: Slack’s terms forbid chatting with patients for most clinics.' },
  { key: 'sms', label: 'Text messages (SMS)', hint: 'Only to participants who agreed to texts, and only where texting is set up for this Rollcall.' },
] as const;

export type ParticipantChatChoice = Record<(typeof PARTICIPANT_CHAT_PLATFORMS)[number]['key'], boolean>;

/** Where participants may write to Rollcall and get messages from it (absences, reminders, follow-ups). */
export function renderParticipantChatForm(data: { csrfToken: string; chosen: ParticipantChatChoice; canEdit: boolean; saved?: boolean; error?: string }): Html {
  const heading = html`<h2 id="participant-chat-heading">Participant chat</h2>`;
  if (!data.canEdit) {
    const on = PARTICIPANT_CHAT_PLATFORMS.filter((p) => data.chosen[p.key]).map((p) => p.label);
    return html`<section aria-labelledby="participant-chat-heading">${heading}<p>${on.length > 0 ? `Participants can chat with Rollcall on ${on.join(', ')}.` : 'Participants cannot chat with Rollcall.'}</p></section>`;
  }
  return html`<section aria-labelledby="participant-chat-heading">
    ${heading}
    ${data.saved ? html`<p class="notice" role="status">Participant chat saved.</p>` : ''}
    ${data.error ? html`<p class="notice error" role="alert">Participant chat was not saved: ${data.error}</p>` : ''}
    <form method="post" action="/settings/participant-chat" novalidate>
      ${csrfField(data.csrfToken)}
      <fieldset class="field" ${data.error ? html`aria-invalid="true" aria-describedby="participant-chat-error"` : ''}>
        <legend>Rollcall may message participants on</legend>
        ${PARTICIPANT_CHAT_PLATFORMS.map(
          (p) => html`<div class="check-row"><label><input type="checkbox" name="${p.key}" value="on" ${data.chosen[p.key] ? 'checked' : ''}> ${p.label}</label>${
            p.hint ? html`<span class="hint">${p.hint}</span>` : ''
          }</div>`,
        )}
        ${data.error ? html`<p class="field-error" id="participant-chat-error">${data.error}</p>` : ''}
      </fieldset>
      <button type="submit">Save participant chat</button>
    </form>
  </section>`;
}
