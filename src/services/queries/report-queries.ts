import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { buildProgramReport, type ProgramReport, type ReportRange } from '../reports.js';
import { ServiceError } from '../service-error.js';

type ReportDeps = { prisma: Db; clock: Clock };

/** A program's attendance report as of now; null when the program is not the organization's. */
export async function readProgramReport(deps: ReportDeps, organizationId: string, programId: string, range: ReportRange): Promise<ProgramReport | null> {
  return buildProgramReport(deps.prisma, organizationId, programId, range, deps.clock.now());
}

export interface ParticipantSummary {
  report: ProgramReport;
  participantName: string;
  organizationName: string;
  now: Date;
}

/**
 * One participant's printable attendance summary: the report of their first program (or of
 * `programId`) narrowed to their rows. Not found when they are not enrolled there.
 */
export async function readParticipantSummary(
  deps: ReportDeps,
  organizationId: string,
  participantId: string,
  range: { programId?: string; from?: string; to?: string },
): Promise<ParticipantSummary> {
  const enrollment = await deps.prisma.enrollment.findFirst({
    where: { organizationId, participantId, ...(range.programId ? { programId: range.programId } : {}) },
    include: { participant: true, program: { include: { organization: { select: { name: true } } } } },
    orderBy: { enrolledAt: 'asc' },
  });
  if (!enrollment) throw new ServiceError('not_found', 'participant not found');
  const now = deps.clock.now();
  const report = await buildProgramReport(deps.prisma, organizationId, enrollment.programId, { from: range.from, to: range.to, participantId }, now);
  if (!report) throw new ServiceError('not_found', 'program not found');
  return { report, participantName: enrollment.participant.name, organizationName: enrollment.program.organization.name, now };
}
