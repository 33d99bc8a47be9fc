import type { Logger } from 'pino';
import { DeliveryError, type ChannelRef, type Notifier } from '../../services/notifier.js';
import type { ParticipantMessenger } from '../../services/participant-messenger.js';
import { renderAlertContent, renderParticipantContent } from './chat-content.js';
import { userJidOf, type ChatbotClient } from './chatbot-client.js';
import { toDeliveryError } from './zoom-http.js';

export interface ZoomChatDeps {
  chatbot: ChatbotClient;
  /** The Zoom account an organization installed from; null when it has not (or was deauthorized). */
  accountOf(organizationId: string): Promise<string | null>;
  log: Logger;
}

async function requireAccount(deps: ZoomChatDeps, organizationId: string): Promise<string> {
  const accountId = await deps.accountOf(organizationId);
  if (!accountId) throw new DeliveryError('zoom: the app is not installed for this organization', false);
  return accountId;
}

/**
 * Alerts to a program's Zoom Team Chat channel (`alertChannelId` is the channel's JID), posted by
 * the chatbot and edited in place. Zoom has no idempotency key and no history search for bots: an
 * attempt whose answer was lost may, rarely, post twice (the outbox stores the message id as soon
 * as it has it and edits from then on).
 */
export function createZoomNotifier(deps: ZoomChatDeps): Notifier {
  const { chatbot, log } = deps;
  const fail = (error: unknown, context: Record<string, unknown>): never => {
    const failure = toDeliveryError(error);
    log.warn({ ...context, retryable: failure.retryable, retryAfter: failure.retryAfterSeconds }, 'zoom chat call failed');
    throw failure;
  };
  return {
    async post(channel: ChannelRef, message) {
      const accountId = await requireAccount(deps, channel.organizationId);
      try {
        return await chatbot.send({ accountId, toJid: channel.channelId, content: renderAlertContent(message) });
      } catch (error) {
        return fail(error, { alertId: message.alertId, op: 'post' });
      }
    },
    async update(channel: ChannelRef, messageId, message) {
      const accountId = await requireAccount(deps, channel.organizationId);
      try {
        await chatbot.edit(messageId, { accountId, toJid: channel.channelId, content: renderAlertContent(message) });
      } catch (error) {
        fail(error, { alertId: message.alertId, op: 'update' });
      }
    },
  };
}

/** Writes to a participant's own chat with the bot; `target.userId` is their Zoom user id (or JID). */
export function createZoomParticipantMessenger(deps: ZoomChatDeps): ParticipantMessenger {
  return {
    async send(target, message) {
      const accountId = await requireAccount(deps, target.organizationId);
      try {
        return await deps.chatbot.send({ accountId, toJid: userJidOf(target.userId), content: renderParticipantContent(message) });
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}
