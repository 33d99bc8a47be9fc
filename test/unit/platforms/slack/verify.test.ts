import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSignedBySlack } from '../../../../src/platforms/slack/verify.js';

const secret = 'unit-signing-secret';
const body = '{"type":"event_callback","event_id":"Ev1"}';
const nowMs = 1_796_166_400_000;
const sign = (timestamp: number, raw = body, key = secret) => `v0=${createHmac('sha256', key).update(`v0:${timestamp}:${raw}`).digest('hex')}`;
const check = (timestamp: number, signature: unknown, rawBody = body) => isSignedBySlack({ rawBody, signature, timestamp: String(timestamp), signingSecret: secret, nowMs });

describe('isSignedBySlack', () => {
  const ts = nowMs / 1000;
  it('accepts Slack\'s v0 signature over the raw bytes within five minutes either way', () => {
    expect(check(ts, sign(ts))).toBe(true);
    expect(check(ts - 300, sign(ts - 300))).toBe(true);
    expect(check(ts + 300, sign(ts + 300))).toBe(true);
  });

  it('refuses old and future timestamps, other secrets, changed bodies and missing headers', () => {
    expect(check(ts - 301, sign(ts - 301))).toBe(false);
    expect(check(ts + 301, sign(ts + 301))).toBe(false);
    expect(check(ts, sign(ts, body, 'other'))).toBe(false);
    expect(check(ts, sign(ts), body.replace('Ev1', 'Ev2'))).toBe(false);
    expect(check(ts, sign(ts).replace('v0=', 'v1='))).toBe(false);
    expect(check(ts, undefined)).toBe(false);
    expect(isSignedBySlack({ rawBody: body, signature: sign(ts), timestamp: undefined, signingSecret: secret, nowMs })).toBe(false);
    expect(isSignedBySlack({ rawBody: body, signature: sign(ts), timestamp: `${ts}.5`, signingSecret: secret, nowMs })).toBe(false);
  });
});
