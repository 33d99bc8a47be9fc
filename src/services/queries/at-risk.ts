import { resolvePolicy } from '../../core/policy.js';
import { rankByRisk, type RiskAssessment } from '../../core/risk-ranking.js';
import { creditRuleOf } from '../../core/weekly-credit.js';
import type { Db } from '../../db/database.js';
import type { Program } from '../../generated/prisma/client.js';
import { loadEnrollmentWeeks, weekKey } from '../program-weeks.js';

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
 * program's rule, misses in a row, this week's hours by the one weekly rule (the same week
 * participants are told about, services/weekly-progress.ts), open follow-ups. Null when the program is not the organization's.
 */
export async function readProgramRisk(prisma: Db, organizationId: string, programId: string, now: Date): Promise<ProgramRisk | null> {
  const program = await prisma.program.findFirst({ where: { id: programId, organizationId } });
  return program ? ((await rankPrograms(prisma, organizationId, [program], now))[0] ?? null) : null;
}

/** Each visible program's at-risk list (programIds: a facilitator's assignments; null for the whole clinic), by program name. */
export async function readAtRiskByProgram(prisma: Db, organizationId: string, programIds: string[] | null, now: Date): Promise<ProgramRisk[]> {
  const programs = await prisma.program.findMany({ where: { organizationId, ...(programIds ? { id: { in: programIds } } : {}) }, orderBy: { name: 'asc' } });
  return rankPrograms(prisma, organizationId, programs, now);
}

/**
 * All the programs ranked from one fixed set of queries, however many programs and people
 * (enrolments, final attendance in the window, open follow-ups, and the weeks: services/program-weeks.ts).
 */
async function rankPrograms(prisma: Db, organizationId: string, programs: readonly Program[], now: Date): Promise<ProgramRisk[]> {
  if (programs.length === 0) return [];
  const byId = new Map(programs.map((p) => [p.id, { program: p, policy: resolvePolicy(p.policy) }]));
  const programIds = [...byId.keys()];
  const enrollments = await prisma.enrollment.findMany({
    where: { organizationId, programId: { in: programIds }, status: 'active' },
    select: { programId: true, participant: { select: { id: true, name: true, timezone: true } } },
    // Two people of one name and one risk keep their order from one page load to the next.
    orderBy: { participantId: 'asc' },
  });
  const participantIds = [...new Set(enrollments.map((e) => e.participant.id))];
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const [rows, followUps, weeks] = await Promise.all([
    prisma.attendance.findMany({
      where: { organizationId, final: true, participantId: { in: participantIds }, session: { programId: { in: programIds }, startsAt: { gte: since, lte: now } } },
      select: { participantId: true, sessionId: true, status: true, flags: true, overrideStatus: true, session: { select: { programId: true, startsAt: true } } },
    }),
    prisma.followUp.groupBy({
      by: ['programId', 'participantId'],
      where: { organizationId, programId: { in: programIds }, state: 'open', participantId: { in: participantIds } },
      _count: { _all: true },
    }),
    loadEnrollmentWeeks(
      prisma,
      organizationId,
      enrollments.map(({ programId, participant }) => {
        const { program, policy } = byId.get(programId)!;
        return { programId, participantId: participant.id, zone: participant.timezone ?? program.timezone, rule: creditRuleOf(policy) };
      }),
      now,
    ),
  ]);
  const open = new Map(followUps.map((f) => [weekKey(f.programId, f.participantId), f._count._all]));
  const recordsOf = new Map<string, { sessionId: string; startsAt: Date; status: string; flags: string[]; overrideStatus: string | null }[]>();
  for (const r of rows) {
    const key = weekKey(r.session.programId, r.participantId);
    const list = recordsOf.get(key) ?? [];
    list.push({ sessionId: r.sessionId, startsAt: r.session.startsAt, status: r.status, flags: r.flags, overrideStatus: r.overrideStatus });
    recordsOf.set(key, list);
  }
  return programs.map((program) => {
    const ranked = rankByRisk(
      enrollments
        .filter((e) => e.programId === program.id)
        .map(({ participant }) => {
          const key = weekKey(program.id, participant.id);
          return { participantId: participant.id, name: participant.name, records: recordsOf.get(key) ?? [], week: weeks.get(key)?.hours ?? null, openFollowUps: open.get(key) ?? 0 };
        }),
      byId.get(program.id)!.policy,
      program.timezone,
      now,
    );
    return { programId: program.id, programName: program.name, ranked, atRisk: ranked.filter((r) => r.reasons.length > 0) };
  });
}
