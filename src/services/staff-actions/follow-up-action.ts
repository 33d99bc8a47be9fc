import { decideFollowUp, type FollowUpDecision, type StaffActionLine } from '../follow-ups.js';
import { DISMISS_REASONS, DONE_OUTCOMES, NOTE_TEMPLATES, reviewDateOptions, reviewDueAt } from './follow-up-choices.js';
import { actorKeyOf, type StaffActionHandler, type StaffActionOutcome } from './staff-action-types.js';

const FOLLOW_UP_CHOICES = {
  add_note: { title: 'Add note', label: 'Note', submitLabel: 'Add note', options: NOTE_TEMPLATES },
  mark_done: { title: 'Mark done', label: 'Outcome', submitLabel: 'Mark done', options: DONE_OUTCOMES },
  dismiss: { title: 'Dismiss', label: 'Reason', submitLabel: 'Dismiss', options: DISMISS_REASONS },
} as const;

/**
 * Buttons on Strike and Review due alerts act on the FollowUp behind the alert, through the one
 * decision path (services/follow-ups.ts). Chat offers fixed choices (a day, a note template, an
 * outcome, a reason); the presser is who decided. Nobody is ever removed from a program here: a
 * review is scheduled, noted, done or dismissed by a person.
 */
export const followUpAction: StaffActionHandler = async (deps, { alert, program }, request) => {
  // The proposal behind the alert first; a check-in sent from it opens a FollowUp of its own.
  const followUp =
    (await deps.prisma.followUp.findFirst({ where: { organizationId: alert.organizationId, alertId: alert.id, rule: { not: null } }, orderBy: { createdAt: 'asc' } })) ??
    (await deps.prisma.followUp.findFirst({ where: { organizationId: alert.organizationId, alertId: alert.id }, orderBy: { createdAt: 'asc' } }));
  if (!followUp) return { type: 'refused', text: 'This alert has no follow-up to act on.' };
  if (followUp.state !== 'open') return { type: 'refused', text: `This follow-up is already ${followUp.state}.` };
  const actor = actorKeyOf(request.actor);
  const decide = async (change: FollowUpDecision, line: StaffActionLine): Promise<StaffActionOutcome> => {
    await decideFollowUp(deps, { organizationId: alert.organizationId, followUpId: followUp.id, actor, change, line, requireOpen: true });
    return { type: 'done' };
  };
  if (request.action === 'schedule_review' || request.action === 'open_review') {
    const options = reviewDateOptions(deps.clock.now(), program.timezone);
    const picked = options.find((o) => o.value === request.choice);
    if (!picked) return { type: 'choose', title: 'Schedule review', label: 'Day', submitLabel: 'Schedule', options };
    return decide({ dueAt: reviewDueAt(picked.value, program.timezone), assignee: actor }, { action: 'schedule_review', by: request.actor.label, what: picked.label });
  }
  const spec = FOLLOW_UP_CHOICES[request.action as keyof typeof FOLLOW_UP_CHOICES];
  const labels = spec.options as Record<string, string>;
  const picked = request.choice && Object.hasOwn(labels, request.choice) ? labels[request.choice]! : undefined;
  if (!picked) {
    return { type: 'choose', title: spec.title, label: spec.label, submitLabel: spec.submitLabel, options: Object.entries(labels).map(([value, label]) => ({ value, label })) };
  }
  const line = { action: request.action as StaffActionLine['action'], by: request.actor.label, what: picked };
  if (request.action === 'add_note') return decide({ note: picked }, line);
  if (request.action === 'mark_done') return decide({ state: 'done', outcome: picked }, line);
  return decide({ state: 'dismissed', outcome: picked }, line);
};
