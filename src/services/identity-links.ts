import { normalizeIdentityValue } from '../core/identity.js';
import type { PresencePerson } from '../core/presence-event.js';
import type { Db } from '../db/database.js';
import { ServiceError } from './service-error.js';
import { writeAudit } from './audit.js';
import type { SessionEvaluator } from './session-evaluator.js';

/**
 * Says who an unrecognized joiner is: their display name becomes a learned alias (and the platform
 * account id an identity, when there is one), audited, and the session is evaluated again.
 */
export async function linkUnrecognizedPerson(
  deps: { prisma: Db; evaluator: SessionEvaluator },
  input: { organizationId: string; actor: string; sessionId: string; personKey: string; participantId: string },
): Promise<string[]> {
  const { prisma, evaluator } = deps;
  const { organizationId } = input;
  const session = await prisma.session.findFirst({ where: { id: input.sessionId, organizationId } });
  if (!session) throw new ServiceError('not_found', 'session not found');
  const enrolled = await prisma.enrollment.findFirst({ where: { organizationId, programId: session.programId, participantId: input.participantId } });
  if (!enrolled) throw new ServiceError('invalid_input', "participantId: not enrolled in this session's program", [{ field: 'participantId', message: 'not enrolled' }]);
  const event = await prisma.presenceEvent.findFirst({ where: { organizationId, sessionId: session.id, personKey: input.personKey } });
  if (!event) throw new ServiceError('not_found', 'person in this session not found');
  const person = (event.person ?? {}) as unknown as Partial<PresencePerson>;
  const identities = [
    ...(person.displayName ? [{ kind: 'alias', value: normalizeIdentityValue('alias', person.displayName) }] : []),
    ...(person.userId ? [{ kind: 'user_id', value: person.userId }] : []),
  ];
  if (identities.length === 0) throw new ServiceError('conflict', 'this person has neither a display name nor an account id to learn');
  await prisma.$transaction(async (tx) => {
    for (const identity of identities) {
      const taken = await tx.identity.findUnique({
        where: { organizationId_platform_kind_value: { organizationId, platform: session.meetingPlatform, ...identity } },
      });
      if (taken && taken.participantId !== input.participantId) throw new ServiceError('conflict', `this ${identity.kind} already names another participant`);
      if (!taken) await tx.identity.create({ data: { organizationId, participantId: input.participantId, platform: session.meetingPlatform, ...identity } });
    }
    await writeAudit(tx, {
      organizationId,
      actor: input.actor,
      action: 'identity.link',
      entityType: 'Participant',
      entityId: input.participantId,
      data: { sessionId: session.id, kinds: identities.map((i) => i.kind) },
    });
  });
  await evaluator.evaluate(session.id);
  return identities.map((i) => i.kind);
}
