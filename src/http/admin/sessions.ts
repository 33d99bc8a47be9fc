import { Router } from 'express';
import { z } from 'zod';
import { writeAudit } from '../../services/audit.js';
import { notFound, parseInput } from '../api-error.js';
import type { AdminDeps } from './admin-deps.js';
import { adminContext, requireId } from './auth.js';
import { loadProgram } from './programs.js';
import { sessionCreateSchema } from './schemas.js';
import { serializeSession } from './serialize.js';

const rangeSchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export function sessionsRouter(deps: AdminDeps): Router {
  const { prisma } = deps;
  const router = Router();

  router.get('/programs/:id/sessions', async (req, res) => {
    const { organizationId } = adminContext(res);
    const program = await loadProgram(prisma, organizationId, req.params.id);
    const range = parseInput(rangeSchema, req.query, 'query.');
    const sessions = await prisma.session.findMany({
      where: {
        organizationId,
        programId: program.id,
        startsAt: { gte: range.from ? new Date(range.from) : undefined, lt: range.to ? new Date(range.to) : undefined },
      },
      orderBy: { startsAt: 'asc' },
      take: 1000,
    });
    res.json({ sessions: sessions.map(serializeSession) });
  });

  router.post('/programs/:id/sessions', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const program = await loadProgram(prisma, organizationId, req.params.id);
    const input = parseInput(sessionCreateSchema, req.body);
    const session = await prisma.$transaction(async (tx) => {
      const created = await tx.session.create({
        data: {
          organizationId,
          programId: program.id,
          startsAt: new Date(input.startsAt),
          endsAt: new Date(input.endsAt),
          meetingPlatform: input.meeting.platform,
          meetingId: input.meeting.meetingId,
          joinUrl: input.meeting.joinUrl ?? null,
        },
      });
      await writeAudit(tx, { organizationId, actor, action: 'session.create', entityType: 'Session', entityId: created.id, data: { programId: program.id } });
      return created;
    });
    // A session whose end has passed gets its finalization deadline now, which runs at once.
    await deps.afterSessionsCreated([session.id]);
    res.status(201).json(serializeSession(session));
  });

  router.get('/sessions/:id', async (req, res) => {
    const { organizationId } = adminContext(res);
    const session = await prisma.session.findFirst({ where: { id: requireId(req.params.id, 'session'), organizationId } });
    if (!session) throw notFound('session');
    res.json(serializeSession(session));
  });

  router.get('/sessions/:id/attendance', async (req, res) => {
    const { organizationId } = adminContext(res);
    const session = await prisma.session.findFirst({ where: { id: requireId(req.params.id, 'session'), organizationId } });
    if (!session) throw notFound('session');
    const attendance = await deps.readAttendance(organizationId, session.id);
    res.json({ session: serializeSession(session), attendance });
  });

  return router;
}
