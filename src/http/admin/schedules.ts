import { Router } from 'express';
import { validateSchedule } from '../../core/schedule.js';
import { listScheduleSessions, listSchedules } from '../../services/queries/session-queries.js';
import { createSchedule } from '../../services/schedule-changes.js';
import { ApiError, parseInput } from '../api-error.js';
import type { AdminDeps } from './admin-deps.js';
import { adminContext } from './auth.js';
import { loadProgram } from './programs.js';
import { scheduleCreateSchema } from './schemas.js';
import { serializeSchedule, serializeSession } from './serialize.js';

export function schedulesRouter(deps: AdminDeps): Router {
  const router = Router();

  router.get('/programs/:id/schedules', async (req, res) => {
    const { organizationId } = adminContext(res);
    const program = await loadProgram(deps, organizationId, req.params.id);
    const schedules = await listSchedules(deps, organizationId, program.id);
    res.json({ schedules: schedules.map(serializeSchedule) });
  });

  router.post('/programs/:id/schedules', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const program = await loadProgram(deps, organizationId, req.params.id);
    const input = parseInput(scheduleCreateSchema, req.body);
    const problem = validateSchedule({ rrule: input.rrule, startTime: input.startTime, timezone: program.timezone });
    if (problem) throw new ApiError(400, 'invalid_input', `rrule: ${problem}`, [{ field: 'rrule', message: problem }]);
    const { schedule, createdSessionIds } = await createSchedule(deps, { organizationId, actor, program, ...input, now: deps.clock.now() });
    await deps.afterSessionsCreated(createdSessionIds);
    const sessions = await listScheduleSessions(deps, organizationId, schedule.id);
    res.status(201).json({ ...serializeSchedule(schedule), sessions: sessions.map(serializeSession) });
  });

  return router;
}
