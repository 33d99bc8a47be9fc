import { Router } from 'express';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { setParticipantPhone } from '../../services/participant-phone.js';
import { setSmsConsent } from '../../services/sms-consent.js';
import { enrollParticipant } from '../../services/enrollments.js';
import { listEnrollments } from '../../services/queries/program-queries.js';
import { ApiError, parseInput } from '../api-error.js';
import type { AdminDeps } from './admin-deps.js';
import { adminContext } from './auth.js';
import { loadProgram } from './programs.js';
import { participantCreateSchema, participantPatchSchema } from './schemas.js';
import { serializeParticipant } from './serialize.js';

export function participantsRouter(deps: { prisma: Db; clock: Clock; afterEnrolled?: AdminDeps['afterEnrolled'] }): Router {
  const router = Router();

  router.get('/programs/:id/participants', async (req, res) => {
    const { organizationId } = adminContext(res);
    const program = await loadProgram(deps, organizationId, req.params.id);
    const enrollments = await listEnrollments(deps, organizationId, program.id);
    res.json({
      participants: enrollments.map((e) => ({ ...serializeParticipant(e.participant), enrollment: { status: e.status, enrolledAt: e.enrolledAt, policyAcknowledgedAt: e.policyAcknowledgedAt } })),
    });
  });

  router.post('/programs/:id/participants', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const program = await loadProgram(deps, organizationId, req.params.id);
    const input = parseInput(participantCreateSchema, req.body);
    const participant = await enrollParticipant(deps, {
      organizationId,
      actor,
      programId: program.id,
      ...input,
      enrolledAt: input.enrolledAt ? new Date(input.enrolledAt) : undefined,
      now: deps.clock.now(),
    });
    // After the commit: the intake message goes through the participant outbox (never fails the request).
    await deps.afterEnrolled?.({ organizationId, programId: program.id, participantId: participant.id }).catch((error: unknown) => req.log.warn({ err: error }, 'intake not sent'));
    res.status(201).json({ ...serializeParticipant(participant), programId: program.id });
  });

  // A participant's SMS address and consent (docs/sms.md): each change audited, consent with its time and source.
  router.patch('/participants/:id', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const input = parseInput(participantPatchSchema, req.body);
    const now = deps.clock.now();
    const updated = await deps.prisma.$transaction(async (tx) => {
      const participant = await tx.participant.findFirst({ where: { id: req.params.id, organizationId } });
      if (!participant) throw new ApiError(404, 'not_found', 'participant not found');
      if (input.phone !== undefined) {
        // Consent given in the same request applies to the new number.
        await setParticipantPhone(tx, { organizationId, actor, participant, phone: input.phone, at: now, keepConsent: input.smsConsent !== undefined });
      }
      if (input.smsConsent !== undefined) {
        await setSmsConsent(tx, { organizationId, participantId: participant.id, consent: input.smsConsent, source: input.smsConsentSource ?? 'staff', actor, at: now });
      }
      return tx.participant.findUniqueOrThrow({ where: { id: participant.id }, include: { identities: true } });
    });
    res.json(serializeParticipant(updated));
  });

  return router;
}
