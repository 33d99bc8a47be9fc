import type { AlertActionId } from '../../core/alert-kinds.js';
import type { Platform } from '../../core/presence-event.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { AlertContext } from '../alert-context.js';
import type { MessengerFor } from '../participant-messenger.js';
import type { SessionEvaluator } from '../session-evaluator.js';

/** The facilitator who pressed a button on an alert. */
export interface StaffActor {
  platform: Platform;
  /** The platform's user id (Slack U…, Teams AAD object id, Zoom user id). */
  userId: string;
  /** How the channel should name them: staff are named, participants are minimised. */
  label: string;
}

/** How audit entries and assignees name a staff member: `<platform>:<user id>`. */
export const actorKeyOf = (actor: StaffActor) => `${actor.platform}:${actor.userId}`;

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
  /** The clinic the presser's workspace or tenant belongs to: another clinic's alert is treated as gone. */
  organizationId?: string;
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

/** One button's work, given the alert (already loaded) and a presser already known to be the program's staff. */
export type StaffActionHandler = (deps: StaffActionDeps, context: AlertContext, request: StaffActionRequest) => Promise<StaffActionOutcome>;

export const NOT_STAFF = "Sorry, only this program's facilitators can act on its alerts. If that should include you, ask an admin to add you to the program's staff.";

const REFUSALS = {
  not_staff: NOT_STAFF,
  gone: 'That alert no longer exists.',
  no_participant: 'This alert is not about a known participant.',
  no_chat_identity: "This participant has no connected chat account Rollcall may write to. Please reach them another way.",
  no_sms_consent: 'This participant has no connected chat account, and has not agreed to text messages (no SMS consent). Please reach them another way.',
  chat_disabled: "Participant chat is off for your organization on the platforms this participant uses (Slack's terms do not allow messaging patients). Please reach them another way.",
} as const;

export function refuse(reason: keyof typeof REFUSALS): StaffActionOutcome {
  return { type: 'refused', text: REFUSALS[reason] };
}
