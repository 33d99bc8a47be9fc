import { describe, expect, it } from 'vitest';
import { dayTotals, isoWeekOf, localDate, localDayRange, weekTotals, type ReportLine } from '../../../src/core/report-totals.js';

const zone = 'America/New_York';
const line = (participantId: string, startsAt: string, presentMinutes: number, status = 'present', scheduledMinutes = 180): ReportLine => ({
  participantId,
  startsAt: new Date(startsAt),
  scheduledMinutes,
  presentMinutes,
  status,
  flags: [],
  final: status !== 'pending',
});
const rule = (hours: number, credit: 'scheduled' | 'present' = 'scheduled') => ({ requiredMinutes: hours * 60, credit, excusedCountsAgainstHours: false });

describe('localDate and isoWeekOf', () => {
  it('puts an evening session on its local day, not its UTC one', () => {
    // Tue 1 Dec 2026 21:00 in New York is already Wednesday in UTC.
    expect(localDate(new Date('2026-12-02T02:00:00Z'), zone)).toBe('2026-12-01');
  });

  it('starts the ISO week on the local Monday', () => {
    // Sunday 29 Nov 23:30 local is Monday in UTC, but still ISO week 48 in New York.
    expect(isoWeekOf(new Date('2026-11-30T04:30:00Z'), zone)).toEqual({ week: '2026-W48', weekStart: '2026-11-23', weekEnd: '2026-11-29' });
    expect(isoWeekOf(new Date('2026-11-30T05:30:00Z'), zone).week).toBe('2026-W49');
  });

  it('names the ISO week year at a year boundary', () => {
    // Thu 31 Dec 2026 is in 2026-W53; Fri 1 Jan 2027 too.
    expect(isoWeekOf(new Date('2027-01-01T15:00:00Z'), zone).week).toBe('2026-W53');
  });
});

describe('weekTotals', () => {
  it('sums a DST week (clocks fall back on Sunday 1 Nov 2026) into one local week', () => {
    const lines = [
      line('p1', '2026-10-26T13:00:00Z', 180), // Mon 26 Oct 09:00 EDT
      line('p1', '2026-10-28T13:00:00Z', 170), // Wed 28 Oct 09:00 EDT
      // Sun 1 Nov 23:30 EST (after the change, UTC-5): 04:30Z on Monday 2 Nov, still week 44 locally.
      line('p1', '2026-11-02T04:30:00Z', 190),
      // Mon 2 Nov 00:30 EST: the next week.
      line('p1', '2026-11-02T05:30:00Z', 0, 'no_show'),
    ];
    const weeks = weekTotals(lines, zone, rule(9), { from: '2026-10-26', to: '2026-11-08' }, '2026-11-20');
    expect(weeks).toEqual([
      expect.objectContaining({ participantId: 'p1', week: '2026-W44', weekStart: '2026-10-26', weekEnd: '2026-11-01', sessions: 3, presentMinutes: 540, creditedMinutes: 540, requiredMinutes: 540, met: true, statusText: 'met', partial: false }),
      expect.objectContaining({ week: '2026-W45', sessions: 1, presentMinutes: 0, requiredMinutes: 180, met: false, state: 'short', statusText: 'short by 3 h', partial: false }),
    ]);
  });

  it('marks a week that reaches outside the range as partial and counts attended sessions', () => {
    const lines = [line('p1', '2026-12-02T14:00:00Z', 0, 'no_show'), line('p1', '2026-12-03T14:00:00Z', 150, 'late')];
    const [week] = weekTotals(lines, zone, rule(7.5, 'present'), { from: '2026-12-02', to: '2026-12-31' }, '2026-12-20');
    expect(week).toMatchObject({ week: '2026-W49', sessions: 2, sessionsAttended: 1, presentMinutes: 150, creditedMinutes: 150, requiredMinutes: 360, met: false, state: 'short', partial: true });
  });

  it('a week still running with sessions ahead is on track, not "not met"', () => {
    const lines = [line('p1', '2026-11-30T14:00:00Z', 170, 'late'), line('p1', '2026-12-02T14:00:00Z', 0, 'pending'), line('p1', '2026-12-04T14:00:00Z', 0, 'pending')];
    const [week] = weekTotals(lines, zone, rule(9), { from: '2026-11-30', to: '2026-12-06' }, '2026-12-01');
    expect(week).toMatchObject({ sessions: 1, creditedMinutes: 180, requiredMinutes: 540, state: 'on_track', sessionsLeft: 2, statusText: 'on track (2 sessions left)' });
  });

  it('keeps participants apart and sorted', () => {
    const lines = [line('b', '2026-12-02T14:00:00Z', 60), line('a', '2026-12-02T14:00:00Z', 30)];
    expect(weekTotals(lines, zone, rule(9), { from: '2026-11-30', to: '2026-12-06' }, '2026-12-20').map((w) => [w.participantId, w.presentMinutes])).toEqual([
      ['a', 30],
      ['b', 60],
    ]);
  });
});

describe('dayTotals', () => {
  it('counts sessions and minutes per local day', () => {
    const lines = [
      line('p1', '2026-12-01T14:00:00Z', 55, 'present', 60), // Tue 09:00
      line('p1', '2026-12-01T16:00:00Z', 0, 'no_show', 60), // Tue 11:00
      line('p1', '2026-12-02T02:00:00Z', 60, 'late', 60), // Tue 21:00 local, Wednesday in UTC
      line('p1', '2026-12-02T14:00:00Z', 60, 'made_up', 60), // Wed
    ];
    expect(dayTotals(lines, zone, rule(9))).toEqual([
      { participantId: 'p1', date: '2026-12-01', sessions: 3, sessionsAttended: 2, scheduledMinutes: 180, presentMinutes: 115, creditedMinutes: 120 },
      { participantId: 'p1', date: '2026-12-02', sessions: 1, sessionsAttended: 1, scheduledMinutes: 60, presentMinutes: 60, creditedMinutes: 60 },
    ]);
  });
});

describe('localDayRange', () => {
  it('bounds local days, 25 hours on the day clocks fall back', () => {
    const { start, end } = localDayRange('2026-11-01', '2026-11-01', zone);
    expect(start.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(end.toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });

  it('includes the last day', () => {
    const { start, end } = localDayRange('2026-12-01', '2026-12-07', zone);
    expect(start.toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(end.toISOString()).toBe('2026-12-08T05:00:00.000Z');
  });
});
