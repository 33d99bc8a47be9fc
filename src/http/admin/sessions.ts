import { Router } from 'express';
import { z } from 'zod';
import { findSession, listProgramSessions } from '../../services/queries/session-queries.js';
import { createSession, type EnteredPresence } from '../../services/schedule-changes.js';
import { ApiError, notFound, parseInput } from '../api-error.js';
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
  const router = Router();

  const loadSession = async (organizationId: string, rawId: string | string[] | undefined) => {
    const session = await findSession(deps, organizationId, requireId(rawId, 'session'));
    if (!session) throw notFound('session');
    return session;
  };

  router.get('/programs/:id/sessions', async (req, res) => {
    const { organizationId } = adminContext(res);
    const program = await loadProgram(deps, organizationId, req.params.id);
    const range = parseInput(rangeSchema, req.query, 'query.');
    const sessions = await listProgramSessions(deps, organizationId, program.id, {
      from: range.from ? new Date(range.from) : undefined,
      to: range.to ? new Date(range.to) : undefined,
    });
    res.json({ sessions: sessions.map(serializeSession) });
  });

  router.post('/programs/:id/sessions', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const program = await loadProgram(deps, organizationId, req.params.id);
    const input = parseInput(sessionCreateSchema, req.body);
    const presence = input.presence?.map((p) => ({ participantId: p.participantId, intervals: p.intervals.map((i) => ({ joinedAt: new Date(i.joinedAt), leftAt: new Date(i.leftAt) })) }));
    if (presence) await checkEnteredPresence(deps, { organizationId, programId: program.id, endsAt: new Date(input.endsAt), presence });
    const session = await createSession(deps, { organizationId, actor, programId: program.id, startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt), meeting: input.meeting, presence });
    // A session whose end has passed gets its finalization deadline now, which runs at once.
    await deps.afterSessionsCreated([session.id]);
    res.status(201).json(serializeSession(session));
  });

  router.get('/sessions/:id', async (req, res) => {
    const { organizationId } = adminContext(res);
    res.json(serializeSession(await loadSession(organizationId, req.params.id)));
  });

  router.get('/sessions/:id/attendance', async (req, res) => {
    const { organizationId } = adminContext(res);
    const session = await loadSession(organizationId, req.params.id);
    const attendance = await deps.readAttendance(organizationId, session.id);
    res.json({ session: serializeSession(session), attendance });
  });

  return router;
}

/** Presence is entered only for a session that has ended, and only for people enrolled in the program. */
async function checkEnteredPresence(deps: AdminDeps, input: { organizationId: string; programId: string; endsAt: Date; presence: EnteredPresence[] }) {
  if (input.endsAt > deps.clock.now()) throw new ApiError(400, 'invalid_input', 'presence: can be entered only with a session that has ended', [{ field: 'presence', message: 'can be entered only with a session that has ended' }]);
  const ids = [...new Set(input.presence.map((p) => p.participantId))];
  const enrolled = await deps.prisma.enrollment.count({ where: { organizationId: input.organizationId, programId: input.programId, participantId: { in: ids } } });
  if (enrolled !== ids.length) throw new ApiError(400, 'invalid_input', 'presence: names someone not enrolled in this program', [{ field: 'presence', message: 'names someone not enrolled in this program' }]);
}
