import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { handleParticipantMessage, type ConversationDeps } from '../../services/conversations.js';
import { handleParticipantChoice, replyMessage } from '../../services/participant-choices.js';
import { CHOICE_ACTION, renderParticipantMessage } from './participant-messages.js';
import { cleanPlatformText } from '../../core/platform-text.js';
import { callSlackAfterDurableWork } from './bolt-errors.js';

/** Slack caps a message at 40,000 characters; nothing we read needs more. */
const MESSAGE_MAX_LENGTH = 40_000;

export interface ParticipantChatDeps extends ConversationDeps {
  log: Logger;
  /** The clinic of the delivery's workspace (or enterprise); null: not installed, nothing is done. */
  organizationFor(teamId?: string, enterpriseId?: string): Promise<string | null>;
}

/**
 * Participants' direct messages to the bot and their button presses. Deciding is the
 * platform-neutral services' (conversations, participant-choices); this renders. Logs carry ids
 * and the reply type, never the message.
 */
export function registerParticipantChat(app: App, deps: ParticipantChatDeps): void {
  const { log } = deps;
  // Runs from the stored event (event-intake.ts): Slack's retry of an event id already stored is not
  // worked again, and a failure here is retried from storage (at least once, never lost; the crisis
  // alert is keyed by the event id, so a retry raises no second one).
  app.message(async ({ message, body, say }) => {
    if (message.channel_type !== 'im' || message.subtype !== undefined || !('user' in message) || !message.user || 'bot_id' in message) return;
    const ids = body as { team_id?: string; enterprise_id?: string };
    const organizationId = await deps.organizationFor(ids.team_id, ids.enterprise_id);
    if (!organizationId) return void log.warn({ teamId: ids.team_id }, 'participant message from a workspace not installed: ignored');
    const deliveryId = (body as { event_id?: string }).event_id ?? `${message.channel}:${message.ts}`;
    const text = cleanPlatformText(message.text ?? '', MESSAGE_MAX_LENGTH);
    const { reply } = await handleParticipantMessage(deps, { organizationId, platform: 'slack', platformUserId: message.user, text, deliveryId });
    log.info({ organizationId, reply: reply.type }, 'participant message answered');
    await say(renderParticipantMessage(replyMessage(reply)));
  });

  app.action<BlockAction<ButtonAction>>(CHOICE_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const organizationId = await deps.organizationFor(body.team?.id, body.enterprise?.id);
    if (!organizationId) return;
    const next = await handleParticipantChoice(deps, { organizationId, platform: 'slack', platformUserId: body.user.id, value: action.value });
    log.info({ organizationId, handled: next !== null }, 'participant choice');
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    if (next && channel && ts) await callSlackAfterDurableWork(log, 'chat.update', () => client.chat.update({ channel, ts, ...renderParticipantMessage(next) }));
  });
}
