import { resolvePolicy } from '../../core/policy.js';
import { linkUnrecognizedPerson } from '../identity-links.js';
import { participantLabel } from '../labels.js';
import { ServiceError } from '../service-error.js';
import { actorKeyOf, refuse, type StaffActionHandler } from './staff-action-types.js';

/**
 * "Link to participant" on an Unrecognized participant alert: first the program's enrolled people
 * to choose from (the likely ones first), then the link, which evaluates the session again.
 */
export const linkParticipant: StaffActionHandler = async (deps, { alert, program }, request) => {
  if (!alert.sessionId || !alert.subjectKey.startsWith('unmatched:')) return refuse('no_participant');
  const enrolled = await deps.prisma.enrollment.findMany({
    where: { organizationId: alert.organizationId, programId: program.id, status: 'active' },
    include: { participant: { select: { id: true, name: true } } },
  });
  if (!request.choice || !enrolled.some((e) => e.participantId === request.choice)) {
    const policy = resolvePolicy(program.policy);
    const candidates = new Set(((alert.detail as { candidateParticipantIds?: string[] } | null)?.candidateParticipantIds ?? []) as string[]);
    const ordered = [...enrolled].sort((a, b) => Number(candidates.has(b.participantId)) - Number(candidates.has(a.participantId)));
    return {
      type: 'choose',
      title: 'Link to participant',
      label: 'Who is this?',
      submitLabel: 'Link',
      options: ordered.slice(0, 100).map((e) => ({ value: e.participantId, label: participantLabel(e.participant.name, policy.nameDisplay) })),
    };
  }
  try {
    await linkUnrecognizedPerson(deps, {
      organizationId: alert.organizationId,
      actor: actorKeyOf(request.actor),
      sessionId: alert.sessionId,
      personKey: alert.subjectKey.slice('unmatched:'.length),
      participantId: request.choice,
    });
  } catch (error) {
    if (error instanceof ServiceError) return { type: 'refused', text: `Could not link: ${error.message}.` };
    throw error;
  }
  return { type: 'done' };
};
