import { describe, expect, it } from 'vitest';
import { alertDetailOf, staffActionsOf, withResolution, withStaffAction, withoutResolution } from '../../../src/core/alert-detail.js';

const AT = new Date('2026-11-28T18:05:00Z');

describe('alert detail', () => {
  it('reads stored JSON defensively: anything but an object is no facts', () => {
    expect(alertDetailOf(null)).toEqual({});
    expect(alertDetailOf([1, 2])).toEqual({});
    expect(alertDetailOf('x')).toEqual({});
    expect(staffActionsOf({ staffActions: 'not a list' })).toEqual([]);
  });

  it('appends a staff action after those already there, keeping the facts, without changing its input', () => {
    const stored = { strikes: 2, staffActions: [{ action: 'reach_out', by: 'Dana', at: '2026-11-28T17:00:00.000Z' }] };
    const next = withStaffAction(stored, { action: 'add_note', by: 'Lee', at: AT.toISOString(), what: 'Left a voicemail' });
    expect(next).toEqual({
      strikes: 2,
      staffActions: [
        { action: 'reach_out', by: 'Dana', at: '2026-11-28T17:00:00.000Z' },
        { action: 'add_note', by: 'Lee', at: '2026-11-28T18:05:00.000Z', what: 'Left a voicemail' },
      ],
    });
    expect(stored.staffActions).toHaveLength(1);
  });

  it('leaves out an empty choice rather than storing it', () => {
    expect(staffActionsOf(withStaffAction({}, { action: 'excuse', by: 'Dana', at: AT.toISOString(), what: '' }))).toEqual([{ action: 'excuse', by: 'Dana', at: AT.toISOString() }]);
  });

  it('says what ended the alert and when, with the facts that explain it, and forgets it when active again', () => {
    const resolved = withResolution({ strikes: 1 }, 'no_longer_applies', AT, { strikesNow: 0 });
    expect(resolved).toEqual({ strikes: 1, strikesNow: 0, resolution: 'no_longer_applies', resolvedAt: '2026-11-28T18:05:00.000Z' });
    expect(withoutResolution(resolved)).toEqual({ strikes: 1, strikesNow: 0, resolvedAt: '2026-11-28T18:05:00.000Z' });
  });
});
