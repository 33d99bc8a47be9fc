import { absenceCategorySchema, type AbsenceCategory } from '../../core/policy.js';
import { appendStaffAction } from '../alerts/alert-outbox.js';
import { writeAudit } from '../audit.js';
import { recomputeStrikes } from '../strikes.js';
import { actorKeyOf, refuse, type StaffActionHandler } from './staff-action-types.js';

export const CATEGORY_LABELS: Record<AbsenceCategory, string> = {
  technical: 'Technical problem',
  illness: 'Illness',
  family_emergency: 'Family or personal emergency',
  work_school: 'Work or school',
  transport: 'Transport',
  other: 'Other',
};

/**
 * "Mark excused", once a reason is chosen: for a session's alert, an excused Absence for that
 * session (then the session is evaluated again); for an "Absence reported" alert, the reported
 * Absence becomes excused. An excuse after the fact takes back the strike it caused.
 */
export const markExcused: StaffActionHandler = async (deps, { alert, program }, { actor, choice }) => {
  const category = absenceCategorySchema.safeParse(choice);
  if (!category.success) {
    return {
      type: 'choose',
      title: 'Mark excused',
      label: 'Reason',
      submitLabel: 'Mark excused',
      options: absenceCategorySchema.options.map((value) => ({ value, label: CATEGORY_LABELS[value] })),
    };
  }
  const participantId = alert.participantId;
  if (!participantId) return refuse('no_participant');
  const { prisma, clock } = deps;
  const now = clock.now();
  const reportedAbsenceId = (alert.detail as { absenceId?: unknown } | null)?.absenceId;
  const sessionId = await prisma.$transaction(async (tx) => {
    const absence =
      typeof reportedAbsenceId === 'string'
        ? await tx.absence.update({ where: { id: reportedAbsenceId, organizationId: alert.organizationId }, data: { excused: true, category: category.data } })
        : await tx.absence.create({
            data: {
              organizationId: alert.organizationId,
              programId: program.id,
              participantId,
              sessionId: alert.sessionId,
              category: category.data,
              excused: true,
              reportedBy: 'staff',
              reportedVia: actor.platform,
            },
          });
    await appendStaffAction(tx, alert.id, { action: 'excuse', by: actor.label, at: now.toISOString() });
    await writeAudit(tx, {
      organizationId: alert.organizationId,
      actor: actorKeyOf(actor),
      action: 'attendance.excuse',
      entityType: 'Absence',
      entityId: absence.id,
      data: { alertId: alert.id, sessionId: absence.sessionId, participantId: alert.participantId, category: category.data },
    });
    return absence.sessionId;
  });
  if (sessionId) await deps.evaluator.evaluate(sessionId);
  await deps.enqueueDeliveries([alert.id]);
  if (sessionId) await recomputeStrikes(deps, { organizationId: alert.organizationId, programId: program.id, participantId });
  return { type: 'done' };
};
