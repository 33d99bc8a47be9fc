import { recordAbsence } from './absences.js';
import { isExcusedByPolicy } from '../core/absence-rules.js';
import { resolvePolicy, type AbsenceCategory } from '../core/policy.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { ServiceError } from './service-error.js';
import { writeAudit } from './audit.js';
import type { SessionEvaluator } from './session-evaluator.js';
import { recomputeStrikes } from './strikes.js';

export interface AttendanceChangeDeps {
  prisma: Db;
  clock: Clock;
  evaluator: SessionEvaluator;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
}

export const OVERRIDE_STATUSES = ['present', 'late', 'no_show', 'excused', 'made_up'] as const;
export type OverrideStatus = (typeof OVERRIDE_STATUSES)[number];

/** A session of the organization with the participant enrolled in its program, or a 404. */
async function loadEnrolled(prisma: Db, organizationId: string, sessionId: string, participantId: string) {
  const session = await prisma.session.findFirst({ where: { id: sessionId, organizationId }, include: { program: true } });
  if (!session) throw new ServiceError('not_found', 'session not found');
  const enrollment = await prisma.enrollment.findFirst({ where: { organizationId, programId: session.programId, participantId } });
  if (!enrollment) throw new ServiceError('not_found', 'participant not found');
  return session;
}

/**
 * Staff decide a session's status for one participant, with a reason. The detected status stays
 * beside it; reports and the attendance API show both. Strikes are recomputed at once.
 */
export async function overrideAttendance(
  deps: AttendanceChangeDeps,
  input: { organizationId: string; sessionId: string; participantId: string; status: OverrideStatus | null; reason?: string; actor: string },
) {
  const { prisma, clock } = deps;
  const session = await loadEnrolled(prisma, input.organizationId, input.sessionId, input.participantId);
  // The roster row exists once the session has been evaluated; a session not yet begun has none.
  await deps.evaluator.evaluate(session.id);
  const row = await prisma.$transaction(async (tx) => {
    const current = await tx.attendance.findFirst({ where: { organizationId: input.organizationId, sessionId: session.id, participantId: input.participantId } });
    if (!current) throw new ServiceError('conflict', 'no attendance is recorded for this participant in this session yet');
    const updated = await tx.attendance.update({
      where: { id: current.id },
      data: input.status
        ? { overrideStatus: input.status, overrideReason: input.reason ?? null, overriddenBy: input.actor, overriddenAt: clock.now() }
        : { overrideStatus: null, overrideReason: null, overriddenBy: null, overriddenAt: null },
    });
    await writeAudit(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: input.status ? 'attendance.override' : 'attendance.override_cleared',
      entityType: 'Attendance',
      entityId: current.id,
      data: { sessionId: session.id, participantId: input.participantId, detected: current.status, previousOverride: current.overrideStatus, decided: input.status },
    });
    return updated;
  });
  await recomputeStrikes(deps, { organizationId: input.organizationId, programId: session.programId, participantId: input.participantId });
  return row;
}

/**
 * Staff excuse a session after the fact, with a reason: the participant's absence for it becomes
 * excused (or one is recorded), the session is evaluated again and strikes recomputed.
 */
export async function excuseAttendance(
  deps: AttendanceChangeDeps,
  input: { organizationId: string; sessionId: string; participantId: string; category: AbsenceCategory; reason: string; actor: string },
) {
  const { prisma } = deps;
  const session = await loadEnrolled(prisma, input.organizationId, input.sessionId, input.participantId);
  const absence = await prisma.$transaction(async (tx) => {
    const existing = await tx.absence.findFirst({ where: { organizationId: input.organizationId, sessionId: session.id, participantId: input.participantId }, orderBy: { createdAt: 'asc' } });
    const absence = existing
      ? await tx.absence.update({ where: { id: existing.id }, data: { excused: true, category: input.category, reason: input.reason } })
      : await tx.absence.create({
          data: {
            organizationId: input.organizationId,
            programId: session.programId,
            participantId: input.participantId,
            sessionId: session.id,
            category: input.category,
            excused: true,
            reason: input.reason,
            reportedBy: 'staff',
            reportedVia: 'admin-api',
          },
        });
    await writeAudit(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'attendance.excuse',
      entityType: 'Absence',
      entityId: absence.id,
      data: { sessionId: session.id, participantId: input.participantId, category: input.category, wasExcused: existing?.excused ?? null },
    });
    return absence;
  });
  await deps.evaluator.evaluate(session.id);
  await recomputeStrikes(deps, { organizationId: input.organizationId, programId: session.programId, participantId: input.participantId });
  return absence;
}

/**
 * Staff record an absence ahead of a session (the participant told them). Excused by the program's
 * rules unless staff say otherwise; staff get `Absence reported` like a participant's own report.
 */
export async function reportAbsenceByStaff(
  deps: AttendanceChangeDeps,
  input: { organizationId: string; participantId: string; sessionId: string; category: AbsenceCategory; excused?: boolean; reason?: string; actor: string },
) {
  const { prisma, clock } = deps;
  const session = await loadEnrolled(prisma, input.organizationId, input.sessionId, input.participantId);
  const excused =
    input.excused ?? isExcusedByPolicy(resolvePolicy(session.program.policy), { category: input.category, reportedAt: clock.now(), sessionStartsAt: session.startsAt });
  const absence = await recordAbsence(deps, {
    organizationId: input.organizationId,
    programId: session.programId,
    sessionId: session.id,
    participantId: input.participantId,
    category: input.category,
    excused,
    reason: input.reason ?? null,
    reportedBy: 'staff',
    reportedVia: 'admin-api',
    audit: { actor: input.actor, action: 'absence.report', data: { decidedByStaff: input.excused !== undefined } },
  });
  await deps.evaluator.evaluate(session.id);
  await recomputeStrikes(deps, { organizationId: input.organizationId, programId: session.programId, participantId: input.participantId });
  return absence;
}

export function serializeAbsence(a: { id: string; programId: string; participantId: string; sessionId: string | null; category: string; excused: boolean; reportedBy: string; reportedVia: string | null; reason: string | null; createdAt: Date }) {
  return {
    id: a.id,
    programId: a.programId,
    participantId: a.participantId,
    sessionId: a.sessionId,
    category: a.category,
    excused: a.excused,
    reportedBy: a.reportedBy,
    reportedVia: a.reportedVia,
    reason: a.reason,
    createdAt: a.createdAt,
  };
}
