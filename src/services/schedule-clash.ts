import { expandSchedule, type Occurrence } from '../core/schedule.js';
import type { Db } from '../db/database.js';
import type { Platform } from '../generated/prisma/enums.js';
import { PLANNING_HORIZON_DAYS } from './session-planner.js';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface PlannedSchedule {
  rrule: string;
  startTime: string;
  durationMinutes: number;
  timezone: string;
  anchor: Date;
}

export interface ScheduleClash {
  scheduleId: string;
  programId: string;
  /** The first instant both would hold the meeting. */
  at: Date;
}

/** The occurrences the planner would create now: from one running to the planning horizon. */
function plannedOccurrences(schedule: PlannedSchedule, now: Date): Occurrence[] {
  return expandSchedule({
    ...schedule,
    from: new Date(now.getTime() - schedule.durationMinutes * 60_000),
    to: new Date(now.getTime() + PLANNING_HORIZON_DAYS * 86_400_000),
  });
}

/**
 * Presence on a meeting is matched to the session holding it at that instant: two schedules of one
 * clinic on the same meeting at overlapping times would make the match ambiguous. Called inside the
 * creating transaction, after a lock on the meeting, so two requests cannot both pass.
 */
export async function findScheduleClash(
  tx: Tx,
  input: { organizationId: string; meetingPlatform: Platform; meetingId: string; schedule: PlannedSchedule; now: Date },
): Promise<ScheduleClash | null> {
  const { organizationId, meetingPlatform, meetingId, now } = input;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`schedule-meeting:${organizationId}:${meetingPlatform}:${meetingId}`}))`;
  const others = await tx.schedule.findMany({
    where: { organizationId, meetingPlatform, meetingId },
    include: { program: { select: { timezone: true } } },
    orderBy: { createdAt: 'asc' },
  });
  if (others.length === 0) return null;
  const mine = plannedOccurrences(input.schedule, now);
  for (const other of others) {
    const theirs = plannedOccurrences({ ...other, timezone: other.program.timezone }, now);
    for (const a of mine) {
      const b = theirs.find((t) => a.startsAt < t.endsAt && t.startsAt < a.endsAt);
      if (b) return { scheduleId: other.id, programId: other.programId, at: new Date(Math.max(a.startsAt.getTime(), b.startsAt.getTime())) };
    }
  }
  return null;
}
