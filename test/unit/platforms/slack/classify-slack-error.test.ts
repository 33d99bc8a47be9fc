import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { classifySlackError } from '../../../../src/platforms/slack/classify-slack-error.js';

/** The SDK's own error classes, as @slack/web-api 8 throws them. */
const platform = (error: string) => new WebAPIPlatformError({ ok: false, error } as never);

describe('classifySlackError', () => {
  it('a 429 is retryable after Retry-After, and certain (nothing was posted)', () => {
    const { error, uncertain } = classifySlackError(new WebAPIRateLimitedError(7), 'chat.postMessage');
    expect(error).toMatchObject({ retryable: true, retryAfterSeconds: 7 });
    expect(uncertain).toBe(false);
  });

  it.each(['channel_not_found', 'not_in_channel', 'invalid_auth', 'account_inactive', 'token_revoked', 'is_archived', 'msg_too_long', 'no_permission', 'missing_scope'])(
    '%s is permanent',
    (code) => {
      const { error, uncertain } = classifySlackError(platform(code), 'chat.postMessage');
      expect(error.retryable).toBe(false);
      expect(error.message).toBe(`slack chat.postMessage: ${code}`);
      expect(uncertain).toBe(false);
    },
  );

  it.each(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'something_new'])('%s is retryable', (code) => {
    expect(classifySlackError(platform(code), 'chat.update').error.retryable).toBe(true);
  });

  it('a 5xx is retryable and uncertain (Slack may have acted)', () => {
    const { error, uncertain } = classifySlackError(new WebAPIHTTPError(503, 'Service Unavailable', {}, 'down'), 'chat.postMessage');
    expect(error).toMatchObject({ retryable: true, retryAfterSeconds: undefined });
    expect(uncertain).toBe(true);
  });

  it('a timeout is retryable and uncertain', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const { error, uncertain } = classifySlackError(new WebAPIRequestError(timeout as unknown as Error), 'chat.postMessage');
    expect(error.message).toBe('slack chat.postMessage: timed out');
    expect(error.retryable).toBe(true);
    expect(uncertain).toBe(true);
  });

  it('a network error is retryable and uncertain', () => {
    const { error, uncertain } = classifySlackError(new WebAPIRequestError(new TypeError('fetch failed')), 'chat.postMessage');
    expect(error.retryable).toBe(true);
    expect(uncertain).toBe(true);
  });
});
