import { describe, expect, it } from 'vitest';
import { createScaledClock } from '../../../src/clock.js';
import { QUEUES, toStartAfter } from '../../../src/jobs/queues.js';

const SESSION = '0b4f3c52-6a51-4f3e-9a0e-1c2d3e4f5a6b';

describe('the queue table', () => {
  it('names every queue once', () => {
    const names = Object.values(QUEUES).map((queue) => queue.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('accepts the payloads the app sends and refuses malformed ones', () => {
    expect(QUEUES.deadline.payload.safeParse({ sessionId: SESSION, at: '2026-03-02T10:15:00.000Z' }).success).toBe(true);
    expect(QUEUES.deadline.payload.safeParse({ sessionId: SESSION, at: 'tomorrow' }).success).toBe(false);
    expect(QUEUES.delivery.payload.safeParse({ alertId: 'not-a-row-id' }).success).toBe(false);
    expect(QUEUES.participantDelivery.payload.safeParse({}).success).toBe(false);
    expect(QUEUES.reconcile.payload.safeParse({ sessionId: SESSION, source: '' }).success).toBe(false);
    expect(QUEUES.sweep.payload.safeParse({}).success).toBe(true);
    expect(QUEUES.sweep.payload.safeParse(null).success).toBe(false);
  });
});

describe('toStartAfter', () => {
  it('is the real instant a scaled clock reads the due time', () => {
    const realStart = new Date(Date.now() + 60_000);
    const clock = createScaledClock({ origin: new Date('2026-03-02T10:00:00Z'), speed: 60, realStart });
    // One app hour at 60× is one real minute.
    expect(toStartAfter(clock, new Date('2026-03-02T11:00:00Z')).getTime()).toBe(realStart.getTime() + 60_000);
  });

  it('is now for a due time that has passed', () => {
    const clock = createScaledClock({ origin: new Date('2026-03-02T10:00:00Z'), speed: 1 });
    const before = Date.now();
    const startAfter = toStartAfter(clock, new Date('2026-03-02T09:00:00Z')).getTime();
    expect(startAfter).toBeGreaterThanOrEqual(before);
    expect(startAfter).toBeLessThanOrEqual(Date.now());
  });
});
