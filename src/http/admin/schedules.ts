import { Router } from 'express';
import { validateSchedule } from '../../core/schedule.js';
import { writeAudit } from '../../services/audit.js';
import { planScheduleSessions, scheduleAnchor } from '../../services/session-planner.js';
import { ApiError, conflict, parseInput } from '../api-error.js';
import { findScheduleClash } from './schedule-overlap.js';
import type { AdminDeps } from './admin-deps.js';
import { adminContext } from './auth.js';
import { loadProgram } from './programs.js';
import { scheduleCreateSchema } from './schemas.js';
import { serializeSchedule, serializeSession } from './serialize.js';

export function schedulesRouter(deps: AdminDeps): Router {
  const { prisma, clock } = deps;
  const router = Router();

  router.get('/programs/:id/schedules', async (req, res) => {
    const { organizationId } = adminContext(res);
    const program = await loadProgram(prisma, organizationId, req.params.id);
    const schedules = await prisma.schedule.findMany({ where: { organizationId, programId: program.id }, orderBy: { createdAt: 'asc' } });
    res.json({ schedules: schedules.map(serializeSchedule) });
  });

  router.post('/programs/:id/schedules', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const program = await loadProgram(prisma, organizationId, req.params.id);
    const input = parseInput(scheduleCreateSchema, req.body);
    const problem = validateSchedule({ rrule: input.rrule, startTime: input.startTime, timezone: program.timezone });
    if (problem) throw new ApiError(400, 'invalid_input', `rrule: ${problem}`, [{ field: 'rrule', message: problem }]);
    const now = clock.now();
    const rule = { rrule: input.rrule.replace(/^RRULE:/i, ''), startTime: input.startTime, durationMinutes: input.durationMinutes, anchor: scheduleAnchor(program.timezone, now, input.startsOn) };
    const meeting = { meetingPlatform: input.meeting.platform, meetingId: input.meeting.meetingId };
    const schedule = await prisma.$transaction(async (tx) => {
      const clash = await findScheduleClash(tx, { organizationId, ...meeting, schedule: { ...rule, timezone: program.timezone }, now });
      if (clash) {
        throw conflict(`meeting: schedule ${clash.scheduleId} already holds this meeting at ${clash.at.toISOString()}`, [
          { field: 'meeting.meetingId', message: 'overlaps another schedule on this meeting', scheduleId: clash.scheduleId, programId: clash.programId, at: clash.at },
        ]);
      }
      const created = await tx.schedule.create({
        data: { organizationId, programId: program.id, ...rule, ...meeting, joinUrl: input.meeting.joinUrl ?? null },
      });
      await writeAudit(tx, { organizationId, actor, action: 'schedule.create', entityType: 'Schedule', entityId: created.id, data: { programId: program.id } });
      return created;
    });
    const createdIds = await planScheduleSessions(prisma, schedule, program, now);
    await deps.afterSessionsCreated(createdIds);
    const sessions = await prisma.session.findMany({ where: { organizationId, scheduleId: schedule.id }, orderBy: { startsAt: 'asc' } });
    res.status(201).json({ ...serializeSchedule(schedule), sessions: sessions.map(serializeSession) });
  });

  return router;
}
