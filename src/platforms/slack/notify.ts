import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AlertMessage } from '../../core/alert-message.js';
import { DeliveryError, type ChannelRef, type Notifier } from '../../services/notifier.js';
import { ALERT_EVENT_TYPE, renderAlertPayload } from './blocks.js';
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
 * Slack errors that no retry will cure: the channel, the token or the message itself is wrong.
 * Other `ok: false` errors (`ratelimited`, `internal_error`, `fatal_error`, `service_unavailable`
 * and any we do not know) go back to the outbox, whose retries are bounded.
 */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'restricted_action',
  'ekm_access_denied',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'invalid_arguments',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
]);

interface Failure {
  error: DeliveryError;
  /** The request may have reached Slack and done its work even though we got no answer. */
  uncertain: boolean;
  code: string;
}

/** Maps @slack/web-api 8's typed errors (see its errors.ts) onto the outbox's retry decision. */
export function classifySlackError(error: unknown, method: string): Failure {
  const e = (error ?? {}) as { code?: unknown; retryAfter?: number; data?: { error?: string }; statusCode?: number; original?: Error; message?: string };
  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const after = Math.max(1, e.retryAfter ?? 1);
      return { error: new DeliveryError(`slack ${method}: rate limited, retry after ${after}s`, true, after), uncertain: false, code: 'ratelimited' };
    }
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return { error: new DeliveryError(`slack ${method}: ${code}`, !PERMANENT_ERRORS.has(code)), uncertain: false, code };
    }
    case ErrorCode.HTTPError: {
      // Slack answers 200 for everything but 429 and its own outages; a 5xx may come after the work was done.
      const status = e.statusCode ?? 0;
      const transient = status >= 500 || status === 408;
      return { error: new DeliveryError(`slack ${method}: HTTP ${status}`, transient), uncertain: transient, code: `http_${status}` };
    }
    case ErrorCode.RequestError: {
      const timedOut = e.original?.name === 'TimeoutError' || e.original?.name === 'AbortError';
      const code = timedOut ? 'timeout' : 'request_error';
      return { error: new DeliveryError(`slack ${method}: ${timedOut ? 'timed out' : `request failed: ${e.original?.message ?? ''}`}`, true), uncertain: true, code };
    }
    default:
      // E.g. a 429 without a usable Retry-After (the SDK throws a plain Error), or a bug: retry, and look before posting again.
      return { error: new DeliveryError(`slack ${method}: ${String(e.message ?? error)}`, true), uncertain: true, code: 'unknown' };
  }
}

/**
 * Calls to one channel run one after another, at least `minIntervalMs` apart. This is politeness
 * within one process; across app instances Slack's 429 (with Retry-After, honoured by the outbox)
 * handles the rest.
 */
function createChannelLanes(minIntervalMs: number) {
  const lanes = new Map<string, { tail: Promise<unknown>; lastStartedAt: number }>();
  return function inLane<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { tail: Promise.resolve(), lastStartedAt: -Infinity }));
    const current = lane;
    const run = current.tail.then(async () => {
      const wait = current.lastStartedAt + minIntervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      current.lastStartedAt = performance.now();
      return task();
    });
    current.tail = run.catch(() => {});
    return run;
  };
}

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
  /** alert id → when its last post attempt ended without a clear answer. */
  const uncertain = new Map<string, number>();

  const laneKey = (channel: ChannelRef) => `${channel.organizationId}:${channel.channelId}`;

  async function requireToken(channel: ChannelRef): Promise<string> {
    const token = await options.tokenFor(channel);
    if (!token) throw new DeliveryError('slack: no installation (bot token) for this channel’s workspace', false);
    return token;
  }

  function markUncertain(alertId: string) {
    const cutoff = now() - lookbackSeconds * 1000;
    for (const [id, at] of uncertain) if (at < cutoff) uncertain.delete(id);
    uncertain.set(alertId, now());
  }

  function fail(error: unknown, method: string, context: { alertId: string; channelId: string }): never {
    const failure = classifySlackError(error, method);
    log.warn({ ...context, method, code: failure.code, retryable: failure.error.retryable, uncertain: failure.uncertain }, 'slack call failed');
    throw failure.error;
  }

  /** The ts of an earlier post of this alert in the channel's recent history, if there is one. */
  async function findEarlierPost(client: WebClient, token: string, channelId: string, alertId: string): Promise<string | null> {
    const oldest = (now() / 1000 - lookbackSeconds).toFixed(6);
    // Newest first; one page is enough: the earlier attempt was minutes ago, in a staff channel.
    const result = await client.conversations.history({ token, channel: channelId, limit: 100, include_all_metadata: true, oldest });
    const match = result.messages?.find((m) => {
      const payload = m.metadata?.event_payload as { alertId?: unknown } | undefined;
      return m.metadata?.event_type === ALERT_EVENT_TYPE && payload?.alertId === alertId;
    });
    return match?.ts ?? null;
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
            earlier = await findEarlierPost(client, token, channel.channelId, message.alertId);
          } catch (error) {
            const failure = classifySlackError(error, 'conversations.history');
            if (failure.error.retryable) fail(error, 'conversations.history', context);
            // No history scope, say: a possible duplicate is better than an alert never posted.
            log.warn({ ...context, code: failure.code }, 'cannot look for an earlier post of this alert; posting');
          }
          if (earlier) {
            uncertain.delete(message.alertId);
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
          if (classifySlackError(error, 'chat.postMessage').uncertain) markUncertain(message.alertId);
          fail(error, 'chat.postMessage', context);
        }
        if (!ts) {
          markUncertain(message.alertId);
          throw new DeliveryError('slack chat.postMessage: answer without ts', true);
        }
        uncertain.delete(message.alertId);
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
