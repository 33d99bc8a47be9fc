import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signZoomRequest, verifyZoomSignature } from '../../../../src/platforms/zoom/verify.js';
import { readZoomFixture, signedZoomHeaders } from '../../../support/zoom-signing.js';

const secret = 'current-secret-token';
const nowMs = Date.parse('2026-12-01T23:02:15.250Z');
const nowSeconds = Math.floor(nowMs / 1000);
const { rawBody } = readZoomFixture('participant-joined');

/** Computed here, not through the code under test. */
function zoomSignature(key: string, timestamp: number | string, body: Buffer): string {
  return `v0=${createHmac('sha256', key).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

function verify(overrides: Partial<Parameters<typeof verifyZoomSignature>[0]> = {}) {
  return verifyZoomSignature({
    rawBody,
    signature: zoomSignature(secret, nowSeconds, rawBody),
    timestamp: String(nowSeconds),
    secrets: [secret],
    nowMs,
    ...overrides,
  });
}

describe('verifyZoomSignature', () => {
  it('accepts a body signed with the secret', () => {
    expect(verify()).toEqual({ ok: true, secretIndex: 0 });
  });

  it('refuses a body signed with another secret', () => {
    expect(verify({ signature: zoomSignature('someone-else', nowSeconds, rawBody) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('accepts the second secret of the list while a rotation is under way', () => {
    expect(verify({ secrets: ['new-secret-token', secret] })).toEqual({ ok: true, secretIndex: 1 });
  });

  it('never treats an empty configured secret as a key', () => {
    const forged = zoomSignature('', nowSeconds, rawBody);
    expect(verify({ signature: forged, secrets: ['', secret] })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify({ secrets: [] })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses the same JSON re-serialized after signing', () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString('utf8'))));
    expect(reserialized.equals(rawBody)).toBe(false);
    expect(verify({ rawBody: reserialized })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a body changed by one byte', () => {
    const tampered = Buffer.from(rawBody.toString('utf8').replace('Jordan Alvarez', 'Jordan Alvarex'));
    expect(verify({ rawBody: tampered })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['301 s old', -301, { ok: false, reason: 'stale_timestamp' }],
    ['299 s old', -299, { ok: true, secretIndex: 0 }],
    ['299 s ahead (clock skew)', 299, { ok: true, secretIndex: 0 }],
    ['301 s ahead', 301, { ok: false, reason: 'stale_timestamp' }],
  ])('judges a timestamp %s against a 300 s window', (_label, offsetSeconds, expected) => {
    const exactNowMs = nowSeconds * 1000;
    const timestamp = nowSeconds + offsetSeconds;
    const signature = zoomSignature(secret, timestamp, rawBody);
    expect(verify({ nowMs: exactNowMs, timestamp: String(timestamp), signature })).toEqual(expected);
  });

  it('takes another tolerance when asked', () => {
    const timestamp = nowSeconds - 60;
    const signature = zoomSignature(secret, timestamp, rawBody);
    expect(verify({ timestamp: String(timestamp), signature, toleranceSeconds: 30 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('refuses a timestamp that is not Unix seconds', () => {
    for (const timestamp of ['abc', '1796166135.5', '-1', String(nowMs)]) {
      const signature = zoomSignature(secret, timestamp, rawBody);
      expect(verify({ timestamp, signature })).toEqual({ ok: false, reason: 'stale_timestamp' });
    }
  });

  it.each([
    ['no signature', { signature: undefined }],
    ['no timestamp', { timestamp: undefined }],
    ['an empty signature', { signature: '' }],
    ['an empty timestamp', { timestamp: '' }],
  ])('says the headers are missing for %s', (_label, overrides) => {
    expect(verify(overrides)).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it.each([
    ['shorter', 'v0=abc'],
    ['longer', `${zoomSignature(secret, nowSeconds, rawBody)}00`],
    ['without the v0= prefix', zoomSignature(secret, nowSeconds, rawBody).slice(3)],
    ['multi-byte characters', `v0=${'é'.repeat(32)}`],
  ])('compares a %s signature without throwing', (_label, signature) => {
    expect(() => verify({ signature })).not.toThrow();
    expect(verify({ signature })).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

describe('signZoomRequest', () => {
  it('produces the header Zoom would send', () => {
    expect(signZoomRequest(secret, nowSeconds, rawBody)).toBe(zoomSignature(secret, nowSeconds, rawBody));
    expect(signZoomRequest(secret, String(nowSeconds), rawBody.toString('utf8'))).toBe(
      zoomSignature(secret, nowSeconds, rawBody),
    );
  });

  it('round-trips through the test helper', () => {
    const headers = signedZoomHeaders(rawBody, { secret, nowMs });
    expect(
      verifyZoomSignature({
        rawBody,
        signature: headers['x-zm-signature'],
        timestamp: headers['x-zm-request-timestamp'],
        secrets: [secret],
        nowMs,
      }),
    ).toEqual({ ok: true, secretIndex: 0 });
  });
});
