import type { Response } from 'express';
import { readParticipantTimeline } from '../../services/participant-timeline.js';
import { listPrograms } from '../../services/queries/program-queries.js';
import { formatPhone } from '../../web/participant-words.js';
import { emptyForm, type FormState } from '../../web/form-fields.js';
import { renderParticipantManagement } from '../../web/participant-forms.js';
import { renderParticipantPage } from '../../web/participant-page.js';
import type { EditForms } from '../../web/participant-contact.js';
import { notFound } from '../api-error.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { staffOf } from './staff-guard.js';

export interface ParticipantPageState {
  /** The Edit details form after a refusal. */
  edit?: FormState;
  identity?: FormState;
  note?: FormState;
  consentError?: string;
  saved?: string;
  status?: number;
}

/** The participant page for the signed-in staff member, with any refused form shown again. */
export async function showParticipantPage(deps: DashboardDeps, res: Response, participantId: string, state: ParticipantPageState = {}): Promise<void> {
  const staff = staffOf(res);
  const timeline = await readParticipantTimeline(deps, staff.organizationId, participantId);
  if (!timeline) throw notFound('participant');
  const { participant } = timeline;
  const manage =
    staff.role === 'owner' || staff.role === 'admin'
      ? renderParticipantManagement({
          participantId,
          programZone: participant.enrollments[0]?.program.timezone ?? 'UTC',
          enrollments: participant.enrollments,
          otherPrograms: (await listPrograms(deps, staff.organizationId, 'name')).filter((p) => !participant.enrollments.some((e) => e.program.id === p.id)),
          csrfToken: staff.csrfToken,
          form:
            state.edit ??
            emptyForm({ name: participant.name, email: participant.email ?? '', timezone: participant.timezone ?? '', phone: participant.phone ? formatPhone(participant.phone) : '' }),
        })
      : undefined;
  const forms: EditForms = { csrfToken: staff.csrfToken, canEdit: staff.role !== 'viewer', identity: state.identity, note: state.note, consentError: state.consentError };
  res.status(state.status ?? 200).type('html').send(renderParticipantPage(timeline, forms, { manage, saved: state.saved }).value);
}
