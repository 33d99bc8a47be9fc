import { intakeMessage } from '../core/care-messages.js';
import { resolvePolicy } from '../core/policy.js';
import type { Platform } from '../core/presence-event.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { writeAudit } from './audit.js';
import { sendToParticipant, type OutboxDeps, type SendResult } from './participant-outbox.js';

/** On enrolment: the program's attendance expectations, in plain words, with "I understand". Once per enrolment. */
export async function sendIntake(deps: OutboxDeps, input: { organizationId: string; programId: string; participantId: string }): Promise<SendResult | null> {
  const enrollment = await deps.prisma.enrollment.findFirst({
    where: { organizationId: input.organizationId, programId: input.programId, participantId: input.participantId },
    include: { program: true, participant: true },
  });
  if (!enrollment || enrollment.policyAcknowledgedAt) return null;
  return sendToParticipant(deps, {
    organizationId: input.organizationId,
    participantId: input.participantId,
    dedupeKey: `intake:${enrollment.id}`,
    purpose: 'intake',
    message: intakeMessage({ participantName: enrollment.participant.name, programId: enrollment.programId, programName: enrollment.program.name, policy: resolvePolicy(enrollment.program.policy) }),
  });
}

/** "I understand": recorded on the enrolment (first press wins) and audited; staff read it on the admin API. */
export async function acknowledgeIntake(
  deps: { prisma: Db; clock: Clock },
  input: { organizationId: string; programId: string; participantId: string; platform: Platform; platformUserId: string },
): Promise<boolean> {
  const enrollment = await deps.prisma.enrollment.findFirst({ where: { organizationId: input.organizationId, programId: input.programId, participantId: input.participantId } });
  if (!enrollment) return false;
  if (enrollment.policyAcknowledgedAt) return true;
  await deps.prisma.$transaction(async (tx) => {
    const updated = await tx.enrollment.updateMany({ where: { id: enrollment.id, policyAcknowledgedAt: null }, data: { policyAcknowledgedAt: deps.clock.now() } });
    if (updated.count === 0) return;
    await writeAudit(tx, {
      organizationId: input.organizationId,
      actor: `${input.platform}:${input.platformUserId}`,
      action: 'enrollment.policy_acknowledged',
      entityType: 'Enrollment',
      entityId: enrollment.id,
      data: { programId: input.programId, participantId: input.participantId },
    });
  });
  return true;
}
