import type { ParticipantTimeline } from '../services/participant-timeline.js';
import { actorWords } from './audit-sentences.js';
import { formatSessionStart } from './format.js';
import { emptyForm, errorSummary, PLATFORM_OPTIONS, selectField, textField, type FormState } from './form-fields.js';
import { html, type Html } from './html.js';
import { csrfField } from './layout.js';
import { consentSourceWords, formatPhone, IDENTITY_KIND_CHOICES, identityWords, PLATFORM_WORDS } from './participant-words.js';

/** The participant page's people side: how to reach them, how platforms know them, staff notes. */

export interface EditForms {
  csrfToken: string;
  /** Staff who may change things here (everyone but viewers). */
  canEdit: boolean;
  identity?: FormState;
  note?: FormState;
  consentError?: string;
}

const REASON_WORDS: Record<string, string> = {
  chat_disabled: 'Participant chat is turned off for their platform in the clinic’s settings. Reach them another way, or add a phone number they agree to be texted on.',
  no_sms_consent: 'They have a phone number but have not agreed to texts. Record their agreement below once they give it.',
  no_chat_identity: 'Rollcall has no chat account or phone number it may write to. Add their Teams or Zoom account under Identities, or a phone number with their agreement to texts.',
};

function channelWords(contact: ParticipantTimeline['contact'], phone: string | null): string {
  const { target } = contact;
  if (!target) return REASON_WORDS[contact.reason ?? 'no_chat_identity'] ?? REASON_WORDS.no_chat_identity!;
  if (target.platform === 'sms') return `By text message to ${formatPhone(phone ?? target.userId)}.`;
  return `In ${PLATFORM_WORDS[target.platform]} chat.`;
}

function consentWords(data: ParticipantTimeline): string {
  const p = data.participant;
  if (!p.phone) return 'No phone number.';
  const when = p.smsConsentAt ? ` on ${formatSessionStart(p.smsConsentAt, data.zone)}` : '';
  const how = consentSourceWords(p.smsConsentSource);
  // Who recorded it, when a person did: the latest consent entry of the audit trail.
  const entry = data.audit.find((e) => e.action === 'participant.sms_consent' || e.action === 'participant.sms_opt_out');
  const by = p.smsConsentSource === 'staff' && entry ? `(recorded by ${actorWords(entry.actor, data.names)})` : how;
  if (p.smsConsent) return `Agreed to texts${when} ${by}`.trim() + '.';
  if (!p.smsConsentAt) return 'Has not agreed to texts. Nothing is texted to them.';
  return `Stopped texts${when} ${by}`.trim() + '. Nothing is texted to them.';
}

export function renderContact(data: ParticipantTimeline, forms: EditForms): Html {
  const p = data.participant;
  const consentForm =
    forms.canEdit && p.phone
      ? html`<form method="post" action="/participants/${p.id}/sms-consent" class="inline-form">
          ${csrfField(forms.csrfToken)}
          <input type="hidden" name="consent" value="${p.smsConsent ? 'no' : 'yes'}">
          <button type="submit" class="secondary">${p.smsConsent ? 'Record that they stopped texts' : 'Record that they agreed to texts'}</button>
        </form>
        <p class="hint muted">Record it only as they said it to you (on a call, in a session). It is kept with your name and the time.</p>`
      : '';
  return html`<dl class="contact">
      <dt>Email</dt><dd>${p.email ?? html`<span class="muted">None</span>`}</dd>
      <dt>Phone</dt><dd>${p.phone ? formatPhone(p.phone) : html`<span class="muted">None</span>`}</dd>
      <dt>Rollcall writes to them</dt><dd data-channel="${data.contact.target?.platform ?? 'none'}">${channelWords(data.contact, p.phone)}</dd>
      <dt>Text messages</dt><dd data-sms-consent="${p.smsConsent ? 'yes' : 'no'}">${consentWords(data)}</dd>
    </dl>
    ${forms.consentError ? html`<p class="notice error" role="alert">${forms.consentError}</p>` : ''}
    ${consentForm}`;
}

export function renderIdentities(data: ParticipantTimeline, forms: EditForms): Html {
  const p = data.participant;
  const state = forms.identity ?? emptyForm({ platform: 'zoom', kind: 'account' });
  return html`${p.identities.length === 0
      ? html`<p class="muted">None yet: Rollcall recognizes them in meetings by their email and name only.</p>`
      : html`<ul class="timeline identities">${p.identities.map(
          (i) => html`<li data-identity-id="${i.id}">${identityWords(i.platform, i.kind)}: <code>${i.value}</code>
            ${forms.canEdit
              ? html`<form method="post" action="/participants/${p.id}/identities/${i.id}/remove" class="inline-form">
                  ${csrfField(forms.csrfToken)}
                  <button type="submit" class="secondary small" aria-label="Remove ${identityWords(i.platform, i.kind)} ${i.value}">Remove</button>
                </form>`
              : ''}</li>`,
        )}</ul>`}
    ${forms.canEdit
      ? html`<h3 id="identity-add-heading">Add an id or name</h3>
        ${errorSummary(state, 'The id')}
        <form method="post" action="/participants/${p.id}/identities" class="form-grid" aria-labelledby="identity-add-heading" novalidate>
          ${csrfField(forms.csrfToken)}
          ${selectField({ id: 'identity-platform', name: 'platform', label: 'Platform', state, options: PLATFORM_OPTIONS })}
          ${selectField({ id: 'identity-kind', name: 'kind', label: 'Kind of id', state, options: [...IDENTITY_KIND_CHOICES], hint: 'Registration ids and customer keys are Zoom’s only.' })}
          ${textField({ id: 'identity-value', name: 'value', label: 'Id, email or name', state, required: true, attrs: html`maxlength="320" autocomplete="off"` })}
          <div class="field"><button type="submit">Add</button></div>
        </form>`
      : ''}`;
}

export function renderNotes(data: ParticipantTimeline, forms: EditForms): Html {
  const state = forms.note ?? emptyForm();
  const error = state.errors.text;
  return html`${forms.canEdit
      ? html`<form method="post" action="/participants/${data.participant.id}/notes" novalidate>
          ${csrfField(forms.csrfToken)}
          <div class="field"><label for="note-text">Note</label>
            <span class="hint" id="note-text-hint">Seen by your clinic’s staff only; never sent to the participant or to chat.</span>
            <textarea id="note-text" name="text" rows="3" maxlength="4000" aria-describedby="note-text-hint${error ? ' note-text-error' : ''}" ${error ? html`aria-invalid="true"` : ''}>${state.values.text ?? ''}</textarea>
            ${error ? html`<p class="field-error" id="note-text-error">${error}</p>` : ''}
          </div>
          <button type="submit">Add note</button>
        </form>`
      : ''}
    ${data.notes.length === 0
      ? html`<p class="muted">No notes yet.</p>`
      : html`<ul class="timeline notes">${data.notes.map(
          (n) => html`<li data-note-id="${n.id}"><p class="note-meta"><strong>${actorWords(n.author, data.names)}</strong> · <span class="muted">${formatSessionStart(n.createdAt, data.zone)}</span></p>
            <p class="note-text">${n.text}</p></li>`,
        )}</ul>`}`;
}
