import type { Clock } from '../../clock.js';
import { resolvePolicy } from '../../core/policy.js';
import type { Db } from '../../db/database.js';
import { readAttendanceStats } from '../attendance-stats.js';
import { listDeliveryProblems, type DeliveryProblem } from '../delivery-problems.js';
import { listOpenFollowUps, type OpenFollowUp } from '../follow-ups.js';
import { buildProgramReport, type ProgramReport, type ReportRange } from '../reports.js';
import { countStrikes } from '../strike-counts.js';
import { readProgramRisk, type ProgramRisk } from './at-risk.js';

type PageDeps = { prisma: Db; clock: Clock };

export interface ProgramPageView {
  report: ProgramReport;
  strikes: Map<string, number>;
  strikeWindowDays: number;
  followUps: OpenFollowUp[];
  stats: Awaited<ReturnType<typeof readAttendanceStats>>;
  risk: ProgramRisk;
}

/** Everything the program page shows, as of one instant; null when the program is not the organization's. */
export async function readProgramPage(deps: PageDeps, organizationId: string, programId: string, range: ReportRange): Promise<ProgramPageView | null> {
  const { prisma } = deps;
  const now = deps.clock.now();
  const report = await buildProgramReport(prisma, organizationId, programId, range, now);
  if (!report) return null;
  const program = await prisma.program.findFirstOrThrow({ where: { id: programId, organizationId } });
  const [strikes, followUps, stats, risk] = await Promise.all([
    countStrikes(prisma, { organizationId, programId, now }),
    listOpenFollowUps(prisma, organizationId, { programId }),
    readAttendanceStats(prisma, { organizationId, programId, timezone: program.timezone, now }),
    readProgramRisk(prisma, organizationId, programId, now),
  ]);
  return { report, strikes, strikeWindowDays: resolvePolicy(program.policy).strikeWindowDays, followUps, stats, risk: risk! };
}

export interface FollowUpsPageView {
  followUps: OpenFollowUp[];
  problems: DeliveryProblem[];
  /** The first program's zone: the queue spans programs, its dates need one. */
  timezone: string;
}

/** The organization's open follow-ups and what the bot could not deliver. */
export async function readFollowUpsPage(deps: PageDeps, organizationId: string, programIds: string[] | null = null): Promise<FollowUpsPageView> {
  const { prisma } = deps;
  const [all, problems, firstProgram] = await Promise.all([
    listOpenFollowUps(prisma, organizationId),
    // Delivery problems span the clinic's channels: for those who see the whole clinic only.
    programIds ? Promise.resolve([]) : listDeliveryProblems(prisma, organizationId, deps.clock.now()),
    prisma.program.findFirst({ where: { organizationId }, orderBy: { createdAt: 'asc' }, select: { timezone: true } }),
  ]);
  const followUps = programIds ? all.filter((f) => programIds.includes(f.programId)) : all;
  return { followUps, problems, timezone: firstProgram?.timezone ?? 'UTC' };
}
