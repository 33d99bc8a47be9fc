import express, { Router, type RequestHandler, type Response } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { validateSchedule } from '../../core/schedule.js';
import { plainText } from '../../core/plain-text.js';
import type { Program } from '../../generated/prisma/client.js';
import { listProgramSessions, listSchedules } from '../../services/queries/session-queries.js';
import { requireProgram } from '../../services/queries/program-queries.js';
import { createSchedule, createSession } from '../../services/schedule-changes.js';
import { cancelOccurrence } from '../../services/session-cancel.js';
import { ServiceError } from '../../services/service-error.js';
import { fieldErrors, type FormState } from '../../web/form-fields.js';
import { renderSchedulePage, type SchedulePageData } from '../../web/schedule-page.js';
import { requireId } from '../admin/auth.js';
import { platformSchema } from '../admin/schemas.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireCsrf, requireRole, requireVisibleProgram, staffOf } from './staff-guard.js';

/** Sessions listed as "next": enough for two weeks of a daily program. */
const UPCOMING = 14;

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const length = z.coerce.number().int().min(5).max(12 * 60);
const meeting = { meetingPlatform: platformSchema, meetingId: plainText(200) };

const scheduleFormSchema = z.object({
  days: z.array(z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])).min(1),
  startTime: time,
  durationMinutes: length,
  ...meeting,
  joinUrl: z.union([z.literal(''), z.url({ protocol: /^https$/ }).max(2000)]),
  startsOn: z.union([z.literal(''), z.iso.date()]),
});

const sessionFormSchema = z.object({ date: z.iso.date(), startTime: time, durationMinutes: length, ...meeting });

const MESSAGES: Record<string, string> = {
  days: 'Choose at least one weekday.',
  startTime: 'Enter a start time such as 18:00.',
  durationMinutes: 'Enter a length between 5 and 720 minutes.',
  meetingPlatform: 'Choose Zoom, Microsoft Teams or Slack.',
  meetingId: 'Enter the meeting id.',
  joinUrl: 'Enter the https join link, or leave it empty.',
  startsOn: 'Enter a date, or leave it empty.',
  date: 'Enter the date of the session.',
};

const text = (body: unknown, key: string) => {
  const value = (body as Record<string, unknown>)[key];
  return typeof value === 'string' ? value.trim() : '';
};

/** A program's schedule page: the rule in words, the next sessions, and (owners, admins) "Add schedule" and a one-off session. */
export function scheduleRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const managers = requireRole('owner', 'admin');

  const loadProgram = async (res: Response, rawId: string | string[] | undefined) => {
    const staff = staffOf(res);
    const program = await requireProgram(deps, staff.organizationId, requireId(rawId, 'program'));
    requireVisibleProgram(staff, program.id);
    return program;
  };

  const show = async (res: Response, program: Program, extra: Partial<SchedulePageData> = {}, status = 200) => {
    const staff = staffOf(res);
    const [schedules, upcoming] = await Promise.all([
      listSchedules(deps, staff.organizationId, program.id),
      listProgramSessions(deps, staff.organizationId, program.id, { from: deps.clock.now() }),
    ]);
    const canManage = staff.role === 'owner' || staff.role === 'admin';
    res.status(status).type('html').send(renderSchedulePage({ program, schedules, upcoming: upcoming.slice(0, UPCOMING), canManage, csrfToken: staff.csrfToken, ...extra }).value);
  };

  router.get('/programs/:id/schedule', guard, async (req, res) => {
    const program = await loadProgram(res, req.params.id);
    await show(res, program, { saved: typeof req.query.saved === 'string' ? req.query.saved : undefined });
  });

  router.post('/programs/:id/schedules', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const program = await loadProgram(res, req.params.id);
    const rawDays = (req.body as Record<string, unknown>).days;
    const days = (Array.isArray(rawDays) ? rawDays : rawDays === undefined ? [] : [rawDays]).map(String);
    const values = { days: days.join(','), ...Object.fromEntries(['startTime', 'durationMinutes', 'meetingPlatform', 'meetingId', 'joinUrl', 'startsOn'].map((k) => [k, text(req.body, k)])) };
    const refuse = (errors: Record<string, string>, status = 400) => show(res, program, { scheduleForm: { values, errors } }, status);
    const parsed = scheduleFormSchema.safeParse({ ...values, days });
    if (!parsed.success) return refuse(fieldErrors(parsed.error.issues, MESSAGES));
    const input = parsed.data;
    const rrule = `FREQ=WEEKLY;BYDAY=${input.days.join(',')}`;
    const problem = validateSchedule({ rrule, startTime: input.startTime, timezone: program.timezone });
    if (problem) return refuse({ days: problem });
    try {
      const { createdSessionIds } = await createSchedule(deps, {
        organizationId: staff.organizationId,
        actor: staff.actor,
        program,
        rrule,
        startTime: input.startTime,
        durationMinutes: input.durationMinutes,
        startsOn: input.startsOn || undefined,
        meeting: { platform: input.meetingPlatform, meetingId: input.meetingId, joinUrl: input.joinUrl || undefined },
        now: deps.clock.now(),
      });
      await deps.afterSessionsCreated(createdSessionIds);
    } catch (error) {
      if (error instanceof ServiceError && error.kind === 'conflict') return refuse({ meetingId: 'Another schedule of your clinic holds this meeting at the same time. Use another meeting id or other times.' }, 409);
      throw error;
    }
    res.redirect(303, `/programs/${program.id}/schedule?saved=schedule`);
  });

  router.post('/programs/:id/sessions', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const program = await loadProgram(res, req.params.id);
    const values = Object.fromEntries(['date', 'startTime', 'durationMinutes', 'meetingPlatform', 'meetingId'].map((k) => [k, text(req.body, k)]));
    const refuse = (errors: Record<string, string>) => show(res, program, { sessionForm: { values, errors } satisfies FormState }, 400);
    const parsed = sessionFormSchema.safeParse(values);
    if (!parsed.success) return refuse(fieldErrors(parsed.error.issues, MESSAGES));
    const input = parsed.data;
    const start = DateTime.fromISO(`${input.date}T${input.startTime}`, { zone: program.timezone });
    if (!start.isValid) return refuse({ startTime: 'This time does not exist on that day (the clocks change).' });
    const startsAt = start.toJSDate();
    const session = await createSession(deps, {
      organizationId: staff.organizationId,
      actor: staff.actor,
      programId: program.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + input.durationMinutes * 60_000),
      meeting: { platform: input.meetingPlatform, meetingId: input.meetingId },
    });
    await deps.afterSessionsCreated([session.id]);
    res.redirect(303, `/programs/${program.id}/schedule?saved=session`);
  });

  router.post('/programs/:id/sessions/:sessionId/cancel', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const program = await loadProgram(res, req.params.id);
    const sessionId = requireId(req.params.sessionId, 'session');
    try {
      await cancelOccurrence(deps, { organizationId: staff.organizationId, actor: staff.actor, programId: program.id, sessionId, now: deps.clock.now() });
    } catch (error) {
      if (!(error instanceof ServiceError) || error.kind === 'not_found') throw error;
      const problem = error.message.includes('make-up')
        ? 'This session was not cancelled: a make-up is booked into it. Move the make-up first.'
        : 'This session was not cancelled: it has begun or has attendance recorded.';
      return show(res, program, { problem }, 409);
    }
    res.redirect(303, `/programs/${program.id}/schedule?saved=cancelled`);
  });

  return router;
}
