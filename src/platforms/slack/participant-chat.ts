import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { handleParticipantMessage, type ConversationDeps } from '../../services/conversations.js';
import { handleParticipantChoice, replyMessage } from '../../services/participant-choices.js';
import { CHOICE_ACTION, renderParticipantMessage } from './participant-messages.js';
import { createDeliveryClaims } from '../../services/inbound-deliveries.js';

export interface ParticipantChatDeps extends ConversationDeps {
  log: Logger;
  organizationFor(workspaceId: string): Promise<string>;
}

/**
 * Participants' direct messages to the bot and their button presses. Deciding is the
 * platform-neutral services' (conversations, participant-choices); this renders. Logs carry ids
 * and the reply type, never the message.
 */
export function registerParticipantChat(app: App, deps: ParticipantChatDeps): void {
  const { log } = deps;
  const claims = createDeliveryClaims(deps.prisma, 'slack');
  app.message(async ({ message, body, say }) => {
    if (message.channel_type !== 'im' || message.subtype !== undefined || !('user' in message) || !message.user || 'bot_id' in message) return;
    const organizationId = await deps.organizationFor((body as { team_id?: string }).team_id ?? '');
    const deliveryId = (body as { event_id?: string }).event_id ?? `${message.channel}:${message.ts}`;
    // Slack retries an event it thinks went unanswered, possibly while the first copy still runs: answer once.
    const claim = await claims(deliveryId, deps.clock.now());
    if (!claim.claimed) return void log.info({ organizationId, reason: claim.reason }, 'participant message already handled');
    try {
      const { reply } = await handleParticipantMessage(deps, { organizationId, platform: 'slack', platformUserId: message.user, text: message.text ?? '', deliveryId });
      log.info({ organizationId, reply: reply.type }, 'participant message answered');
      await say(renderParticipantMessage(replyMessage(reply)));
      await claim.complete();
    } catch (error) {
      await claim.release();
      throw error;
    }
  });

  app.action<BlockAction<ButtonAction>>(CHOICE_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const organizationId = await deps.organizationFor(body.team?.id ?? '');
    const next = await handleParticipantChoice(deps, { organizationId, platform: 'slack', platformUserId: body.user.id, value: action.value });
    log.info({ organizationId, handled: next !== null }, 'participant choice');
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    if (next && channel && ts) await client.chat.update({ channel, ts, ...renderParticipantMessage(next) });
  });
}
