import { describe, expect, it } from 'vitest';
import { normalizeHuddleChange } from '../../../../src/platforms/slack/huddles.js';

const change = (state: string, eventId = 'Ev1') => ({ eventId, eventTs: '1796166600.000600', user: { id: 'U1', profile: { huddle_state: state, huddle_state_call_id: 'R1' } } });

describe('normalizeHuddleChange', () => {
  it('reads in_a_huddle as a join and anything else as a leave, at the event time', () => {
    const [joined] = normalizeHuddleChange(change('in_a_huddle'), ['C1']);
    expect(joined).toMatchObject({ platform: 'slack', kind: 'joined', meetingId: 'C1', meetingInstanceId: 'R1', person: { key: 'U1', userId: 'U1' } });
    expect(joined!.occurredAt.toISOString()).toBe('2026-12-01T23:10:00.001Z');
    expect(normalizeHuddleChange(change('default_unset'), ['C1'])[0]!.kind).toBe('left');
  });

  it('gives one event per candidate session, with keys that repeat only for the same delivery', () => {
    const events = normalizeHuddleChange(change('in_a_huddle'), ['C1', 'C2']);
    expect(events.map((e) => e.meetingId)).toEqual(['C1', 'C2']);
    expect(new Set(events.map((e) => e.dedupeKey)).size).toBe(2);
    expect(normalizeHuddleChange(change('in_a_huddle'), ['C1'])[0]!.dedupeKey).toBe(events[0]!.dedupeKey);
    expect(normalizeHuddleChange(change('in_a_huddle', 'Ev2'), ['C1'])[0]!.dedupeKey).not.toBe(events[0]!.dedupeKey);
  });

  it('drops a change with an unreadable time', () => {
    expect(normalizeHuddleChange({ ...change('in_a_huddle'), eventTs: 'soon' }, ['C1'])).toEqual([]);
  });
});
