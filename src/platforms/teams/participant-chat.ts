import type { Application } from '@microsoft/teams-ai';
import { CardFactory, type Activity, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ParticipantMessage } from '../../core/participant-message.js';
import { handleParticipantMessage, type ConversationDeps } from '../../services/conversations.js';
import { DeliveryError } from '../../services/notifier.js';
import { handleParticipantChoice, replyMessage } from '../../services/participant-choices.js';
import type { ParticipantMessenger } from '../../services/participant-messenger.js';
import { CHOICE_VERB, renderAnswerCard, renderParticipantMessage } from './cards.js';
import { classifyConnectorError, type ConnectorWriter } from './connector.js';
import type { TeamsConversationStore } from './conversation-store.js';

export interface TeamsParticipantChatDeps extends ConversationDeps {
  log: Logger;
  /** Null: the tenant never installed Rollcall; nothing is done. */
  organizationFor(tenantId: string): Promise<string | null>;
}

export function participantActivity(message: ParticipantMessage): Partial<Activity> {
  const rendered = renderParticipantMessage(message);
  return 'text' in rendered ? { type: 'message', text: rendered.text, textFormat: 'plain' } : { type: 'message', summary: message.text, attachments: [CardFactory.adaptiveCard(rendered.card)] };
}

/**
 * A participant's message in their personal chat with the bot, on the same conversation service
 * as every platform (crisis first, absence reports, status, help). Logs carry ids and the reply
 * type, never the words.
 */
export async function handleParticipantText(context: TurnContext, deps: TeamsParticipantChatDeps, organizationId: string): Promise<void> {
  const userId = context.activity.from?.aadObjectId;
  if (!userId) return;
  const { reply } = await handleParticipantMessage(deps, {
    organizationId,
    platform: 'teams',
    platformUserId: userId,
    text: context.activity.text ?? '',
    deliveryId: `${context.activity.conversation.id}|${context.activity.id}`,
  });
  deps.log.info({ organizationId, reply: reply.type }, 'teams participant message answered');
  await context.sendActivity(participantActivity(replyMessage(reply)));
}

const choiceDataSchema = z.object({ rollcall: z.literal('choice'), value: z.string().max(2000) });

/** A participant pressed a button of one of our cards: the card is replaced with the answer. */
export function registerParticipantChoices(app: Application, deps: TeamsParticipantChatDeps): void {
  app.adaptiveCards.actionExecute(CHOICE_VERB, async (context, _state, raw) => {
    const data = choiceDataSchema.safeParse(raw);
    const userId = context.activity.from?.aadObjectId;
    const tenantId = (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? context.activity.conversation?.tenantId;
    if (!data.success || !userId || !tenantId) return 'That button is no longer understood.';
    const organizationId = await deps.organizationFor(tenantId);
    if (!organizationId) return 'That button is no longer understood.';
    const next = await handleParticipantChoice(deps, { organizationId, platform: 'teams', platformUserId: userId, value: data.data.value });
    deps.log.info({ organizationId, handled: next !== null }, 'teams participant choice');
    if (!next) return 'That button is no longer understood.';
    const answer = renderAnswerCard(next);
    // The invoke's answer shows it to the presser at once; the edit keeps it on the message itself.
    if (context.activity.replyToId) {
      await context.updateActivity({ type: 'message', id: context.activity.replyToId, attachments: [CardFactory.adaptiveCard(answer)] }).catch((error: unknown) => {
        // The choice is recorded and the presser sees the answer; a stale card is only cosmetic.
        deps.log.warn({ organizationId, status: (error as { statusCode?: number }).statusCode }, 'teams participant card not replaced');
      });
    }
    return answer;
  });
}

/**
 * Writes to a participant's personal chat with the bot, found by their AAD object id. Teams lets a
 * bot start that chat only once the app is installed for the person (the install or their first
 * message gives us the reference); without one this fails for good and the caller says so.
 */
export function createTeamsParticipantMessenger(deps: { writer: ConnectorWriter; conversations: TeamsConversationStore }): ParticipantMessenger {
  return {
    async send(target, message) {
      const reference = await deps.conversations.personalReference(target.organizationId, target.userId);
      if (!reference) throw new DeliveryError('teams: no personal chat with this participant yet (Rollcall must be installed for them)', false);
      try {
        return { messageId: await deps.writer.post(reference, participantActivity(message)) };
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        throw classifyConnectorError(error, 'post').error;
      }
    },
  };
}
