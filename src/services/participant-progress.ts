import { DateTime } from 'luxon';
import { resolvePolicy } from '../core/policy.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { loadStrikeSummaries } from './strikes.js';

export interface ParticipantProgress {
  /** Minutes present this ISO week (Monday to Sunday in the program's zone). */
  weekMinutes: number;
  requiredMinutes: number;
  /** Strikes by the program's rules (core/strikes.ts), summed over their programs. */
  strikes: number;
  upcoming: { sessionId: string; programName: string; startsAt: Date; endsAt: Date; timezone: string }[];
}

/** What a participant may hear about themselves: this week's minutes, strikes, what comes next. Never anyone else. */
export async function loadParticipantProgress(deps: { prisma: Db; clock: Clock }, organizationId: string, participantId: string): Promise<ParticipantProgress> {
  const { prisma, clock } = deps;
  const now = clock.now();
  const enrollments = await prisma.enrollment.findMany({ where: { organizationId, participantId, status: 'active' }, include: { program: true } });
  let weekMinutes = 0;
  let requiredMinutes = 0;
  let strikes = 0;
  const upcoming: ParticipantProgress['upcoming'] = [];
  for (const { program } of enrollments) {
    const policy = resolvePolicy(program.policy);
    const week = DateTime.fromJSDate(now, { zone: program.timezone }).startOf('week');
    const rows = await prisma.attendance.findMany({
      where: { organizationId, participantId, session: { programId: program.id, startsAt: { gte: week.toJSDate(), lt: week.plus({ weeks: 1 }).toJSDate() } } },
      select: { minutesPresent: true },
    });
    weekMinutes += rows.reduce((sum, row) => sum + row.minutesPresent, 0);
    requiredMinutes = Math.max(requiredMinutes, Math.round(policy.weeklyHoursRequired * 60));
    strikes += (await loadStrikeSummaries(prisma, organizationId, program.id, participantId, now))[0]?.strikes ?? 0;
    const next = await prisma.session.findMany({
      where: { organizationId, programId: program.id, startsAt: { gt: now } },
      orderBy: { startsAt: 'asc' },
      take: 5,
    });
    upcoming.push(...next.map((s) => ({ sessionId: s.id, programName: program.name, startsAt: s.startsAt, endsAt: s.endsAt, timezone: program.timezone })));
  }
  weekMinutes += await guestMinutesThisWeek(prisma, organizationId, participantId, now, enrollments.map((e) => e.program));
  upcoming.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return { weekMinutes, requiredMinutes, strikes, upcoming };
}

/** Make-ups in partner programs are live attendance too: they count toward the week (services/makeups.ts). */
async function guestMinutesThisWeek(prisma: Db, organizationId: string, participantId: string, now: Date, programs: { id: string; timezone: string }[]): Promise<number> {
  const first = programs[0];
  if (!first) return 0;
  const bookings = await prisma.makeUpBooking.findMany({ where: { organizationId, participantId, state: { in: ['booked', 'attended'] } }, select: { makeUpSessionId: true } });
  if (bookings.length === 0) return 0;
  const week = DateTime.fromJSDate(now, { zone: first.timezone }).startOf('week');
  const rows = await prisma.attendance.findMany({
    where: {
      organizationId,
      participantId,
      sessionId: { in: bookings.map((b) => b.makeUpSessionId) },
      session: { programId: { notIn: programs.map((p) => p.id) }, startsAt: { gte: week.toJSDate(), lt: week.plus({ weeks: 1 }).toJSDate() } },
    },
    select: { minutesPresent: true },
  });
  return rows.reduce((sum, row) => sum + row.minutesPresent, 0);
}
