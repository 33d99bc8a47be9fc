import type { Logger } from 'pino';
import type { AlertMessage } from '../../core/alert-message.js';
import { DeliveryError, type ChannelRef, type Notifier } from '../../services/notifier.js';
import { renderAlertPayload } from './blocks.js';
import { createChannelLanes } from './channel-lanes.js';
import { classifySlackError } from './classify-slack-error.js';
import { findEarlierPost } from './find-earlier-post.js';
import { createUncertainPosts } from './uncertain-posts.js';
import { createSlackWebClient } from './web-client.js';

export interface SlackNotifierOptions {
  /** The bot token of the workspace the channel belongs to; null when the app is not (or no longer) installed. */
  tokenFor(channel: ChannelRef): Promise<string | null>;
  /** SLACK_API_URL. */
  apiUrl: string;
  log: Logger;
  /** How far back `conversations.history` looks for an earlier post of an alert [24 h]. */
  historyLookbackSeconds?: number;
  /** Per request [10 s]. */
  timeoutMs?: number;
  /** Least time between the starts of two calls to one channel [1,000 ms]: Slack allows about one message a second. */
  minIntervalMs?: number;
  /** Real wall-clock milliseconds (Slack's `ts` are real time, never the demo's scaled clock) [Date.now]. */
  now?: () => number;
}

/** A hint from the caller, e.g. an outbox that knows an earlier attempt may have reached Slack. */
export interface SlackPostHint {
  mayHaveBeenPosted?: boolean;
}

export interface SlackNotifier extends Notifier {
  post(channel: ChannelRef, message: AlertMessage, hint?: SlackPostHint): Promise<{ messageId: string }>;
}

const DEFAULT_LOOKBACK_SECONDS = 24 * 3600;

/**
 * Alerts to Slack channels: Block Kit posted with `chat.postMessage` and edited in place with
 * `chat.update`.
 *
 * Slack has no idempotency key. What makes delivery exactly-once is the outbox storing the
 * returned `ts` as soon as it has it and editing from then on (alert-delivery.ts). That leaves one
 * window: a post that reached Slack but whose answer never reached us (a timeout, a dropped
 * connection, a 5xx, a crash). Every message carries metadata with the alert id, so before posting
 * an alert whose last attempt ended that way we look through the channel's recent history for it
 * and adopt its `ts` instead of posting twice. Attempts that ended uncertainly are remembered in
 * memory, which covers timeouts within this process; a caller that knows more (a crash, another
 * instance) passes `{ mayHaveBeenPosted: true }`.
 */
export function createSlackNotifier(options: SlackNotifierOptions): SlackNotifier {
  const { log } = options;
  const now = options.now ?? Date.now;
  const lookbackSeconds = options.historyLookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS;
  const client = createSlackWebClient({ apiUrl: options.apiUrl, log, timeoutMs: options.timeoutMs });
  const inLane = createChannelLanes(options.minIntervalMs ?? 1000);
  const uncertain = createUncertainPosts(lookbackSeconds * 1000, now);

  const laneKey = (channel: ChannelRef) => `${channel.organizationId}:${channel.channelId}`;

  async function requireToken(channel: ChannelRef): Promise<string> {
    const token = await options.tokenFor(channel);
    if (!token) throw new DeliveryError('slack: no installation (bot token) for this channel’s workspace', false);
    return token;
  }

  function fail(error: unknown, method: string, context: { alertId: string; channelId: string }): never {
    const failure = classifySlackError(error, method);
    log.warn({ ...context, method, code: failure.code, retryable: failure.error.retryable, uncertain: failure.uncertain }, 'slack call failed');
    throw failure.error;
  }

  return {
    async post(channel, message, hint) {
      const token = await requireToken(channel);
      const { text, blocks, metadata } = renderAlertPayload(message);
      const context = { alertId: message.alertId, channelId: channel.channelId };
      return inLane(laneKey(channel), async () => {
        if (hint?.mayHaveBeenPosted || uncertain.has(message.alertId)) {
          let earlier: string | null = null;
          try {
            earlier = await findEarlierPost(client, { token, channelId: channel.channelId, alertId: message.alertId, oldest: (now() / 1000 - lookbackSeconds).toFixed(6) });
          } catch (error) {
            const failure = classifySlackError(error, 'conversations.history');
            if (failure.error.retryable) fail(error, 'conversations.history', context);
            // No history scope, say: a possible duplicate is better than an alert never posted.
            log.warn({ ...context, code: failure.code }, 'cannot look for an earlier post of this alert; posting');
          }
          if (earlier) {
            uncertain.forget(message.alertId);
            log.info({ ...context, ts: earlier }, 'alert was already posted; adopting that message');
            return { messageId: earlier };
          }
        }
        let ts: string | undefined;
        try {
          const result = await client.chat.postMessage({
            token,
            channel: channel.channelId,
            text,
            blocks,
            metadata,
            unfurl_links: false,
            unfurl_media: false,
            // No automatic linking of names or @mentions in the fallback text.
            parse: 'none',
            link_names: false,
          });
          ts = result.ts;
        } catch (error) {
          if (classifySlackError(error, 'chat.postMessage').uncertain) uncertain.mark(message.alertId);
          fail(error, 'chat.postMessage', context);
        }
        if (!ts) {
          uncertain.mark(message.alertId);
          throw new DeliveryError('slack chat.postMessage: answer without ts', true);
        }
        uncertain.forget(message.alertId);
        return { messageId: ts };
      });
    },

    async update(channel, messageId, message) {
      const token = await requireToken(channel);
      const { text, blocks, metadata } = renderAlertPayload(message);
      const context = { alertId: message.alertId, channelId: channel.channelId };
      await inLane(laneKey(channel), async () => {
        try {
          await client.chat.update({ token, channel: channel.channelId, ts: messageId, text, blocks, metadata, parse: 'none', link_names: false });
        } catch (error) {
          fail(error, 'chat.update', context);
        }
      });
    },
  };
}
