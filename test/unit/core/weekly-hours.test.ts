import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { isoWeekOf, nextWeeklyAt, participantWeekHours, reminderDueAt } from '../../../src/core/weekly-hours.js';

const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const session = (iso: string, zone: string, minutes: number) => ({ startsAt: local(iso, zone), endsAt: new Date(local(iso, zone).getTime() + minutes * 60_000) });

describe('isoWeekOf', () => {
  it('is Monday to Monday on the wall clock of the zone', () => {
    const week = isoWeekOf(local('2026-03-04T12:00', 'America/New_York'), 'America/New_York');
    expect(week.key).toBe('2026-W10');
    expect(week.start.toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(week.end.toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('a spring-forward week is 167 hours, a fall-back week 169', () => {
    const spring = isoWeekOf(local('2026-03-10T12:00', 'America/New_York'), 'America/New_York');
    expect((spring.end.getTime() - spring.start.getTime()) / 3600_000).toBe(168);
    const dstWeek = isoWeekOf(local('2026-03-05T12:00', 'America/New_York'), 'America/New_York');
    expect((dstWeek.end.getTime() - dstWeek.start.getTime()) / 3600_000).toBe(167);
    const fall = isoWeekOf(local('2026-10-29T12:00', 'America/New_York'), 'America/New_York');
    expect((fall.end.getTime() - fall.start.getTime()) / 3600_000).toBe(169);
  });

  it('the same instant can be in different weeks in different zones', () => {
    const sundayNightInLA = local('2026-03-01T22:00', 'America/Los_Angeles');
    expect(isoWeekOf(sundayNightInLA, 'America/Los_Angeles').key).toBe('2026-W09');
    expect(isoWeekOf(sundayNightInLA, 'America/New_York').key).toBe('2026-W10');
  });
});

describe('participantWeekHours', () => {
  const zone = 'America/New_York';
  const rule = { requiredMinutes: 540, credit: 'scheduled' as const, excusedCountsAgainstHours: false };
  const week = isoWeekOf(local('2026-03-04T12:00', zone), zone);
  const [mon, wed, fri] = [session('2026-03-02T18:00', zone, 180), session('2026-03-04T18:00', zone, 180), session('2026-03-06T18:00', zone, 180)];
  const done = (s: { startsAt: Date; endsAt: Date }, status: 'present' | 'no_show', minutes: number) => ({ ...s, status, flags: [], presentMinutes: minutes, final: true, offered: true });
  const ahead = (s: { startsAt: Date; endsAt: Date }) => ({ ...s, status: 'pending' as const, flags: [], presentMinutes: 0, final: false, offered: true });

  it('credits sessions that start in the week and counts what is still attendable', () => {
    const hours = participantWeekHours(rule, week, local('2026-03-04T12:00', zone), [done(mon, 'present', 170), ahead(wed), ahead(fri)]);
    expect(hours).toMatchObject({ creditedMinutes: 180, remainingMinutes: 360, sessionsLeft: 2, state: 'on_track' });
  });

  it('ignores sessions of other weeks (a Sunday-night session in another zone belongs to its own week)', () => {
    const lastWeek = session('2026-03-01T23:00', zone, 120);
    const hours = participantWeekHours({ ...rule, requiredMinutes: 60 }, week, local('2026-03-02T00:30', zone), [done(lastWeek, 'present', 120)]);
    expect(hours).toMatchObject({ creditedMinutes: 0, offeredMinutes: 0, requiredMinutes: 0, state: 'met' });
  });

  it('a week that has ended is met or short, never still on track', () => {
    const hours = participantWeekHours(rule, week, local('2026-03-09T12:00', zone), [done(mon, 'present', 180), done(wed, 'no_show', 0), ahead(fri)]);
    expect(hours).toMatchObject({ state: 'short', shortByMinutes: 360, sessionsLeft: 0 });
  });

  it('a DST week counts the same wall-clock sessions', () => {
    const dstZone = 'Europe/Berlin';
    const dstWeek = isoWeekOf(local('2026-03-25T12:00', dstZone), dstZone);
    const saturday = session('2026-03-28T10:00', dstZone, 180);
    const mondayAfter = session('2026-03-30T10:00', dstZone, 180);
    const hours = participantWeekHours({ ...rule, requiredMinutes: 180 }, dstWeek, local('2026-03-28T09:00', dstZone), [ahead(saturday), ahead(mondayAfter)]);
    expect(hours).toMatchObject({ remainingMinutes: 180, sessionsLeft: 1, state: 'on_track' });
  });
});

describe('nextWeeklyAt', () => {
  it('is the next local weekday and time in the zone', () => {
    const at = nextWeeklyAt({ weekday: 1, time: '09:00' }, 'America/Los_Angeles', local('2026-03-04T12:00', 'America/Los_Angeles'));
    expect(DateTime.fromJSDate(at, { zone: 'America/Los_Angeles' }).toISO()).toBe('2026-03-09T09:00:00.000-07:00');
  });

  it('is strictly after: at the very instant it moves to next week', () => {
    const now = local('2026-03-02T09:00', 'Europe/London');
    expect(nextWeeklyAt({ weekday: 1, time: '09:00' }, 'Europe/London', now).toISOString()).toBe('2026-03-09T09:00:00.000Z');
    expect(nextWeeklyAt({ weekday: 1, time: '09:00' }, 'Europe/London', new Date(now.getTime() - 1)).toISOString()).toBe(now.toISOString());
  });

  it('keeps the wall-clock time across a DST change (09:00 before and after)', () => {
    const before = nextWeeklyAt({ weekday: 7, time: '09:00' }, 'America/New_York', local('2026-03-07T12:00', 'America/New_York'));
    expect(before.toISOString()).toBe('2026-03-08T13:00:00.000Z');
    const after = nextWeeklyAt({ weekday: 7, time: '09:00' }, 'America/New_York', local('2026-02-28T12:00', 'America/New_York'));
    expect(after.toISOString()).toBe('2026-03-01T14:00:00.000Z');
  });

  it('a time the clock skips moves forward with the clock', () => {
    const at = nextWeeklyAt({ weekday: 7, time: '02:30' }, 'America/New_York', local('2026-03-07T12:00', 'America/New_York'));
    expect(DateTime.fromJSDate(at, { zone: 'America/New_York' }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-03-08 03:30');
  });
});

describe('reminderDueAt', () => {
  it('is the given minutes before the start, or never when 0', () => {
    const start = new Date('2026-03-02T23:00:00Z');
    expect(reminderDueAt(start, 30)!.toISOString()).toBe('2026-03-02T22:30:00.000Z');
    expect(reminderDueAt(start, 0)).toBeNull();
  });
});
