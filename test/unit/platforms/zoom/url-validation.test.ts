import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { zoomUrlValidationSchema } from '../../../../src/platforms/zoom/payload-schema.js';
import { answerUrlValidation } from '../../../../src/platforms/zoom/url-validation.js';
import { readZoomFixture } from '../../../support/zoom-signing.js';

describe('answerUrlValidation', () => {
  it('answers with the hex HMAC-SHA256 of the plain token under the secret token', () => {
    const { json } = readZoomFixture('url-validation');
    const { payload } = zoomUrlValidationSchema.parse(json);
    const secret = 'test-zoom-webhook-secret-token';

    const expected = createHmac('sha256', secret).update(payload.plainToken).digest('hex');

    expect(answerUrlValidation(payload.plainToken, secret)).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: expected,
    });
  });

  it('matches a fixed vector', () => {
    // RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?").
    expect(answerUrlValidation('what do ya want for nothing?', 'Jefe').encryptedToken).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('is refused by the schema without a plain token', () => {
    expect(zoomUrlValidationSchema.safeParse({ event: 'endpoint.url_validation', payload: {} }).success).toBe(false);
  });
});
