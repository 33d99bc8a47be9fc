import { describe, expect, it } from 'vitest';
import { slotRates, timeSlotOf, weeklyAttendanceRates } from '../../../src/core/attendance-rates.js';
import { effectiveStatus } from '../../../src/core/attendance-outcome.js';

const zone = 'America/New_York';
const row = (startsAt: string, status: string) => ({ startsAt: new Date(startsAt), status });

describe('weeklyAttendanceRates', () => {
  it('divides attended by counted, leaving out excused and pending', () => {
    const rates = weeklyAttendanceRates(
      [
        row('2026-11-30T14:00:00Z', 'present'),
        row('2026-11-30T14:00:00Z', 'late'),
        row('2026-11-30T14:00:00Z', 'no_show'),
        row('2026-11-30T14:00:00Z', 'made_up'),
        row('2026-11-30T14:00:00Z', 'excused'),
        row('2026-12-07T14:00:00Z', 'pending'),
      ],
      zone,
    );
    expect(rates).toEqual([
      { week: '2026-W49', weekStart: '2026-11-30', counted: 4, attended: 3, rate: 0.75 },
      { week: '2026-W50', weekStart: '2026-12-07', counted: 0, attended: 0, rate: null },
    ]);
  });
});

describe('slotRates', () => {
  it('groups by local weekday and time slot', () => {
    const rates = slotRates(
      [
        row('2026-12-01T14:00:00Z', 'present'), // Tue 09:00 morning
        row('2026-12-01T14:00:00Z', 'no_show'),
        row('2026-12-01T23:00:00Z', 'late'), // Tue 18:00 evening
        row('2026-12-02T04:30:00Z', 'not_joined'), // Tue 23:30 local: still Tuesday evening
        row('2026-12-01T23:00:00Z', 'excused'),
      ],
      zone,
    );
    expect(rates).toEqual([
      { weekday: 2, slot: 'morning', counted: 2, noShowRate: 0.5, lateRate: 0 },
      { weekday: 2, slot: 'evening', counted: 2, noShowRate: 0.5, lateRate: 0.5 },
    ]);
  });

  it('names slots by the local hour', () => {
    expect([0, 11, 12, 16, 17, 23].map(timeSlotOf)).toEqual(['morning', 'morning', 'afternoon', 'afternoon', 'evening', 'evening']);
  });
});

describe('effectiveStatus', () => {
  it('prefers what staff decided', () => {
    expect(effectiveStatus('no_show', 'excused')).toBe('excused');
    expect(effectiveStatus('late', null)).toBe('late');
  });
});
