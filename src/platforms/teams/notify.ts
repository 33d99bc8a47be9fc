import { CardFactory } from 'botbuilder';
import type { Logger } from 'pino';
import { DeliveryError, type Notifier } from '../../services/notifier.js';
import { renderAlertCard } from './cards.js';
import { classifyConnectorError, type ConnectorWriter } from './connector.js';
import type { TeamsConversationStore } from './conversation-store.js';

/**
 * Alerts to the Teams channel (or chat) a program is linked to: an Adaptive Card posted
 * proactively with the stored conversation reference, edited in place with updateActivity.
 *
 * The outbox stores the returned activity id with the post, so from then on it only edits. The
 * window left is a first post that reached Teams but whose answer did not reach us (a 5xx, a
 * timeout). Slack lets us look through the channel for our earlier post (`mayHaveBeenPosted`);
 * the Bot Connector cannot read a conversation back, and Graph could only with channel-message
 * permissions we do not ask for. What we do instead: the SDK's own retries are off (connector.ts),
 * so one outbox attempt is one POST and an uncertain failure is retried only by the outbox, once
 * per backoff step; and such a retry is logged with `mayHaveBeenPosted` so a duplicate can be
 * explained. A rare duplicate card is preferred to a lost alert (docs/teams.md).
 */
export function createTeamsNotifier(deps: { writer: ConnectorWriter; conversations: TeamsConversationStore; log: Logger }): Notifier {
  const { writer, conversations, log } = deps;
  const activityOf = (message: Parameters<Notifier['post']>[1]) => ({ type: 'message', summary: message.text, attachments: [CardFactory.adaptiveCard(renderAlertCard(message))] });

  async function referenceFor(channel: Parameters<Notifier['post']>[0]) {
    const reference = await conversations.reference(channel.organizationId, channel.channelId);
    if (!reference) throw new DeliveryError('teams: the bot is not (or no longer) installed in this channel; add Rollcall to it again', false);
    return reference;
  }

  return {
    async post(channel, message, hint) {
      const reference = await referenceFor(channel);
      if (hint?.mayHaveBeenPosted) log.warn({ alertId: message.alertId }, 'teams: an earlier post of this alert may have arrived; the connector cannot check, posting again');
      try {
        return { messageId: await writer.post(reference, activityOf(message)) };
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        const failure = classifyConnectorError(error, 'post');
        log.warn({ alertId: message.alertId, status: failure.status, retryable: failure.error.retryable, uncertain: failure.uncertain }, 'teams post failed');
        throw failure.error;
      }
    },
    async update(channel, messageId, message) {
      const reference = await referenceFor(channel);
      try {
        await writer.update(reference, messageId, activityOf(message));
      } catch (error) {
        const failure = classifyConnectorError(error, 'update');
        log.warn({ alertId: message.alertId, status: failure.status, retryable: failure.error.retryable }, 'teams update failed');
        throw failure.error;
      }
    },
  };
}
