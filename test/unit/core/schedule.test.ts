import { DateTime } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expandSchedule, parseStartTime, validateSchedule, type ScheduleExpansion } from '../../../src/core/schedule.js';

const NY = 'America/New_York';

function schedule(overrides: Partial<ScheduleExpansion>): ScheduleExpansion {
  return {
    rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,TH',
    startTime: '18:00',
    durationMinutes: 90,
    timezone: NY,
    anchor: new Date('2026-01-05T05:00:00Z'),
    from: new Date('2026-01-05T05:00:00Z'),
    to: new Date('2026-01-19T05:00:00Z'),
    ...overrides,
  };
}

const starts = (input: ScheduleExpansion) => expandSchedule(input).map((o) => o.startsAt.toISOString());
const z = (list: string[]) => list.map((s) => `${s}.000Z`);

describe('expandSchedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    {
      name: 'weekly MO,WE,TH at 18:00 New York, 14 winter days (EST, 23:00Z)',
      input: schedule({}),
      expected: ['2026-01-05T23:00:00', '2026-01-07T23:00:00', '2026-01-08T23:00:00',
        '2026-01-12T23:00:00', '2026-01-14T23:00:00', '2026-01-15T23:00:00'],
    },
    {
      name: 'weekly MO,WE,TH at 18:00 New York, 14 summer days (EDT, 22:00Z)',
      input: schedule({
        anchor: new Date('2026-07-06T04:00:00Z'),
        from: new Date('2026-07-06T04:00:00Z'),
        to: new Date('2026-07-20T04:00:00Z'),
      }),
      expected: ['2026-07-06T22:00:00', '2026-07-08T22:00:00', '2026-07-09T22:00:00',
        '2026-07-13T22:00:00', '2026-07-15T22:00:00', '2026-07-16T22:00:00'],
    },
    {
      name: 'across the 2026-11-01 fall-back: 22:00Z before, 23:00Z after',
      input: schedule({ from: new Date('2026-10-26T00:00:00Z'), to: new Date('2026-11-06T00:00:00Z') }),
      expected: ['2026-10-26T22:00:00', '2026-10-28T22:00:00', '2026-10-29T22:00:00',
        '2026-11-02T23:00:00', '2026-11-04T23:00:00', '2026-11-05T23:00:00'],
    },
    {
      name: 'across the 2027-03-14 spring-forward: 23:00Z before, 22:00Z after',
      input: schedule({ from: new Date('2027-03-08T00:00:00Z'), to: new Date('2027-03-19T00:00:00Z') }),
      expected: ['2027-03-08T23:00:00', '2027-03-10T23:00:00', '2027-03-11T23:00:00',
        '2027-03-15T22:00:00', '2027-03-17T22:00:00', '2027-03-18T22:00:00'],
    },
    {
      name: '02:30 daily: the nonexistent 02:30 on 2027-03-14 moves forward to 03:30 EDT',
      input: schedule({
        rrule: 'FREQ=DAILY', startTime: '02:30',
        from: new Date('2027-03-13T00:00:00Z'), to: new Date('2027-03-16T00:00:00Z'),
      }),
      expected: ['2027-03-13T07:30:00', '2027-03-14T07:30:00', '2027-03-15T06:30:00'],
    },
    {
      name: '01:30 daily: the ambiguous 01:30 on 2026-11-01 takes the earlier instant (EDT)',
      input: schedule({
        rrule: 'FREQ=DAILY', startTime: '01:30',
        from: new Date('2026-10-31T00:00:00Z'), to: new Date('2026-11-03T00:00:00Z'),
      }),
      expected: ['2026-10-31T05:30:00', '2026-11-01T05:30:00', '2026-11-02T06:30:00'],
    },
    {
      name: 'Asia/Kolkata (+05:30): 18:00 is 12:30Z',
      input: schedule({
        rrule: 'FREQ=DAILY;COUNT=3', timezone: 'Asia/Kolkata',
        anchor: new Date('2026-03-01T00:00:00Z'), from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'),
      }),
      expected: ['2026-03-01T12:30:00', '2026-03-02T12:30:00', '2026-03-03T12:30:00'],
    },
    {
      name: 'Australia/Sydney, DST starts 2026-10-04: 08:00Z (AEST) then 07:00Z (AEDT)',
      input: schedule({
        rrule: 'FREQ=WEEKLY;BYDAY=MO', timezone: 'Australia/Sydney', anchor: new Date('2026-01-01T00:00:00Z'),
        from: new Date('2026-09-28T00:00:00Z'), to: new Date('2026-10-06T00:00:00Z'),
      }),
      expected: ['2026-09-28T08:00:00', '2026-10-05T07:00:00'],
    },
    {
      name: 'Australia/Sydney, DST ends 2026-04-05: 07:00Z (AEDT) then 08:00Z (AEST)',
      input: schedule({
        rrule: 'FREQ=WEEKLY;BYDAY=MO', timezone: 'Australia/Sydney', anchor: new Date('2026-01-01T00:00:00Z'),
        from: new Date('2026-03-30T00:00:00Z'), to: new Date('2026-04-07T00:00:00Z'),
      }),
      expected: ['2026-03-30T07:00:00', '2026-04-06T08:00:00'],
    },
    {
      name: 'COUNT counts from the anchor, not from the window',
      input: schedule({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,TH;COUNT=4', from: new Date('2026-01-08T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') }),
      expected: ['2026-01-08T23:00:00', '2026-01-12T23:00:00'],
    },
    {
      name: 'UNTIL in UTC is compared as an instant (18:59:59 local on the 14th includes the 14th)',
      input: schedule({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,TH;UNTIL=20260114T235959Z', to: new Date('2027-01-01T00:00:00Z') }),
      expected: ['2026-01-05T23:00:00', '2026-01-07T23:00:00', '2026-01-08T23:00:00', '2026-01-12T23:00:00', '2026-01-14T23:00:00'],
    },
    {
      name: 'UNTIL in UTC just before the session (22:59:59Z = 17:59:59 local) excludes it',
      input: schedule({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,TH;UNTIL=20260114T225959Z', to: new Date('2027-01-01T00:00:00Z') }),
      expected: ['2026-01-05T23:00:00', '2026-01-07T23:00:00', '2026-01-08T23:00:00', '2026-01-12T23:00:00'],
    },
    {
      name: 'UNTIL as a bare date includes that whole local day',
      input: schedule({ rrule: 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE,TH;UNTIL=20260112', to: new Date('2027-01-01T00:00:00Z') }),
      expected: ['2026-01-05T23:00:00', '2026-01-07T23:00:00', '2026-01-08T23:00:00', '2026-01-12T23:00:00'],
    },
    {
      name: 'INTERVAL=2 counts fortnights from the anchor week',
      input: schedule({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', to: new Date('2026-02-10T00:00:00Z') }),
      expected: ['2026-01-05T23:00:00', '2026-01-19T23:00:00', '2026-02-02T23:00:00'],
    },
    {
      name: 'INTERVAL=2 from an anchor a week later shifts the fortnights',
      input: schedule({ rrule: 'freq=weekly;interval=2;byday=mo', anchor: new Date('2026-01-12T05:00:00Z'), to: new Date('2026-02-10T00:00:00Z') }),
      expected: ['2026-01-12T23:00:00', '2026-01-26T23:00:00', '2026-02-09T23:00:00'],
    },
    {
      name: "the anchor's local date (Jan 5 in New York, Jan 6 in UTC) is the first day, even before the anchor's time",
      input: schedule({ rrule: 'FREQ=DAILY;COUNT=2', anchor: new Date('2026-01-06T03:00:00Z'), from: new Date('2026-01-01T00:00:00Z') }),
      expected: ['2026-01-05T23:00:00', '2026-01-06T23:00:00'],
    },
    {
      name: 'from is inclusive: a session starting exactly at from is returned',
      input: schedule({ from: new Date('2026-01-07T23:00:00Z'), to: new Date('2026-01-08T23:00:01Z') }),
      expected: ['2026-01-07T23:00:00', '2026-01-08T23:00:00'],
    },
    {
      name: 'to is exclusive: a session starting exactly at to is not; one a millisecond after from is not',
      input: schedule({ from: new Date('2026-01-07T23:00:00.001Z'), to: new Date('2026-01-12T23:00:00Z') }),
      expected: ['2026-01-08T23:00:00'],
    },
    {
      name: 'an empty or reversed window gives nothing',
      input: schedule({ from: new Date('2026-01-12T00:00:00Z'), to: new Date('2026-01-05T00:00:00Z') }),
      expected: [],
    },
  ])('$name', ({ input, expected }) => {
    expect(starts(input)).toEqual(z(expected));
  });

  it('keeps 18:00 local on both sides of both DST changes', () => {
    const result = expandSchedule(schedule({ from: new Date('2026-10-01T00:00:00Z'), to: new Date('2027-04-01T00:00:00Z') }));
    expect(result.length).toBeGreaterThan(70);
    for (const { startsAt } of result) {
      expect(DateTime.fromJSDate(startsAt, { zone: NY }).toFormat('HH:mm')).toBe('18:00');
    }
  });

  it('endsAt is startsAt + durationMinutes in absolute minutes, even across the fall-back', () => {
    const [session] = expandSchedule(schedule({
      rrule: 'FREQ=DAILY', startTime: '01:00', durationMinutes: 60,
      from: new Date('2026-11-01T04:00:00Z'), to: new Date('2026-11-01T12:00:00Z'),
    }));
    expect(session).toEqual({ startsAt: new Date('2026-11-01T05:00:00Z'), endsAt: new Date('2026-11-01T06:00:00Z') });
    // 06:00Z is 01:00 EST: the wall clock shows no time passed, the session still lasted an hour.
    expect(DateTime.fromJSDate(session!.endsAt, { zone: NY }).toFormat('HH:mm ZZZZ')).toBe('01:00 EST');
  });

  it.each(['2026-07-01T12:00:00Z', '2027-01-15T12:00:00Z'])(
    'does not depend on the current time (Luxon alone resolves 01:30 on fall-back by the offset now): now = %s',
    (now) => {
      vi.useFakeTimers({ toFake: ['Date'], now: new Date(now) });
      const input = schedule({ rrule: 'FREQ=DAILY', startTime: '01:30', from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z') });
      expect(starts(input)).toEqual(['2026-11-01T05:30:00.000Z']);
      const sydney = schedule({
        rrule: 'FREQ=DAILY', startTime: '02:30', timezone: 'Australia/Sydney',
        from: new Date('2026-04-04T00:00:00Z'), to: new Date('2026-04-05T00:00:00Z'),
      });
      expect(starts(sydney)).toEqual(['2026-04-04T15:30:00.000Z']); // 02:30 AEDT, the earlier of the two
    },
  );

  it('is idempotent and leaves its input alone', () => {
    const input = schedule({ to: new Date('2026-06-01T00:00:00Z') });
    const copy = structuredClone(input);
    expect(expandSchedule(input)).toEqual(expandSchedule(input));
    expect(input).toEqual(copy);
  });

  it.each([
    { name: 'duration', input: { durationMinutes: 0 }, message: /durationMinutes/ },
    { name: 'date', input: { from: new Date('nope') }, message: /from is not a valid date/ },
    { name: 'rule', input: { rrule: 'FREQ=HOURLY' }, message: /FREQ=HOURLY is finer than DAILY/ },
  ])('throws on an invalid $name', ({ input, message }) => {
    expect(() => expandSchedule(schedule(input))).toThrow(message);
  });
});

describe('validateSchedule', () => {
  const valid = { rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,TH', startTime: '18:00', timezone: NY };

  it.each([
    { rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,TH' },
    { rrule: 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE,TH;' },
    { rrule: 'FREQ=MONTHLY;BYDAY=-1FR;WKST=SU;COUNT=10' },
    { rrule: 'FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=-1;UNTIL=20300101T000000Z' },
    { startTime: '00:00', timezone: 'UTC' },
    { startTime: '23:59', timezone: 'Asia/Kolkata' },
  ])('accepts %o', (overrides) => {
    expect(validateSchedule({ ...valid, ...overrides })).toBeNull();
  });

  it.each([
    { overrides: { rrule: 'FREQ=WEEKLY;BYDAY=XX' }, message: /BYDAY=XX must be a list/ },
    { overrides: { rrule: 'FREQ=SOMETIMES' }, message: /FREQ=SOMETIMES must be YEARLY, MONTHLY, WEEKLY or DAILY/ },
    { overrides: { rrule: 'BYDAY=MO' }, message: /FREQ is required/ },
    { overrides: { rrule: '' }, message: /FREQ is required/ },
    { overrides: { rrule: 'FREQ=WEEKLY;COUNT=1.5' }, message: /COUNT=1.5 must be a positive integer/ },
    { overrides: { rrule: 'FREQ=WEEKLY;INTERVAL=0' }, message: /INTERVAL=0 must be a positive integer/ },
    { overrides: { rrule: 'FREQ=WEEKLY;COUNT=2;UNTIL=20270101' }, message: /COUNT and UNTIL/ },
    { overrides: { rrule: 'FREQ=WEEKLY;UNTIL=20270230' }, message: /not a real date/ },
    { overrides: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=32' }, message: /BYMONTHDAY=32 must be integers/ },
    { overrides: { rrule: 'FREQ=WEEKLY;FREQ=DAILY' }, message: /FREQ appears twice/ },
    { overrides: { rrule: 'FREQ=WEEKLY;COLOR=BLUE' }, message: /unknown rule part "COLOR=BLUE"/ },
    { overrides: { rrule: 'FREQ=HOURLY' }, message: /FREQ=HOURLY is finer than DAILY/ },
    { overrides: { rrule: 'FREQ=MINUTELY;INTERVAL=30' }, message: /FREQ=MINUTELY is finer than DAILY/ },
    { overrides: { rrule: 'FREQ=SECONDLY' }, message: /FREQ=SECONDLY is finer than DAILY/ },
    { overrides: { rrule: 'FREQ=DAILY;BYHOUR=9,15' }, message: /BYHOUR is not allowed; the time of day comes from startTime/ },
    { overrides: { rrule: 'DTSTART:20260105T180000Z\nRRULE:FREQ=WEEKLY' }, message: /DTSTART is not allowed/ },
    { overrides: { rrule: 'FREQ=WEEKLY;DTSTART=20260105T180000' }, message: /DTSTART is not allowed/ },
    { overrides: { rrule: 'DTSTART;TZID=America/New_York:20260105T180000;FREQ=WEEKLY' }, message: /DTSTART is not allowed/ },
    { overrides: { rrule: 'FREQ=WEEKLY;TZID=America/New_York' }, message: /TZID is not allowed/ },
    { overrides: { startTime: '25:00' }, message: /startTime must be "HH:MM"/ },
    { overrides: { startTime: '6pm' }, message: /startTime must be "HH:MM"/ },
    { overrides: { timezone: 'Mars/Olympus_Mons' }, message: /timezone "Mars\/Olympus_Mons" is not a known IANA time zone/ },
    { overrides: { timezone: '' }, message: /timezone "" is not a known/ },
  ])('rejects $overrides', ({ overrides, message }) => {
    expect(validateSchedule({ ...valid, ...overrides })).toMatch(message);
  });
});

describe('parseStartTime', () => {
  it.each([
    ['00:00', { hour: 0, minute: 0 }],
    ['09:05', { hour: 9, minute: 5 }],
    ['23:59', { hour: 23, minute: 59 }],
  ])('parses %s', (value, expected) => {
    expect(parseStartTime(value)).toEqual(expected);
  });

  it.each(['25:00', '24:00', '12:60', '9:00', '09:00:00', ' 09:00', ''])('rejects "%s"', (value) => {
    expect(() => parseStartTime(value)).toThrow(/startTime must be "HH:MM"/);
  });
});
