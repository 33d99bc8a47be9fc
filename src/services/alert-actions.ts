import type { AbsenceCategory } from '../core/policy.js';
import type { Platform } from '../core/presence-event.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { loadAlertContext } from './alert-context.js';
import { writeAudit } from './audit.js';
import type { SessionEvaluator } from './session-evaluator.js';
import { recomputeStrikes } from './strikes.js';

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

/** The alert and its program when the actor is one of the program's staff and the alert is about a participant. */
async function loadForStaff(prisma: Db, alertId: string, actor: StaffActor) {
  const context = await loadAlertContext(prisma, alertId);
  if (!context) return { ok: false as const, refused: { ok: false, reason: 'gone' } as const };
  if (!context.program.staffUserIds.includes(actor.userId)) return { ok: false as const, refused: { ok: false, reason: 'not_staff' } as const };
  const participantId = context.alert.participantId;
  if (!participantId) return { ok: false as const, refused: { ok: false, reason: 'no_participant' } as const };
  return { ok: true as const, ...context, participantId };
}

/** The alert's detail with one more staff action (who did what, when), shown on its message. */
export function withStaffAction(detail: unknown, action: string, actor: StaffActor, at: Date): Prisma.InputJsonValue {
  const current = (detail ?? {}) as { staffActions?: unknown[] };
  const staffActions = [...(Array.isArray(current.staffActions) ? current.staffActions : []), { action, by: actor.label, at: at.toISOString() }];
  return { ...current, staffActions } as Prisma.InputJsonValue;
}

/** "I'll reach out": a FollowUp assigned to the facilitator who pressed it, shown on the alert. */
export async function reachOut(deps: AlertActionDeps, alertId: string, actor: StaffActor): Promise<AlertActionResult> {
  const { prisma, clock } = deps;
  const loaded = await loadForStaff(prisma, alertId, actor);
  if (!loaded.ok) return loaded.refused;
  const { alert, program, participantId } = loaded;
  const now = clock.now();
  await prisma.$transaction(async (tx) => {
    // A Strike's own FollowUp is taken on rather than doubled.
    const proposed = await tx.followUp.findFirst({ where: { organizationId: alert.organizationId, alertId: alert.id, state: 'open', rule: { not: null } } });
    const followUp = proposed
      ? await tx.followUp.update({ where: { id: proposed.id }, data: { assignee: `${actor.platform}:${actor.userId}` } })
      : await tx.followUp.create({
          data: { organizationId: alert.organizationId, programId: program.id, participantId: participantId, alertId: alert.id, kind: 'outreach', assignee: `${actor.platform}:${actor.userId}` },
        });
    await tx.alert.update({ where: { id: alert.id }, data: { detail: withStaffAction(alert.detail, 'reach_out', actor, now), version: { increment: 1 }, deliveryState: 'pending' } });
    await writeAudit(tx, { organizationId: alert.organizationId, actor: `${actor.platform}:${actor.userId}`, action: 'alert.reach_out', entityType: 'Alert', entityId: alert.id, data: { followUpId: followUp.id } });
  });
  await deps.enqueueDeliveries([alert.id]);
  return { ok: true };
}

/**
 * "Mark excused": for a session's alert, an excused Absence for that session (then the session is
 * evaluated again); for an "Absence reported" alert, the reported Absence becomes excused.
 */
export async function markExcused(deps: AlertActionDeps, alertId: string, actor: StaffActor, category: AbsenceCategory): Promise<AlertActionResult> {
  const { prisma, clock } = deps;
  const loaded = await loadForStaff(prisma, alertId, actor);
  if (!loaded.ok) return loaded.refused;
  const { alert, program, participantId } = loaded;
  const now = clock.now();
  const reportedAbsenceId = (alert.detail as { absenceId?: unknown } | null)?.absenceId;
  const sessionId = await prisma.$transaction(async (tx) => {
    const absence =
      typeof reportedAbsenceId === 'string'
        ? await tx.absence.update({ where: { id: reportedAbsenceId, organizationId: alert.organizationId }, data: { excused: true, category } })
        : await tx.absence.create({
            data: {
              organizationId: alert.organizationId,
              programId: program.id,
              participantId: participantId,
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
      data: { alertId: alert.id, sessionId: absence.sessionId, participantId: alert.participantId, category },
    });
    return absence.sessionId;
  });
  if (sessionId) await deps.evaluator.evaluate(sessionId);
  await deps.enqueueDeliveries([alert.id]);
  // An excuse after the fact takes back the strike it caused.
  if (sessionId) await recomputeStrikes(deps, { organizationId: alert.organizationId, programId: program.id, participantId });
  return { ok: true };
}
