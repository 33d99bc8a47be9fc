import type { Platform } from '../core/presence-event.js';
import type { Db } from '../db/database.js';
import type { Program, Schedule, Session } from '../generated/prisma/client.js';
import { presenceEventRow } from './presence/presence-row.js';
import { writeAudit } from './audit.js';
import { findScheduleClash } from './schedule-clash.js';
import { planScheduleSessions, scheduleAnchor } from './session-planner.js';
import { ServiceError } from './service-error.js';
import { forgetSessionLookups } from './presence/session-lookup.js';

type Actor = { organizationId: string; actor: string };
type Meeting = { platform: Platform; meetingId: string; joinUrl?: string };

/**
 * A new schedule of the program (its rule already validated), refused as a conflict when it would
 * hold its meeting at the same time as another schedule of the clinic; its sessions are planned
 * at once. Returns the schedule and the ids of the sessions created.
 */
export async function createSchedule(
  deps: { prisma: Db },
  input: Actor & { program: Pick<Program, 'id' | 'timezone'>; rrule: string; startTime: string; durationMinutes: number; startsOn?: string; meeting: Meeting; now: Date },
): Promise<{ schedule: Schedule; createdSessionIds: string[] }> {
  const { organizationId, actor, program, now } = input;
  const rule = { rrule: input.rrule.replace(/^RRULE:/i, ''), startTime: input.startTime, durationMinutes: input.durationMinutes, anchor: scheduleAnchor(program.timezone, now, input.startsOn) };
  const meeting = { meetingPlatform: input.meeting.platform, meetingId: input.meeting.meetingId };
  const schedule = await deps.prisma.$transaction(async (tx) => {
    const clash = await findScheduleClash(tx, { organizationId, ...meeting, schedule: { ...rule, timezone: program.timezone }, now });
    if (clash) {
      throw new ServiceError('conflict', `meeting: schedule ${clash.scheduleId} already holds this meeting at ${clash.at.toISOString()}`, [
        { field: 'meeting.meetingId', message: 'overlaps another schedule on this meeting', scheduleId: clash.scheduleId, programId: clash.programId, at: clash.at },
      ]);
    }
    const created = await tx.schedule.create({
      data: { organizationId, programId: program.id, ...rule, ...meeting, joinUrl: input.meeting.joinUrl ?? null },
    });
    await writeAudit(tx, { organizationId, actor, action: 'schedule.create', entityType: 'Schedule', entityId: created.id, data: { programId: program.id } });
    return created;
  });
  const createdSessionIds = await planScheduleSessions(deps.prisma, schedule, program, now);
  return { schedule, createdSessionIds };
}

/** Presence staff enter with a back-filled session: each participant's stays. */
export interface EnteredPresence {
  participantId: string;
  intervals: { joinedAt: Date; leftAt: Date }[];
}

/**
 * A one-off session of the program, audited. A session that has ended may come with its presence
 * (a back-filled record): stored with it in one transaction, so its first evaluation has
 * everything and finalizes it once, instead of counting everyone absent until facts follow.
 */
export async function createSession(
  deps: { prisma: Db },
  input: Actor & { programId: string; startsAt: Date; endsAt: Date; meeting: Meeting; presence?: EnteredPresence[] },
): Promise<Session> {
  const { organizationId, actor, programId } = input;
  const session = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.session.create({
      data: {
        organizationId,
        programId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        meetingPlatform: input.meeting.platform,
        meetingId: input.meeting.meetingId,
        joinUrl: input.meeting.joinUrl ?? null,
      },
    });
    const facts = (input.presence ?? []).flatMap(({ participantId, intervals }) =>
      intervals.flatMap(({ joinedAt, leftAt }) => {
        const person = { key: `entered:${participantId}`, participantId };
        const key = `entered:${created.id}:${participantId}:${joinedAt.getTime()}`;
        const base = { platform: input.meeting.platform, meetingId: input.meeting.meetingId, person };
        return [
          presenceEventRow({ ...base, kind: 'joined', occurredAt: joinedAt, dedupeKey: `${key}:joined` }, { organizationId, sessionId: created.id }, 'report'),
          presenceEventRow({ ...base, kind: 'left', occurredAt: leftAt, dedupeKey: `${key}:left` }, { organizationId, sessionId: created.id }, 'report'),
        ];
      }),
    );
    if (facts.length > 0) await tx.presenceEvent.createMany({ data: facts, skipDuplicates: true });
    await writeAudit(tx, { organizationId, actor, action: 'session.create', entityType: 'Session', entityId: created.id, data: { programId, enteredFacts: facts.length } });
    return created;
  });
  forgetSessionLookups(); // its meeting's next events find it at once
  return session;
}
