import { normalizeIdentityValue, type IdentityKind } from '../core/identity.js';
import type { Platform } from '../core/presence-event.js';
import type { Db } from '../db/database.js';
import { isPrismaError } from '../db/prisma-errors.js';
import { writeAudit } from './audit.js';
import { ServiceError } from './service-error.js';

type Actor = { organizationId: string; actor: string };

/**
 * Adds a way a platform names a participant (an account id, an email, a registration id, the name
 * they join with), audited with the platform and kind only: the value can be an email or a name.
 * The clinic's unique key refuses one id naming two people.
 */
export async function addParticipantIdentity(deps: { prisma: Db }, input: Actor & { participantId: string; platform: Platform; kind: IdentityKind; value: string }) {
  const { organizationId, actor, participantId, platform, kind } = input;
  const value = normalizeIdentityValue(kind, input.value);
  try {
    return await deps.prisma.$transaction(async (tx) => {
      const participant = await tx.participant.findFirst({ where: { id: participantId, organizationId }, select: { id: true } });
      if (!participant) throw new ServiceError('not_found', 'participant not found');
      const taken = await tx.identity.findUnique({ where: { organizationId_platform_kind_value: { organizationId, platform, kind, value } } });
      if (taken) throw duplicate(taken.participantId === participantId);
      const created = await tx.identity.create({ data: { organizationId, participantId, platform, kind, value } });
      await writeAudit(tx, { organizationId, actor, action: 'identity.add', entityType: 'Participant', entityId: participantId, data: { identityId: created.id, platform, kind } });
      return created;
    });
  } catch (error) {
    // Two staff adding the same id at once: the second is told as if it had been there first.
    if (isPrismaError(error, 'P2002')) throw duplicate(false);
    throw error;
  }
}

function duplicate(theirs: boolean): ServiceError {
  return new ServiceError('conflict', theirs ? 'They already have this id.' : 'This id already belongs to another participant in your clinic.');
}

/** Removes one of a participant's identities (of this organization), audited. */
export async function removeParticipantIdentity(deps: { prisma: Db }, input: Actor & { participantId: string; identityId: string }) {
  const { organizationId, actor, participantId, identityId } = input;
  await deps.prisma.$transaction(async (tx) => {
    const identity = await tx.identity.findFirst({ where: { id: identityId, organizationId, participantId } });
    if (!identity) throw new ServiceError('not_found', 'identity not found');
    await tx.identity.delete({ where: { id: identity.id } });
    await writeAudit(tx, { organizationId, actor, action: 'identity.remove', entityType: 'Participant', entityId: participantId, data: { identityId, platform: identity.platform, kind: identity.kind } });
  });
}
