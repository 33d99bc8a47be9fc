import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { decodeChoice } from '../../core/participant-message.js';
import { cleanDisplayName, cleanPlatformText } from '../../core/platform-text.js';
import { handleParticipantMessage, type ConversationDeps } from '../../services/conversations.js';
import { handleParticipantChoice, replyMessage } from '../../services/participant-choices.js';
import { performStaffAction, type StaffActionDeps } from '../../services/staff-actions.js';
import { refuse } from '../../services/staff-actions/staff-action-types.js';
import { parseStaffValue, renderChoiceContent, renderParticipantContent, renderTextContent } from './chat-content.js';
import type { ChatbotClient } from './chatbot-client.js';
import type { ZoomPayloadIssue } from './normalize.js';

/** Chatbot events arrive in camelCase, unlike meeting events. */
const chatUser = {
  accountId: z.string().min(1),
  robotJid: z.string().optional(),
  toJid: z.string().min(1),
  userId: z.string().min(1),
  userJid: z.string().min(1),
  userName: z.string().optional(),
  timestamp: z.number().optional(),
};

export const botNotificationSchema = z.object({
  event: z.literal('bot_notification'),
  payload: z.looseObject({ ...chatUser, cmd: z.string().default('') }),
});

export const interactiveActionSchema = z.object({
  event: z.literal('interactive_message_actions'),
  payload: z.looseObject({ ...chatUser, messageId: z.string().optional(), actionItem: z.looseObject({ text: z.string().optional(), value: z.string() }) }),
});

export const interactiveSelectSchema = z.object({
  event: z.literal('interactive_message_select'),
  payload: z.looseObject({ ...chatUser, messageId: z.string().optional(), selectedItems: z.array(z.looseObject({ value: z.string() })).min(1) }),
});

export interface ChatbotEventDeps extends StaffActionDeps, ConversationDeps {
  chatbot: ChatbotClient;
  /** The organization chat from this Zoom account belongs to. */
  organizationFor(accountId: string): Promise<string>;
  log: Logger;
}

/** A chatbot event as Rollcall uses it: a message to the bot, or a button pressed. */
export type ChatbotEvent =
  | { kind: 'message'; payload: z.output<typeof botNotificationSchema>['payload'] }
  | { kind: 'action'; payload: z.output<typeof interactiveActionSchema>['payload'] | z.output<typeof interactiveSelectSchema>['payload']; value: string };

/** Chat replies to send once the delivery is answered (Zoom wants its answer within 3 s). */
export type ChatReplies = () => Promise<void>;

const SCHEMAS = { bot_notification: botNotificationSchema, interactive_message_actions: interactiveActionSchema, interactive_message_select: interactiveSelectSchema } as const;

/** Reads a chatbot delivery, or says which fields make it unusable. */
export function parseChatbotEvent(name: keyof typeof SCHEMAS, body: unknown): { event: ChatbotEvent } | { issues: ZoomPayloadIssue[] } {
  const parsed = SCHEMAS[name].safeParse(body);
  if (!parsed.success) return { issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })) };
  const data = parsed.data;
  if (data.event === 'bot_notification') return { event: { kind: 'message', payload: data.payload } };
  const value = data.event === 'interactive_message_actions' ? data.payload.actionItem.value : data.payload.selectedItems[0]!.value;
  return { event: { kind: 'action', payload: data.payload, value } };
}

/**
 * What names one chatbot delivery across Zoom's retries (no event id survives them): the sender,
 * the event's own time, the message and the value pressed. Null without the event's time: nothing
 * then tells a retry from a new message.
 */
export function chatbotDeliveryId(event: ChatbotEvent): string | null {
  const p = event.payload;
  if (p.timestamp === undefined) return null;
  const parts = [event.kind, p.userId, String(p.timestamp), 'messageId' in p ? (p.messageId ?? '') : '', event.kind === 'action' ? event.value : ''];
  return `chat:${createHash('sha256').update(parts.join('|'), 'utf8').digest('hex')}`;
}

/**
 * Acts on a chatbot event: every database effect (the participant's message handled, a crisis
 * alert in the outbox, an absence, a staff action) is done when this resolves, so the delivery
 * may be answered. The chat replies it returns are sent after that.
 */
export async function actOnChatbotEvent(deps: ChatbotEventDeps, event: ChatbotEvent): Promise<ChatReplies> {
  return event.kind === 'message' ? actOnBotNotification(deps, event.payload) : actOnInteractiveAction(deps, event.payload, event.value);
}

/**
 * A user wrote to the chatbot: the conversation service decides (crisis first, absences, status),
 * the reply goes back to the same chat as chatbot content with buttons. Logs carry ids and the
 * reply type, never the message.
 */
async function actOnBotNotification(deps: ChatbotEventDeps, p: Extract<ChatbotEvent, { kind: 'message' }>['payload']): Promise<ChatReplies> {
  const organizationId = await deps.organizationFor(p.accountId);
  const { reply } = await handleParticipantMessage(deps, {
    organizationId,
    platform: 'zoom',
    platformUserId: p.userId,
    text: cleanPlatformText(p.cmd),
    // No event id survives Zoom's retries; the user and the message's own time name it.
    deliveryId: `${p.userId}:${p.timestamp ?? Date.now()}`,
  });
  deps.log.info({ organizationId, reply: reply.type }, 'zoom participant message answered');
  // Always into the person's own chat with the bot: a mention in a channel must not answer about them there.
  return async () => void (await deps.chatbot.send({ accountId: p.accountId, toJid: p.userJid, userJid: p.userJid, content: renderParticipantContent(replyMessage(reply)) }));
}

/**
 * A button on one of the chatbot's messages: a facilitator's action on an alert (the same service
 * as every platform), or a participant's choice on a message to them.
 */
async function actOnInteractiveAction(deps: ChatbotEventDeps, p: Extract<ChatbotEvent, { kind: 'action' }>['payload'], value: string): Promise<ChatReplies> {
  const organizationId = await deps.organizationFor(p.accountId);
  const nothing: ChatReplies = async () => {};

  if (decodeChoice(value)) {
    const next = await handleParticipantChoice(deps, { organizationId, platform: 'zoom', platformUserId: p.userId, value });
    deps.log.info({ organizationId, handled: next !== null }, 'zoom participant choice');
    if (!next) return nothing;
    const send = { accountId: p.accountId, toJid: p.toJid, userJid: p.userJid, content: renderParticipantContent(next) };
    return async () => void (p.messageId ? await deps.chatbot.edit(p.messageId, send) : await deps.chatbot.send(send));
  }

  const staff = parseStaffValue(value);
  if (!staff) {
    deps.log.info({ organizationId }, 'zoom interactive value not ours');
    return nothing;
  }
  const actor = { platform: 'zoom' as const, userId: p.userId, label: cleanDisplayName(p.userName ?? '') || p.userId };
  // A button names its alert by id: only the clinic of the account it was pressed in may act on it.
  const ours = await deps.prisma.alert.count({ where: { id: staff.alertId, organizationId } });
  const outcome = ours ? await performStaffAction(deps, { alertId: staff.alertId, action: staff.action, actor, choice: staff.choice }) : refuse('gone');
  deps.log.info({ alertId: staff.alertId, action: staff.action, outcome: outcome.type }, 'zoom staff action');
  // Follow-ups are for the presser alone; the alert itself is edited through the outbox.
  const toPresser = { accountId: p.accountId, toJid: p.toJid, visibleToUser: p.userId };
  if (outcome.type === 'choose') return async () => void (await deps.chatbot.send({ ...toPresser, content: renderChoiceContent({ ...staff, choice: undefined }, outcome) }));
  if (outcome.type === 'refused') return async () => void (await deps.chatbot.send({ ...toPresser, content: renderTextContent('Rollcall', outcome.text) }));
  return nothing;
}
