import { resolvePolicy } from '../../core/policy.js';
import { rankByRisk, type RiskAssessment } from '../../core/risk-ranking.js';
import type { Db } from '../../db/database.js';
import type { Program } from '../../generated/prisma/client.js';
import { loadParticipantWeek } from '../weekly-progress.js';

/** Misses in a row are looked for this far back; the strike window is at most 365 days. */
const HISTORY_DAYS = 400;

export interface ProgramRisk {
  programId: string;
  programName: string;
  /** Everyone actively enrolled, most at risk first (the grid's row order). */
  ranked: RiskAssessment[];
  /** Only those with a reason. */
  atRisk: RiskAssessment[];
}

/**
 * A program's active participants ranked by risk at `now` (core/risk-ranking.ts): strikes by the
 * program's rule, misses in a row, this week's hours by the one weekly rule (services/weekly-progress.ts,
 * the same week participants are told about), open follow-ups. Null when the program is not the organization's.
 */
export async function readProgramRisk(prisma: Db, organizationId: string, programId: string, now: Date): Promise<ProgramRisk | null> {
  const program = await prisma.program.findFirst({ where: { id: programId, organizationId } });
  return program ? rankProgram(prisma, program, now) : null;
}

/** Each visible program's at-risk list (programIds: a facilitator's assignments; null for the whole clinic), by program name. */
export async function readAtRiskByProgram(prisma: Db, organizationId: string, programIds: string[] | null, now: Date): Promise<ProgramRisk[]> {
  const programs = await prisma.program.findMany({ where: { organizationId, ...(programIds ? { id: { in: programIds } } : {}) }, orderBy: { name: 'asc' } });
  const result: ProgramRisk[] = [];
  for (const program of programs) result.push(await rankProgram(prisma, program, now));
  return result;
}

async function rankProgram(prisma: Db, program: Program, now: Date): Promise<ProgramRisk> {
  const { organizationId } = program;
  const policy = resolvePolicy(program.policy);
  const enrollments = await prisma.enrollment.findMany({
    where: { organizationId, programId: program.id, status: 'active' },
    select: { participant: { select: { id: true, name: true } } },
  });
  const ids = enrollments.map((e) => e.participant.id);
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const [rows, followUps, weeks] = await Promise.all([
    prisma.attendance.findMany({
      where: { organizationId, final: true, participantId: { in: ids }, session: { programId: program.id, startsAt: { gte: since, lte: now } } },
      select: { participantId: true, sessionId: true, status: true, flags: true, overrideStatus: true, session: { select: { startsAt: true } } },
    }),
    prisma.followUp.groupBy({ by: ['participantId'], where: { organizationId, programId: program.id, state: 'open', participantId: { in: ids } }, _count: { _all: true } }),
    Promise.all(ids.map((participantId) => loadParticipantWeek(prisma, { organizationId, programId: program.id, participantId, now }))),
  ]);
  const open = new Map(followUps.map((f) => [f.participantId, f._count._all]));
  const ranked = rankByRisk(
    enrollments.map(({ participant }, i) => ({
      participantId: participant.id,
      name: participant.name,
      records: rows
        .filter((r) => r.participantId === participant.id)
        .map((r) => ({ sessionId: r.sessionId, startsAt: r.session.startsAt, status: r.status, flags: r.flags, overrideStatus: r.overrideStatus })),
      week: weeks[i]?.hours ?? null,
      openFollowUps: open.get(participant.id) ?? 0,
    })),
    policy,
    program.timezone,
    now,
  );
  return { programId: program.id, programName: program.name, ranked, atRisk: ranked.filter((r) => r.reasons.length > 0) };
}
