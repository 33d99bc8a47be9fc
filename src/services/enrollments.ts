import { defaultIdentityKind, normalizeIdentityValue, type IdentityKind } from '../core/identity.js';
import type { Platform } from '../core/presence-event.js';
import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';

export interface EnrollmentInput {
  organizationId: string;
  actor: string;
  programId: string;
  name: string;
  email?: string;
  timezone?: string;
  identities?: { platform: Platform; externalId: string; kind?: IdentityKind }[];
  /** Sessions that ended before it are not theirs; now when absent. */
  enrolledAt?: Date;
  /** E.164, validated by the caller. */
  phone?: string;
  smsConsent?: boolean;
  smsConsentSource?: 'intake_form' | 'staff';
  /** When consent was recorded (the request's time). */
  now?: Date;
}

/** A new participant with their platform identities, enrolled in a program of the organization, audited. */
export async function enrollParticipant(deps: { prisma: Db }, input: EnrollmentInput) {
  return deps.prisma.$transaction((tx) => enrollInTransaction(tx, input));
}

/** The same, inside a caller's transaction: an import enrolls many people, all or none. */
export async function enrollInTransaction(tx: Prisma.TransactionClient, input: EnrollmentInput) {
  const { organizationId, actor, programId } = input;
  const created = await tx.participant.create({
    data: {
      organizationId,
      name: input.name,
      email: input.email,
      timezone: input.timezone ?? null,
      phone: input.phone ?? null,
      ...(input.smsConsent !== undefined ? { smsConsent: input.smsConsent, smsConsentAt: input.now ?? new Date(), smsConsentSource: input.smsConsentSource ?? 'staff' } : {}),
    },
  });
  for (const identity of input.identities ?? []) {
    const kind = identity.kind ?? defaultIdentityKind(identity.platform);
    await tx.identity.create({
      data: { organizationId, participantId: created.id, platform: identity.platform, kind, value: normalizeIdentityValue(kind, identity.externalId) },
    });
  }
  await tx.enrollment.create({
    data: { organizationId, programId, participantId: created.id, ...(input.enrolledAt ? { enrolledAt: input.enrolledAt } : {}) },
  });
  await writeAudit(tx, {
    organizationId,
    actor,
    action: 'participant.enroll',
    entityType: 'Participant',
    entityId: created.id,
    data: { programId, identities: input.identities?.length ?? 0, ...(input.smsConsent !== undefined ? { smsConsent: input.smsConsent, smsConsentSource: input.smsConsentSource ?? 'staff' } : {}) },
  });
  return tx.participant.findUniqueOrThrow({ where: { id: created.id }, include: { identities: true } });
}
