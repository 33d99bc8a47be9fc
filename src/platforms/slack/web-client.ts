// @slack/web-api is Bolt's own dependency, hoisted to node_modules; '@slack/bolt' re-exports it as `webApi`.
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { quietSlackLogger } from './quiet-logger.js';

export interface SlackWebClientOptions {
  /** SLACK_API_URL: `https://slack.com/api/` in production, a local fake in tests. */
  apiUrl: string;
  log: Logger;
  /** Omit to pass `token` per call (one client for every workspace). */
  token?: string;
  /** Per request; the SDK's default is no timeout at all, which would hold a delivery forever. */
  timeoutMs?: number;
}

export const DEFAULT_SLACK_TIMEOUT_MS = 10_000;

/**
 * A Web API client that fails fast. The SDK's default retries ten times over about thirty minutes
 * and waits out 429s by pausing its queue; our alert outbox owns retries (durably, across
 * instances, honouring Retry-After), so here every call is tried once and a 429 rejects at once
 * with `WebAPIRateLimitedError` (`code: 'slack_webapi_rate_limited_error'`, `retryAfter` seconds).
 */
export function createSlackWebClient(options: SlackWebClientOptions): WebClient {
  return new WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? DEFAULT_SLACK_TIMEOUT_MS,
    logger: quietSlackLogger(options.log, 'slack-web-api'),
  });
}
