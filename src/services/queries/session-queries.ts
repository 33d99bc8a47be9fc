import type { Db } from '../../db/database.js';
import type { Platform } from '../../core/presence-event.js';
import type { Schedule, Session } from '../../generated/prisma/client.js';
import { SESSION_MATCH_MARGIN_MS } from '../presence/session-window.js';

/** The program's schedules, oldest first. */
export async function listSchedules(deps: { prisma: Db }, organizationId: string, programId: string): Promise<Schedule[]> {
  return deps.prisma.schedule.findMany({ where: { organizationId, programId }, orderBy: { createdAt: 'asc' } });
}

/** The sessions a schedule has planned so far, by start. */
export async function listScheduleSessions(deps: { prisma: Db }, organizationId: string, scheduleId: string): Promise<Session[]> {
  return deps.prisma.session.findMany({ where: { organizationId, scheduleId }, orderBy: { startsAt: 'asc' } });
}

/** The program's sessions starting in [from, to) (either open), by start; at most 1000. */
export async function listProgramSessions(deps: { prisma: Db }, organizationId: string, programId: string, range: { from?: Date; to?: Date }): Promise<Session[]> {
  return deps.prisma.session.findMany({
    where: { organizationId, programId, startsAt: { gte: range.from, lt: range.to } },
    orderBy: { startsAt: 'asc' },
    take: 1000,
  });
}

/** A session of the organization, or null. */
export async function findSession(deps: { prisma: Db }, organizationId: string, sessionId: string): Promise<Session | null> {
  return deps.prisma.session.findFirst({ where: { id: sessionId, organizationId } });
}

/**
 * The session a meeting's recording belongs to: the one holding that meeting instance, else one
 * scheduled on the meeting around `at`; with its program. Only `organizationId`'s when given.
 */
export async function findRecordedSession(
  deps: { prisma: Db },
  input: { organizationId: string | null; platform: Platform; meetingInstanceId: string; meetingId: string; at: Date },
) {
  const at = input.at.getTime();
  const sessions = await deps.prisma.session.findMany({
    where: {
      ...(input.organizationId ? { organizationId: input.organizationId } : {}),
      meetingPlatform: input.platform,
      OR: [
        { meetingInstanceId: input.meetingInstanceId },
        { meetingId: input.meetingId, startsAt: { lte: new Date(at + SESSION_MATCH_MARGIN_MS) }, endsAt: { gte: new Date(at - SESSION_MATCH_MARGIN_MS) } },
      ],
    },
    include: { program: true },
  });
  return sessions.find((s) => s.meetingInstanceId === input.meetingInstanceId) ?? sessions[0] ?? null;
}
