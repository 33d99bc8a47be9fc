import type { AbsenceCategory } from '../core/policy.js';
import type { Platform } from '../core/presence-event.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';
import type { SessionEvaluator } from './session-evaluator.js';

export interface StaffActor {
  platform: Platform;
  /** The platform's user id (Slack U…, Teams AAD object id, Zoom user id). */
  userId: string;
  /** How the channel should name them: staff are named, participants are minimised. */
  label: string;
}

export type AlertActionResult = { ok: true } | { ok: false; reason: 'not_staff' | 'gone' | 'no_participant' };

interface AlertActionDeps {
  prisma: Db;
  clock: Clock;
  evaluator: SessionEvaluator;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
}

/** Loads the alert with its program, and says whether the actor is one of the program's staff. */
async function loadForStaff(prisma: Db, alertId: string, actor: StaffActor) {
  const alert = await prisma.alert.findUnique({ where: { id: alertId }, include: { session: { include: { program: true } } } });
  if (!alert) return { alert: null, allowed: false } as const;
  return { alert, allowed: alert.session.program.staffUserIds.includes(actor.userId) } as const;
}

function withStaffAction(detail: unknown, action: string, actor: StaffActor, at: Date): Prisma.InputJsonValue {
  const current = (detail ?? {}) as { staffActions?: unknown[] };
  const staffActions = [...(Array.isArray(current.staffActions) ? current.staffActions : []), { action, by: actor.label, at: at.toISOString() }];
  return { ...current, staffActions } as Prisma.InputJsonValue;
}

/** "I'll reach out": a FollowUp assigned to the facilitator who pressed it, shown on the alert. */
export async function reachOut(deps: AlertActionDeps, alertId: string, actor: StaffActor): Promise<AlertActionResult> {
  const { prisma, clock } = deps;
  const { alert, allowed } = await loadForStaff(prisma, alertId, actor);
  if (!alert) return { ok: false, reason: 'gone' };
  if (!allowed) return { ok: false, reason: 'not_staff' };
  if (!alert.participantId) return { ok: false, reason: 'no_participant' };
  const now = clock.now();
  await prisma.$transaction(async (tx) => {
    const followUp = await tx.followUp.create({
      data: { organizationId: alert.organizationId, programId: alert.session.programId, participantId: alert.participantId!, alertId: alert.id, kind: 'outreach', assignee: `${actor.platform}:${actor.userId}` },
    });
    await tx.alert.update({ where: { id: alert.id }, data: { detail: withStaffAction(alert.detail, 'reach_out', actor, now), version: { increment: 1 }, deliveryState: 'pending' } });
    await writeAudit(tx, { organizationId: alert.organizationId, actor: `${actor.platform}:${actor.userId}`, action: 'alert.reach_out', entityType: 'Alert', entityId: alert.id, data: { followUpId: followUp.id } });
  });
  await deps.enqueueDeliveries([alert.id]);
  return { ok: true };
}

/** "Mark excused": an excused Absence for the alert's session; the session is evaluated again. */
export async function markExcused(deps: AlertActionDeps, alertId: string, actor: StaffActor, category: AbsenceCategory): Promise<AlertActionResult> {
  const { prisma, clock } = deps;
  const { alert, allowed } = await loadForStaff(prisma, alertId, actor);
  if (!alert) return { ok: false, reason: 'gone' };
  if (!allowed) return { ok: false, reason: 'not_staff' };
  if (!alert.participantId) return { ok: false, reason: 'no_participant' };
  const now = clock.now();
  await prisma.$transaction(async (tx) => {
    const absence = await tx.absence.create({
      data: {
        organizationId: alert.organizationId,
        programId: alert.session.programId,
        participantId: alert.participantId!,
        sessionId: alert.sessionId,
        category,
        excused: true,
        reportedBy: 'staff',
        reportedVia: actor.platform,
      },
    });
    await tx.alert.update({ where: { id: alert.id }, data: { detail: withStaffAction(alert.detail, 'excuse', actor, now), version: { increment: 1 }, deliveryState: 'pending' } });
    await writeAudit(tx, {
      organizationId: alert.organizationId,
      actor: `${actor.platform}:${actor.userId}`,
      action: 'attendance.excuse',
      entityType: 'Absence',
      entityId: absence.id,
      data: { alertId: alert.id, sessionId: alert.sessionId, participantId: alert.participantId, category },
    });
  });
  await deps.evaluator.evaluate(alert.sessionId);
  await deps.enqueueDeliveries([alert.id]);
  return { ok: true };
}
