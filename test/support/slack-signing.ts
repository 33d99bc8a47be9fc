import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TEST_SLACK_SIGNING_SECRET = 'test-slack-signing-secret';
const fixtureDir = fileURLToPath(new URL('../fixtures/slack/', import.meta.url));

/** A saved Slack payload (parsed), to be re-shaped per test: values change, field names never. */
export function readSlackFixture(name: string): any {
  return JSON.parse(readFileSync(`${fixtureDir}${name}.json`, 'utf8'));
}

/** POSTs to /slack/events signed as Slack signs: v0=HMAC-SHA256(secret, "v0:<ts>:<raw body>"). */
export async function postSlack(
  baseUrl: string,
  payload: unknown,
  options: { form?: boolean; command?: boolean; secret?: string; timestamp?: number; tamper?: (body: string) => string; headers?: Record<string, string> } = {},
) {
  // Interactivity comes as form field `payload` (JSON); slash commands as plain form fields.
  const body = options.command
    ? new URLSearchParams(payload as Record<string, string>).toString()
    : options.form
      ? new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
      : JSON.stringify(payload);
  const form = options.form || options.command;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', options.secret ?? TEST_SLACK_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const response = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
      // Slack's own retries carry x-slack-retry-num and x-slack-retry-reason.
      ...options.headers,
    },
    body: options.tamper ? options.tamper(body) : body,
  });
  return { status: response.status, text: await response.text() };
}
