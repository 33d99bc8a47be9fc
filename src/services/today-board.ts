import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { readLiveAttendance, type LiveAttendanceRow, type UnrecognizedJoiner } from './attendance-read.js';
import type { SessionEvaluator } from './session-evaluator.js';

export interface BoardSession {
  id: string;
  programId: string;
  programName: string;
  timezone: string;
  startsAt: Date;
  endsAt: Date;
  state: 'upcoming' | 'live' | 'ended';
  roster: BoardRow[];
  /** In the meeting now (live), or who came at all (ended). */
  hereCount: number;
  /** People who joined under a name or device no one is known by ("Priya's iPhone"): staff say who they are. */
  unrecognized: UnrecognizedJoiner[];
}

/** A Today roster row: the live attendance row without staff's decision details. */
export type BoardRow = Pick<LiveAttendanceRow, 'participantId' | 'name' | 'status' | 'flags' | 'minutesPresent' | 'firstJoinAt' | 'lastLeaveAt' | 'presentNow' | 'waitingSince'>;

const ATTENDED = new Set(['present', 'late', 'made_up']);

/**
 * Today's sessions of every program of the organization (today in each program's zone), live
 * first, then upcoming, then those already over; each with its roster as it stands now.
 */
export async function readTodayBoard(deps: { prisma: Db; clock: Clock; evaluator: SessionEvaluator }, organizationId: string, programIds: string[] | null = null): Promise<BoardSession[]> {
  const { prisma, clock } = deps;
  const now = clock.now();
  const programs = await prisma.program.findMany({ where: { organizationId, ...(programIds ? { id: { in: programIds } } : {}) }, orderBy: { name: 'asc' } });
  const board: BoardSession[] = [];
  for (const program of programs) {
    const day = DateTime.fromJSDate(now, { zone: program.timezone });
    const sessions = await prisma.session.findMany({
      where: { organizationId, programId: program.id, startsAt: { gte: day.startOf('day').toJSDate(), lt: day.plus({ days: 1 }).startOf('day').toJSDate() } },
      orderBy: { startsAt: 'asc' },
    });
    for (const session of sessions) {
      const live = await readLiveAttendance(deps, organizationId, session.id);
      const state = now < session.startsAt ? 'upcoming' : now < session.endsAt ? 'live' : 'ended';
      const roster = live.rows
        .map(({ participantId, name, status, flags, minutesPresent, firstJoinAt, lastLeaveAt, presentNow, waitingSince }) => ({ participantId, name, status, flags, minutesPresent, firstJoinAt, lastLeaveAt, presentNow, waitingSince }))
        .sort((a, b) => a.name.localeCompare(b.name));
      board.push({
        id: session.id,
        programId: program.id,
        programName: program.name,
        timezone: program.timezone,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        state,
        roster,
        hereCount: roster.filter((row) => (state === 'ended' ? ATTENDED.has(row.status) : row.presentNow)).length,
        unrecognized: live.unrecognized,
      });
    }
  }
  const order = { live: 0, upcoming: 1, ended: 2 };
  return board.sort((a, b) => order[a.state] - order[b.state] || a.startsAt.getTime() - b.startsAt.getTime());
}
