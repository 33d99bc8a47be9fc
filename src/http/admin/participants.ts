import { Router } from 'express';
import type { Db } from '../../db/database.js';
import { enrollParticipant } from '../../services/enrollments.js';
import { listEnrollments } from '../../services/queries/program-queries.js';
import { parseInput } from '../api-error.js';
import type { AdminDeps } from './admin-deps.js';
import { adminContext } from './auth.js';
import { loadProgram } from './programs.js';
import { participantCreateSchema } from './schemas.js';
import { serializeParticipant } from './serialize.js';

export function participantsRouter(deps: { prisma: Db; afterEnrolled?: AdminDeps['afterEnrolled'] }): Router {
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
    });
    // After the commit: the intake message goes through the participant outbox (never fails the request).
    await deps.afterEnrolled?.({ organizationId, programId: program.id, participantId: participant.id }).catch((error: unknown) => req.log.warn({ err: error }, 'intake not sent'));
    res.status(201).json({ ...serializeParticipant(participant), programId: program.id });
  });

  return router;
}
