import { DateTime } from 'luxon';
import type { Db } from '../db/database.js';
import type { Program, Schedule } from '../generated/prisma/client.js';
import { expandSchedule } from '../core/schedule.js';
import { forgetSessionLookups } from './presence/session-lookup.js';

export const PLANNING_HORIZON_DAYS = 14;

/** The start of `day` (YYYY-MM-DD) in the zone, or of today there when no day is given. */
export function scheduleAnchor(timezone: string, now: Date, day?: string): Date {
  const local = day ? DateTime.fromISO(day, { zone: timezone }) : DateTime.fromJSDate(now, { zone: timezone });
  return local.startOf('day').toJSDate();
}

/**
 * Creates the schedule's sessions from now (including one already running) to the horizon.
 * Idempotent: the unique (scheduleId, startsAt) key turns a second run into no change; a cancelled
 * occurrence (skippedStarts) is not created again.
 */
export async function planScheduleSessions(prisma: Db, schedule: Schedule, program: Pick<Program, 'timezone'>, now: Date): Promise<string[]> {
  const occurrences = expandSchedule({
    rrule: schedule.rrule,
    startTime: schedule.startTime,
    durationMinutes: schedule.durationMinutes,
    timezone: program.timezone,
    anchor: schedule.anchor,
    from: new Date(now.getTime() - schedule.durationMinutes * 60_000),
    to: new Date(now.getTime() + PLANNING_HORIZON_DAYS * 86_400_000),
  });
  // An occurrence staff cancelled stays cancelled (services/session-cancel.ts).
  const skipped = new Set(schedule.skippedStarts.map((at) => at.getTime()));
  const planned = occurrences.filter((occurrence) => !skipped.has(occurrence.startsAt.getTime()));
  if (planned.length === 0) return [];
  const created = await prisma.session.createManyAndReturn({
    data: planned.map((occurrence) => ({
      organizationId: schedule.organizationId,
      programId: schedule.programId,
      scheduleId: schedule.id,
      startsAt: occurrence.startsAt,
      endsAt: occurrence.endsAt,
      meetingPlatform: schedule.meetingPlatform,
      meetingId: schedule.meetingId,
      joinUrl: schedule.joinUrl,
    })),
    skipDuplicates: true,
    select: { id: true },
  });
  if (created.length > 0) forgetSessionLookups();
  return created.map((session) => session.id);
}

/** The periodic top-up of every schedule of every organization (a job; each schedule is its own tenant's). */
export async function planAllSessions(prisma: Db, now: Date): Promise<string[]> {
  const schedules = await prisma.schedule.findMany({ include: { program: { select: { timezone: true } } } });
  const created: string[] = [];
  for (const schedule of schedules) created.push(...(await planScheduleSessions(prisma, schedule, schedule.program, now)));
  return created;
}
