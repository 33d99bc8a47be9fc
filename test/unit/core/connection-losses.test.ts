import { describe, expect, it } from 'vitest';
import { connectionLossesByParticipant } from '../../../src/core/connection-losses.js';
import type { PresenceEvent } from '../../../src/core/presence-event.js';

const expected = [{ participantId: 'p1', name: 'Alex Kim', email: 'alex@example.org', identities: [] }];
const left = (key: string, over: Partial<PresenceEvent> = {}): PresenceEvent => ({
  platform: 'zoom',
  kind: 'left',
  occurredAt: new Date('2026-03-02T23:10:00Z'),
  meetingId: '1',
  person: { key: 'u1', displayName: 'Alex Kim', email: 'alex@example.org' },
  connectionLost: true,
  dedupeKey: key,
  ...over,
});

describe('connectionLossesByParticipant', () => {
  it('counts connection-lost leaves once each (duplicates share a dedupe key), not plain leaves or breakout moves', () => {
    const counts = connectionLossesByParticipant('zoom', [left('a'), left('a'), left('b'), left('c', { connectionLost: false }), left('d', { breakout: true })], expected);
    expect(counts.get('p1')).toBe(2);
  });
});
