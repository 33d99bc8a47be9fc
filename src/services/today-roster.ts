import { DateTime } from 'luxon';
import { resolvePolicy } from '../core/policy.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../clock.js';
import { participantLabel, sessionLabel } from './labels.js';
import type { SessionEvaluator } from './session-evaluator.js';

export interface RosterSession {
  sessionId: string;
  label: string;
  rows: { label: string; status: string; minutesPresent: number; flags: string[] }[];
}

/**
 * Today's sessions of the programs whose staff channel this is (in each program's own time zone),
 * with live attendance; participants named as the program's policy allows.
 */
export async function readTodayRoster(deps: { prisma: Db; clock: Clock; evaluator: SessionEvaluator }, organizationId: string, channelId: string): Promise<RosterSession[]> {
  const { prisma, clock, evaluator } = deps;
  const programs = await prisma.program.findMany({ where: { organizationId, alertChannelId: channelId } });
  const now = clock.now();
  const roster: RosterSession[] = [];
  for (const program of programs) {
    const day = DateTime.fromJSDate(now, { zone: program.timezone });
    const sessions = await prisma.session.findMany({
      where: { organizationId, programId: program.id, startsAt: { gte: day.startOf('day').toJSDate(), lt: day.endOf('day').toJSDate() } },
      orderBy: { startsAt: 'asc' },
    });
    const { nameDisplay } = resolvePolicy(program.policy);
    for (const session of sessions) {
      const peeked = await evaluator.peek(session.id);
      const names = new Map(peeked?.bundle.expected.map((p) => [p.participantId, p.name]));
      roster.push({
        sessionId: session.id,
        label: sessionLabel(program.name, session.startsAt, program.timezone),
        rows: (peeked?.evaluation.participants ?? []).map(({ participantId, result }) => ({
          label: participantLabel(names.get(participantId), nameDisplay),
          status: result.status,
          minutesPresent: result.minutesPresent,
          flags: result.flags,
        })),
      });
    }
  }
  return roster;
}
