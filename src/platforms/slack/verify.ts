import { isValidSlackRequest } from '@slack/bolt';

/** Slack's replay window: a request signed more than five minutes from now, either way, is refused. */
export const SLACK_REPLAY_WINDOW_SECONDS = 300;

/**
 * Slack's v0 signature (HMAC-SHA256 of `v0:<timestamp>:<raw body>`, compared in constant time by
 * Bolt's own verifier), over the raw bytes, with the clock passed in. Bolt refuses only timestamps
 * too far in the past; a timestamp from the future is refused here too.
 */
export function isSignedBySlack(input: { rawBody: string; signature: unknown; timestamp: unknown; signingSecret: string; nowMs: number }): boolean {
  const timestamp = Number(input.timestamp);
  if (typeof input.signature !== 'string' || typeof input.timestamp !== 'string' || !Number.isInteger(timestamp)) return false;
  if (Math.abs(input.nowMs / 1000 - timestamp) > SLACK_REPLAY_WINDOW_SECONDS) return false;
  return isValidSlackRequest({
    signingSecret: input.signingSecret,
    body: input.rawBody,
    headers: { 'x-slack-signature': input.signature, 'x-slack-request-timestamp': timestamp },
    nowMilliseconds: input.nowMs,
  });
}
