import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import type { Logger } from 'pino';
import type { ParticipantMessage } from '../../core/participant-message.js';
import type { ParticipantMessenger } from '../../services/participant-messenger.js';
import { DeliveryError } from '../../services/notifier.js';
import { escapeMrkdwn } from './blocks.js';
import { classifySlackError } from './classify-slack-error.js';
import { createSlackWebClient } from './web-client.js';

/** Buttons of participant messages: `rollcall_choice:<i>`, the choice in `value`. */
export const CHOICE_ACTION = /^rollcall_choice:\d+$/;

export function renderParticipantMessage(message: ParticipantMessage): { text: string; blocks: KnownBlock[] } {
  const text = escapeMrkdwn(message.text);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } }];
  if (message.choices.length > 0) {
    blocks.push({
      type: 'actions',
      block_id: 'rollcall_choices',
      elements: message.choices.slice(0, 25).map((choice, i) => ({
        type: 'button' as const,
        action_id: `rollcall_choice:${i}`,
        text: { type: 'plain_text' as const, text: choice.label.slice(0, 75) },
        value: choice.value,
        ...(choice.style ? { style: choice.style } : {}),
      })),
    });
  }
  return { text, blocks };
}

/** Writes to a participant's Slack DM (opened with conversations.open) with the workspace's bot token. */
export function createSlackParticipantMessenger(options: { apiUrl: string; log: Logger; tokenFor(organizationId: string): Promise<string | null> }): ParticipantMessenger {
  const client = createSlackWebClient({ apiUrl: options.apiUrl, log: options.log });
  return {
    async send(target, message) {
      const token = await options.tokenFor(target.organizationId);
      if (!token) throw new DeliveryError('slack is not installed for this organization', false);
      try {
        const dm = await client.conversations.open({ token, users: target.userId });
        const channel = dm.channel?.id;
        if (!channel) throw new DeliveryError('slack opened no DM channel', false);
        const posted = await client.chat.postMessage({ token, channel, ...renderParticipantMessage(message) });
        return { messageId: `${channel}:${posted.ts}` };
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        throw classifySlackError(error, 'chat.postMessage').error;
      }
    },
  };
}
