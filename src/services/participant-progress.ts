import { combineWeeks, describeWeek, type WeekHours } from '../core/weekly-credit.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { loadStrikeSummaries } from './strikes.js';
import { loadParticipantWeek } from './weekly-progress.js';

export interface ParticipantProgress {
  /** Minutes credited this week under each program's hours rule (core/weekly-credit.ts), summed over their programs. */
  weekMinutes: number;
  requiredMinutes: number;
  /** The week in words: "met", "short by 2 h 10 min", "on track (3 sessions left)". */
  weekText: string;
  /** Strikes by the program's rules (core/strikes.ts), summed over their programs. */
  strikes: number;
  upcoming: { sessionId: string; programName: string; startsAt: Date; endsAt: Date; timezone: string }[];
}

/** What a participant may hear about themselves: this week's hours, strikes, what comes next. Never anyone else. */
export async function loadParticipantProgress(deps: { prisma: Db; clock: Clock }, organizationId: string, participantId: string): Promise<ParticipantProgress> {
  const { prisma, clock } = deps;
  const now = clock.now();
  const enrollments = await prisma.enrollment.findMany({ where: { organizationId, participantId, status: 'active' }, include: { program: true } });
  const weeks: WeekHours[] = [];
  let strikes = 0;
  const upcoming: ParticipantProgress['upcoming'] = [];
  for (const { program } of enrollments) {
    const week = await loadParticipantWeek(prisma, { organizationId, programId: program.id, participantId, now });
    if (week) weeks.push(week.hours);
    strikes += (await loadStrikeSummaries(prisma, organizationId, program.id, participantId, now))[0]?.strikes ?? 0;
    const next = await prisma.session.findMany({
      where: { organizationId, programId: program.id, startsAt: { gt: now } },
      orderBy: { startsAt: 'asc' },
      take: 5,
    });
    upcoming.push(...next.map((s) => ({ sessionId: s.id, programName: program.name, startsAt: s.startsAt, endsAt: s.endsAt, timezone: program.timezone })));
  }
  upcoming.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const together = combineWeeks(weeks);
  return { weekMinutes: together.creditedMinutes, requiredMinutes: together.requiredMinutes, weekText: describeWeek(together), strikes, upcoming };
}
