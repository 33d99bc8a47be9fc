import type { Clock } from '../../clock.js';
import { resolvePolicy } from '../../core/policy.js';
import type { Db } from '../../db/database.js';
import { readAttendanceStats } from '../attendance-stats.js';
import { listOpenFollowUps, type OpenFollowUp } from '../follow-ups.js';
import { buildProgramReport, type ProgramReport, type ReportRange } from '../reports.js';
import { countStrikes } from '../strike-counts.js';
import { readProgramRisk, type ProgramRisk } from './at-risk.js';
import { nameAssignees } from './follow-ups-page.js';

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
  await nameAssignees(prisma, organizationId, followUps);
  return { report, strikes, strikeWindowDays: resolvePolicy(program.policy).strikeWindowDays, followUps, stats, risk: risk! };
}
