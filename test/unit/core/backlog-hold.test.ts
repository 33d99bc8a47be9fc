import { describe, expect, it } from 'vitest';
import type { DesiredAlert } from '../../../src/core/alert-decisions.js';
import { BACKLOG_HOLD_CAP_MS, BACKLOG_QUIET_MS, backlogHoldUntil, withoutHeldAlerts } from '../../../src/core/backlog-hold.js';

const start = new Date('2030-03-04T18:00:00Z');
const t = (ms: number) => new Date(start.getTime() + ms);
const MIN = 60_000;
/** The "Not joined" deadline under the default policy: 15 minutes after the start. */
const arrivalDueAt = t(15 * MIN);
const delivery = (occurredMs: number, receivedMs: number) => ({ occurredAt: t(occurredMs), receivedAt: t(receivedMs) });

describe('backlogHoldUntil: a backlog is told from a live stream', () => {
  it('holds nothing for a live stream, even one that keeps going past the deadline', () => {
    const live = [delivery(0, 400), delivery(60_000, 61_000), delivery(16 * MIN, 16 * MIN + 2_000)];
    expect(backlogHoldUntil({ deliveries: live, arrivalDueAt, now: t(16 * MIN + 2_500) })).toBeNull();
    expect(backlogHoldUntil({ deliveries: [], arrivalDueAt, now: t(20 * MIN) })).toBeNull();
  });

  it('holds a burst of deliveries twenty minutes late until it has been quiet for a few seconds', () => {
    const arrived = 20 * MIN;
    const burst = [delivery(0, arrived), delivery(60_000, arrived + 300), delivery(8 * MIN, arrived + 1_200)];
    const until = t(arrived + 1_200 + BACKLOG_QUIET_MS);
    expect(backlogHoldUntil({ deliveries: burst, arrivalDueAt, now: t(arrived + 1_300) })).toEqual(until);
    // Once quiet, the hold is over: nothing more is queued.
    expect(backlogHoldUntil({ deliveries: burst, arrivalDueAt, now: until })).toBeNull();
  });

  it('never holds past the cap after the first late delivery, however long the backlog keeps coming', () => {
    const arrived = 20 * MIN;
    const steady = Array.from({ length: 30 }, (_, i) => delivery(i * 1_000, arrived + i * 2_000));
    expect(backlogHoldUntil({ deliveries: steady, arrivalDueAt, now: t(arrived + 58_000) })).toBeNull();
    expect(backlogHoldUntil({ deliveries: steady.slice(0, 5), arrivalDueAt, now: t(arrived + 8_500) })).toEqual(t(arrived + 8_000 + BACKLOG_QUIET_MS));
    expect(backlogHoldUntil({ deliveries: steady.slice(0, 8), arrivalDueAt, now: t(arrived + 14_500) })).toEqual(t(arrived + BACKLOG_HOLD_CAP_MS));
  });

  it('counts only the current burst: a late delivery long ago holds nothing now', () => {
    const deliveries = [delivery(0, 2 * MIN), delivery(10 * MIN, 10 * MIN + 500)];
    expect(backlogHoldUntil({ deliveries, arrivalDueAt, now: t(10 * MIN + 1_000) })).toBeNull();
  });

  it('holds when a meeting\'s first delivery arrives after the deadline it would trigger, though its own lag is small', () => {
    const first = [delivery(17 * MIN, 17 * MIN + 1_000)];
    expect(backlogHoldUntil({ deliveries: first, arrivalDueAt, now: t(17 * MIN + 1_500) })).toEqual(t(17 * MIN + 1_000 + BACKLOG_QUIET_MS));
    // The same delivery after earlier, current ones is a live stream going on.
    const later = [delivery(0, 500), ...first];
    expect(backlogHoldUntil({ deliveries: later, arrivalDueAt, now: t(17 * MIN + 1_500) })).toBeNull();
  });

  it('reads deliveries in the order they arrived, whatever order they are given in', () => {
    const arrived = 20 * MIN;
    const burst = [delivery(8 * MIN, arrived + 1_000), delivery(0, arrived)];
    expect(backlogHoldUntil({ deliveries: burst, arrivalDueAt, now: t(arrived + 1_100) })).toEqual(t(arrived + 1_000 + BACKLOG_QUIET_MS));
  });
});

describe('withoutHeldAlerts: only new arrival alerts wait', () => {
  const alert = (topic: DesiredAlert['topic'], subjectKey: string, kind: DesiredAlert['kind']): DesiredAlert => ({ topic, subjectKey, kind, detail: {} as DesiredAlert['detail'] });
  const desired = [
    alert('arrival', 'p1', 'not_joined'),
    alert('arrival', 'p2', 'not_joined'),
    alert('arrival', 'p3', 'late_join'),
    alert('departure', 'p4', 'left_early'),
    alert('waiting_room', 'p5', 'waiting_room'),
    alert('identity', 'unmatched:k1', 'unrecognized_participant'),
    alert('arrival', 'p6', 'no_show'),
  ];

  it('holds new Not joined and Unrecognized participant alerts, and nothing else', () => {
    const { desired: kept, held } = withoutHeldAlerts(desired, []);
    expect(held.map((a) => a.subjectKey)).toEqual(['p1', 'p2', 'unmatched:k1']);
    expect(kept.map((a) => a.kind)).toEqual(['late_join', 'left_early', 'waiting_room', 'no_show']);
  });

  it('keeps revising an arrival alert already standing; one resolved before is new again', () => {
    const existing = [
      { topic: 'arrival', subjectKey: 'p1', kind: 'not_joined', detail: {}, state: 'active' },
      { topic: 'identity', subjectKey: 'unmatched:k1', kind: 'unrecognized_participant', detail: {}, state: 'resolved' },
    ];
    const { desired: kept, held } = withoutHeldAlerts(desired, existing);
    expect(held.map((a) => a.subjectKey)).toEqual(['p2', 'unmatched:k1']);
    expect(kept.map((a) => a.subjectKey)).toContain('p1');
  });
});
