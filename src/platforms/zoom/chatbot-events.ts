import type { Logger } from 'pino';
import { z } from 'zod';
import { decodeChoice } from '../../core/participant-message.js';
import { handleParticipantMessage, type ConversationDeps } from '../../services/conversations.js';
import { handleParticipantChoice, replyMessage } from '../../services/participant-choices.js';
import { performStaffAction, type StaffActionDeps } from '../../services/staff-actions.js';
import { parseStaffValue, renderChoiceContent, renderParticipantContent, renderTextContent } from './chat-content.js';
import type { ChatbotClient } from './chatbot-client.js';

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

/**
 * A user wrote to the chatbot: the conversation service decides (crisis first, absences, status),
 * the reply goes back to the same chat as chatbot content with buttons. Logs carry ids and the
 * reply type, never the message.
 */
export async function onBotNotification(deps: ChatbotEventDeps, body: unknown): Promise<void> {
  const parsed = botNotificationSchema.safeParse(body);
  if (!parsed.success) return void deps.log.warn('zoom bot_notification malformed');
  const p = parsed.data.payload;
  const organizationId = await deps.organizationFor(p.accountId);
  const { reply } = await handleParticipantMessage(deps, {
    organizationId,
    platform: 'zoom',
    platformUserId: p.userId,
    text: p.cmd,
    // No event id survives Zoom's retries; the user and the message's own time name it.
    deliveryId: `${p.userId}:${p.timestamp ?? Date.now()}`,
  });
  deps.log.info({ organizationId, reply: reply.type }, 'zoom participant message answered');
  // Always into the person's own chat with the bot: a mention in a channel must not answer about them there.
  await deps.chatbot.send({ accountId: p.accountId, toJid: p.userJid, userJid: p.userJid, content: renderParticipantContent(replyMessage(reply)) });
}

/**
 * A button on one of the chatbot's messages: a facilitator's action on an alert (the same service
 * as every platform), or a participant's choice on a message to them.
 */
export async function onInteractiveAction(deps: ChatbotEventDeps, body: unknown): Promise<void> {
  const action = interactiveActionSchema.safeParse(body);
  const select = action.success ? null : interactiveSelectSchema.safeParse(body);
  if (!action.success && !select?.success) return void deps.log.warn('zoom interactive message malformed');
  const p = action.success ? action.data.payload : select!.data!.payload;
  const value = action.success ? action.data.payload.actionItem.value : select!.data!.payload.selectedItems[0]!.value;
  const organizationId = await deps.organizationFor(p.accountId);

  if (decodeChoice(value)) {
    const next = await handleParticipantChoice(deps, { organizationId, platform: 'zoom', platformUserId: p.userId, value });
    deps.log.info({ organizationId, handled: next !== null }, 'zoom participant choice');
    if (!next) return;
    const send = { accountId: p.accountId, toJid: p.toJid, userJid: p.userJid, content: renderParticipantContent(next) };
    if (p.messageId) await deps.chatbot.edit(p.messageId, send);
    else await deps.chatbot.send(send);
    return;
  }

  const staff = parseStaffValue(value);
  if (!staff) return void deps.log.info({ organizationId }, 'zoom interactive value not ours');
  const actor = { platform: 'zoom' as const, userId: p.userId, label: p.userName?.trim() || p.userId };
  const outcome = await performStaffAction(deps, { alertId: staff.alertId, action: staff.action, actor, choice: staff.choice });
  deps.log.info({ alertId: staff.alertId, action: staff.action, outcome: outcome.type }, 'zoom staff action');
  // Follow-ups are for the presser alone; the alert itself is edited through the outbox.
  const toPresser = { accountId: p.accountId, toJid: p.toJid, visibleToUser: p.userId };
  if (outcome.type === 'choose') await deps.chatbot.send({ ...toPresser, content: renderChoiceContent({ ...staff, choice: undefined }, outcome) });
  if (outcome.type === 'refused') await deps.chatbot.send({ ...toPresser, content: renderTextContent('Rollcall', outcome.text) });
}
