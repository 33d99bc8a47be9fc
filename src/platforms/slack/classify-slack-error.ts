import { ErrorCode } from '@slack/web-api';
import { DeliveryError } from '../../services/notifier.js';

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

export interface SlackFailure {
  error: DeliveryError;
  /** The request may have reached Slack and done its work even though we got no answer. */
  uncertain: boolean;
  code: string;
}

/** Maps @slack/web-api 8's typed errors (see its errors.ts) onto the outbox's retry decision. */
export function classifySlackError(error: unknown, method: string): SlackFailure {
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
