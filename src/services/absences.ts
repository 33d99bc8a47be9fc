import type { AbsenceCategory } from '../core/policy.js';
import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';
import { raiseParticipantAlert } from './participant-alerts.js';

export interface AbsenceReport {
  organizationId: string;
  programId: string;
  sessionId: string;
  participantId: string;
  category: AbsenceCategory;
  excused: boolean;
  reportedBy: 'participant' | 'staff';
  /** The platform (`slack`, `teams`, `zoom`) or `admin-api`. */
  reportedVia: string;
  /** Staff's own words (admin API): kept on the record, never in a channel or the audit data. */
  reason?: string | null;
  audit: { actor: string; action: string; data?: Record<string, Prisma.InputJsonValue> };
  /** Reuse an absence already reported for this session that matches (a repeated press, a retry). */
  reuseWhere?: Prisma.AbsenceWhereInput;
}

/**
 * An absence reported for a session, by the participant (chat) or staff: stored and audited in one
 * transaction, then staff get `Absence reported` with the category only (once per absence).
 */
export async function recordAbsence(deps: { prisma: Db; enqueueDeliveries(alertIds: string[]): Promise<void> }, report: AbsenceReport) {
  const absence = await deps.prisma.$transaction(async (tx) => {
    const existing = report.reuseWhere ? await tx.absence.findFirst({ where: { organizationId: report.organizationId, participantId: report.participantId, sessionId: report.sessionId, ...report.reuseWhere } }) : null;
    if (existing) return existing;
    const created = await tx.absence.create({
      data: {
        organizationId: report.organizationId,
        programId: report.programId,
        participantId: report.participantId,
        sessionId: report.sessionId,
        category: report.category,
        excused: report.excused,
        reason: report.reason ?? null,
        reportedBy: report.reportedBy,
        reportedVia: report.reportedVia,
      },
    });
    await writeAudit(tx, {
      organizationId: report.organizationId,
      actor: report.audit.actor,
      action: report.audit.action,
      entityType: 'Absence',
      entityId: created.id,
      data: { sessionId: report.sessionId, participantId: report.participantId, category: report.category, excused: report.excused, ...report.audit.data },
    });
    return created;
  });
  await raiseParticipantAlert(deps, {
    organizationId: report.organizationId,
    participantId: report.participantId,
    kind: 'absence_reported',
    dedupeKey: `absence:${absence.id}`,
    programIds: [report.programId],
    detail: { absenceId: absence.id, sessionId: report.sessionId, category: absence.category, excused: absence.excused },
  });
  return absence;
}
