import { absenceCategorySchema, resolvePolicy, type AbsenceCategory } from '../core/policy.js';
import type { AlertActionId } from '../core/alert-message.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { ServiceError } from './service-error.js';
import { markExcused, reachOut, type StaffActor } from './alert-actions.js';
import { loadAlertContext, type AlertContext } from './alert-context.js';
import {
  decideFollowUp,
  DISMISS_REASONS,
  DONE_OUTCOMES,
  NOTE_TEMPLATES,
  reviewDateOptions,
  reviewDueAt,
  type FollowUpDecision,
  type StaffActionLine,
} from './follow-ups.js';
import { linkUnrecognizedPerson } from './identity-links.js';
import { participantLabel } from './labels.js';
import { prepareOutreach } from './outreach.js';
import type { MessengerFor } from './participant-messenger.js';
import type { SessionEvaluator } from './session-evaluator.js';
import { sendToParticipant } from './participant-outbox.js';

export interface StaffActionDeps {
  prisma: Db;
  clock: Clock;
  evaluator: SessionEvaluator;
  messengerFor: MessengerFor;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
  /** Starts delivery of participant outbox rows now (services/participant-outbox.ts); the outbox sweep does it otherwise. */
  enqueueParticipantMessages?(ids: string[]): Promise<void>;
}

export interface StaffActionRequest {
  alertId: string;
  action: AlertActionId;
  actor: StaffActor;
  /** The option picked, for actions that asked to choose (a reason category, a participant id). */
  choice?: string;
}

export interface StaffChoiceOption {
  value: string;
  label: string;
}

/**
 * What the platform shows after a facilitator's button press. `done`: the alert itself is edited
 * through the outbox, nothing more to show. `choose`: show the options (a modal, a card with a
 * choice set, a follow-up message) and call again with `choice`. `refused`: tell only the presser.
 */
export type StaffActionOutcome =
  | { type: 'done'; note?: string }
  | { type: 'refused'; text: string }
  | { type: 'choose'; title: string; label: string; submitLabel: string; options: StaffChoiceOption[] };

export const NOT_STAFF = "Sorry, only this program's facilitators can act on its alerts. If that should include you, ask an admin to add you to the program's staff.";

const REFUSALS = {
  not_staff: NOT_STAFF,
  gone: 'That alert no longer exists.',
  no_participant: 'This alert is not about a known participant.',
  no_chat_identity: "This participant has no connected chat account Rollcall may write to. Please reach them another way.",
  chat_disabled: "Participant chat is off for your organization on the platforms this participant uses (Slack's terms do not allow messaging patients). Please reach them another way.",
} as const;

export const CATEGORY_LABELS: Record<AbsenceCategory, string> = {
  technical: 'Technical problem',
  illness: 'Illness',
  family_emergency: 'Family or personal emergency',
  work_school: 'Work or school',
  transport: 'Transport',
  other: 'Other',
};

/**
 * Every facilitator button on an alert, for every chat platform: the staff check, the change
 * through a service (audited, alert edited in place) and what to show the presser. Platforms
 * only render the outcome.
 */
export async function performStaffAction(deps: StaffActionDeps, request: StaffActionRequest): Promise<StaffActionOutcome> {
  const context = await loadAlertContext(deps.prisma, request.alertId);
  if (!context) return refused('gone');
  const { alert, program } = context;
  if (!program.staffUserIds.includes(request.actor.userId)) return refused('not_staff');
  switch (request.action) {
    case 'reach_out': {
      const result = await reachOut(deps, alert.id, request.actor);
      return result.ok ? { type: 'done' } : refused(result.reason);
    }
    case 'excuse': {
      const category = absenceCategorySchema.safeParse(request.choice);
      if (!category.success) {
        return {
          type: 'choose',
          title: 'Mark excused',
          label: 'Reason',
          submitLabel: 'Mark excused',
          options: absenceCategorySchema.options.map((value) => ({ value, label: CATEGORY_LABELS[value] })),
        };
      }
      const result = await markExcused(deps, alert.id, request.actor, category.data);
      return result.ok ? { type: 'done' } : refused(result.reason);
    }
    case 'link_participant': {
      if (!alert.sessionId || !alert.subjectKey.startsWith('unmatched:')) return refused('no_participant');
      const enrolled = await deps.prisma.enrollment.findMany({
        where: { organizationId: alert.organizationId, programId: program.id, status: 'active' },
        include: { participant: { select: { id: true, name: true } } },
      });
      if (!request.choice || !enrolled.some((e) => e.participantId === request.choice)) {
        const policy = resolvePolicy(program.policy);
        const candidates = new Set(((alert.detail as { candidateParticipantIds?: string[] } | null)?.candidateParticipantIds ?? []) as string[]);
        const ordered = [...enrolled].sort((a, b) => Number(candidates.has(b.participantId)) - Number(candidates.has(a.participantId)));
        return {
          type: 'choose',
          title: 'Link to participant',
          label: 'Who is this?',
          submitLabel: 'Link',
          options: ordered.slice(0, 100).map((e) => ({ value: e.participantId, label: participantLabel(e.participant.name, policy.nameDisplay) })),
        };
      }
      try {
        await linkUnrecognizedPerson(deps, {
          organizationId: alert.organizationId,
          actor: `${request.actor.platform}:${request.actor.userId}`,
          sessionId: alert.sessionId,
          personKey: alert.subjectKey.slice('unmatched:'.length),
          participantId: request.choice,
        });
      } catch (error) {
        if (error instanceof ServiceError) return { type: 'refused', text: `Could not link: ${error.message}.` };
        throw error;
      }
      return { type: 'done' };
    }
    case 'offer_makeup':
    case 'send_checkin': {
      const prepared = await prepareOutreach(deps, { alertId: alert.id, actor: request.actor, kind: request.action, platform: request.actor.platform });
      if (!prepared.ok) return refused(prepared.reason);
      // Through the participant outbox (retried, recorded); a double press within a minute sends once.
      const sent = await sendToParticipant(deps, {
        organizationId: prepared.target.organizationId,
        participantId: alert.participantId!,
        dedupeKey: `${request.action}:${alert.id}:${deps.clock.now().toISOString().slice(0, 16)}`,
        purpose: request.action,
        message: prepared.message,
        preferred: prepared.target.platform,
      });
      return sent.state === 'skipped' ? refused(sent.reason) : { type: 'done' };
    }
    case 'open_review':
    case 'schedule_review':
    case 'add_note':
    case 'mark_done':
    case 'dismiss':
      return followUpAction(deps, context, request);
  }
}

const FOLLOW_UP_CHOICES = {
  add_note: { title: 'Add note', label: 'Note', submitLabel: 'Add note', options: NOTE_TEMPLATES },
  mark_done: { title: 'Mark done', label: 'Outcome', submitLabel: 'Mark done', options: DONE_OUTCOMES },
  dismiss: { title: 'Dismiss', label: 'Reason', submitLabel: 'Dismiss', options: DISMISS_REASONS },
} as const;

/**
 * Buttons on Strike and Review due alerts act on the FollowUp behind the alert. Chat offers fixed
 * choices (a day, a note template, an outcome, a reason); the presser is who decided. Nobody is
 * ever removed from a program here: a review is scheduled, noted, done or dismissed by a person.
 */
async function followUpAction(deps: StaffActionDeps, context: AlertContext, request: StaffActionRequest): Promise<StaffActionOutcome> {
  const { alert, program } = context;
  // The proposal behind the alert first; a check-in sent from it opens a FollowUp of its own.
  const followUp =
    (await deps.prisma.followUp.findFirst({ where: { organizationId: alert.organizationId, alertId: alert.id, rule: { not: null } }, orderBy: { createdAt: 'asc' } })) ??
    (await deps.prisma.followUp.findFirst({ where: { organizationId: alert.organizationId, alertId: alert.id }, orderBy: { createdAt: 'asc' } }));
  if (!followUp) return { type: 'refused', text: 'This alert has no follow-up to act on.' };
  if (followUp.state !== 'open') return { type: 'refused', text: `This follow-up is already ${followUp.state}.` };
  const actor = `${request.actor.platform}:${request.actor.userId}`;
  const change = (change: FollowUpDecision, line: StaffActionLine) =>
    decideFollowUp(deps, { organizationId: alert.organizationId, followUpId: followUp.id, actor, change, line }).then(() => ({ type: 'done' }) as const);
  if (request.action === 'schedule_review' || request.action === 'open_review') {
    const options = reviewDateOptions(deps.clock.now(), program.timezone);
    const picked = options.find((o) => o.value === request.choice);
    if (!picked) return { type: 'choose', title: 'Schedule review', label: 'Day', submitLabel: 'Schedule', options };
    return change({ dueAt: reviewDueAt(picked.value, program.timezone), assignee: actor }, { action: 'schedule_review', by: request.actor.label, what: picked.label });
  }
  const spec = FOLLOW_UP_CHOICES[request.action as keyof typeof FOLLOW_UP_CHOICES];
  const labels = spec.options as Record<string, string>;
  const picked = request.choice && Object.hasOwn(labels, request.choice) ? labels[request.choice]! : undefined;
  if (!picked) {
    return { type: 'choose', title: spec.title, label: spec.label, submitLabel: spec.submitLabel, options: Object.entries(labels).map(([value, label]) => ({ value, label })) };
  }
  const line = { action: request.action as StaffActionLine['action'], by: request.actor.label, what: picked };
  if (request.action === 'add_note') return change({ note: picked }, line);
  if (request.action === 'mark_done') return change({ state: 'done', outcome: picked }, line);
  return change({ state: 'dismissed', outcome: picked }, line);
}

function refused(reason: keyof typeof REFUSALS): StaffActionOutcome {
  return { type: 'refused', text: REFUSALS[reason] };
}
