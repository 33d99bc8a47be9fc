import { Router } from 'express';
import type { Db } from '../../db/database.js';
import { defaultIdentityKind, normalizeIdentityValue } from '../../core/identity.js';
import { writeAudit } from '../../services/audit.js';
import { parseInput } from '../api-error.js';
import { adminContext } from './auth.js';
import { loadProgram } from './programs.js';
import { participantCreateSchema } from './schemas.js';
import { serializeParticipant } from './serialize.js';
import type { AdminDeps } from './admin-deps.js';

export function participantsRouter(prisma: Db, afterEnrolled?: AdminDeps['afterEnrolled']): Router {
  const router = Router();

  router.get('/programs/:id/participants', async (req, res) => {
    const { organizationId } = adminContext(res);
    const program = await loadProgram(prisma, organizationId, req.params.id);
    const enrollments = await prisma.enrollment.findMany({
      where: { organizationId, programId: program.id },
      include: { participant: { include: { identities: true } } },
      orderBy: { enrolledAt: 'asc' },
    });
    res.json({
      participants: enrollments.map((e) => ({ ...serializeParticipant(e.participant), enrollment: { status: e.status, enrolledAt: e.enrolledAt, policyAcknowledgedAt: e.policyAcknowledgedAt } })),
    });
  });

  router.post('/programs/:id/participants', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const program = await loadProgram(prisma, organizationId, req.params.id);
    const input = parseInput(participantCreateSchema, req.body);
    const participant = await prisma.$transaction(async (tx) => {
      const created = await tx.participant.create({
        data: { organizationId, name: input.name, email: input.email, timezone: input.timezone ?? null },
      });
      for (const identity of input.identities ?? []) {
        const kind = identity.kind ?? defaultIdentityKind(identity.platform);
        await tx.identity.create({
          data: { organizationId, participantId: created.id, platform: identity.platform, kind, value: normalizeIdentityValue(kind, identity.externalId) },
        });
      }
      await tx.enrollment.create({
        data: { organizationId, programId: program.id, participantId: created.id, ...(input.enrolledAt ? { enrolledAt: new Date(input.enrolledAt) } : {}) },
      });
      await writeAudit(tx, {
        organizationId,
        actor,
        action: 'participant.enroll',
        entityType: 'Participant',
        entityId: created.id,
        data: { programId: program.id, identities: input.identities?.length ?? 0 },
      });
      return tx.participant.findUniqueOrThrow({ where: { id: created.id }, include: { identities: true } });
    });
    // After the commit: the intake message goes through the participant outbox (never fails the request).
    await afterEnrolled?.({ organizationId, programId: program.id, participantId: participant.id }).catch((error: unknown) => req.log.warn({ err: error }, 'intake not sent'));
    res.status(201).json({ ...serializeParticipant(participant), programId: program.id });
  });

  return router;
}
