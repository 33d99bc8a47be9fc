import { appendStaffAction } from '../alerts/alert-outbox.js';
import { writeAudit } from '../audit.js';
import { assignFollowUp, openFollowUp } from '../follow-ups.js';
import { actorKeyOf, refuse, type StaffActionHandler } from './staff-action-types.js';

/** "I'll reach out": a FollowUp assigned to the facilitator who pressed it, shown on the alert. */
export const reachOut: StaffActionHandler = async (deps, { alert, program }, { actor }) => {
  const participantId = alert.participantId;
  if (!participantId) return refuse('no_participant');
  const now = deps.clock.now();
  const assignee = actorKeyOf(actor);
  await deps.prisma.$transaction(async (tx) => {
    // A Strike's own FollowUp is taken on rather than doubled.
    const proposed = await tx.followUp.findFirst({ where: { organizationId: alert.organizationId, alertId: alert.id, state: 'open', rule: { not: null } } });
    if (proposed) await assignFollowUp(tx, proposed.id, assignee);
    const followUp = proposed ?? (await openFollowUp(tx, { organizationId: alert.organizationId, programId: program.id, participantId, alertId: alert.id, kind: 'outreach', assignee }));
    await appendStaffAction(tx, alert.id, { action: 'reach_out', by: actor.label, at: now.toISOString() });
    await writeAudit(tx, { organizationId: alert.organizationId, actor: assignee, action: 'alert.reach_out', entityType: 'Alert', entityId: alert.id, data: { followUpId: followUp.id } });
  });
  await deps.enqueueDeliveries([alert.id]);
  return { type: 'done' };
};
