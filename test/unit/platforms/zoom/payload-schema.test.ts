import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { zoomEnvelopeSchema, zoomParticipantSchema } from '../../../../src/platforms/zoom/payload-schema.js';
import { readZoomFixture } from '../../../support/zoom-signing.js';

// Deauthorization and chatbot events are not meeting envelopes; app-events.test.ts checks those.
const NOT_MEETING_EVENTS = ['url-validation.json', 'app-deauthorized.json', 'bot-notification.json', 'interactive-message-actions.json'];
const fixtureNames = readdirSync(fileURLToPath(new URL('../../../fixtures/zoom/', import.meta.url))).filter(
  (name) => name.endsWith('.json') && !NOT_MEETING_EVENTS.includes(name),
);

describe('zoomEnvelopeSchema', () => {
  it.each(fixtureNames)('accepts the saved delivery %s', (name) => {
    const result = zoomEnvelopeSchema.safeParse(readZoomFixture(name).json);
    expect(result.error?.issues).toBeUndefined();
  });

  it('keeps fields it does not know', () => {
    const parsed = zoomEnvelopeSchema.parse(readZoomFixture('participant-left').json);
    expect(parsed.payload.object.participant).toMatchObject({ private_ip: '192.168.1.23', public_ip: '203.0.113.24' });
  });

  it('refuses an event name that is not a string', () => {
    const envelope = { ...(readZoomFixture('meeting-started').json as object), event: 42 };
    expect(zoomEnvelopeSchema.safeParse(envelope).success).toBe(false);
  });
});

describe('zoomParticipantSchema', () => {
  it('is lenient with ids and empty identity fields', () => {
    expect(
      zoomParticipantSchema.parse({ user_id: 16778240, id: '', email: '', registrant_id: null, user_name: '' }),
    ).toMatchObject({ user_id: '16778240', id: '', email: '', registrant_id: null, user_name: '' });
  });

  it.each([
    ['UTC', '2026-12-01T23:02:14Z', true],
    ['fractional seconds', '2026-12-01T23:02:14.250Z', true],
    ['an offset', '2026-12-01T18:02:14-05:00', true],
    ['empty (treated as absent)', '', true],
    ['no zone', '2026-12-01T23:02:14', false],
    ['a date only', '2026-12-01', false],
    ['epoch milliseconds', 1796166134000, false],
  ])('judges a join_time with %s', (_label, joinTime, ok) => {
    expect(zoomParticipantSchema.safeParse({ join_time: joinTime }).success).toBe(ok);
  });
});
