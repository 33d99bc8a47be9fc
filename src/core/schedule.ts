/**
 * Expands a Schedule (RFC 5545 RRULE + local start time + IANA zone) into session instants.
 *
 * rrule runs in "floating" time: local wall-clock fields stored in a Date's UTC fields. rrule's own
 * `tzid` goes through the *process's* zone and its UTC mode pins sessions to one offset; both break
 * across daylight saving. Each floating occurrence becomes an instant with Luxon in the schedule's
 * zone, so 18:00 stays 18:00 local all year.
 */
import { DateTime, IANAZone } from 'luxon';
import rrulePackage from 'rrule';
import type { Options } from 'rrule';

// rrule 2.8 has no "exports" map: Node (and tsx) load its UMD build as CommonJS, where named
// imports fail at run time. The default import is module.exports.
const { RRule } = rrulePackage;

export interface ScheduleRule {
  /** RFC 5545 rule body, e.g. `FREQ=WEEKLY;BYDAY=MO,WE,TH`; a leading `RRULE:` is allowed. */
  rrule: string;
  /** Local wall-clock start, "HH:MM" (24-hour). */
  startTime: string;
  /** IANA zone, e.g. America/New_York. */
  timezone: string;
}

export interface ScheduleExpansion extends ScheduleRule {
  durationMinutes: number;
  /** The schedule begins on this instant's local date (COUNT and INTERVAL count from that day). */
  anchor: Date;
  /** Occurrences whose start is in [from, to) are returned. */
  from: Date; to: Date;
}

export interface Occurrence { startsAt: Date; endsAt: Date }

const DAY_MS = 86_400_000;
const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';
const BY_DAY = new RegExp(`^([+-]?[1-9]\\d?)?${WEEKDAY}(,([+-]?[1-9]\\d?)?${WEEKDAY})*$`);
const positive = (value: string) => (/^\d+$/.test(value) && Number(value) >= 1 ? null : 'must be a positive integer');
const integers = (max: number, negative: boolean) => (value: string) =>
  /^[+-]?\d{1,3}(,[+-]?\d{1,3})*$/.test(value) &&
  value.split(',').map(Number).every((n) => n !== 0 && Math.abs(n) <= max && (negative || n > 0))
    ? null
    : `must be integers in ${negative ? '±' : ''}1..${max}`;
/** Accepted rule parts, each with a check saying what is wrong (or null). */
const PARTS: Record<string, (value: string) => string | null> = {
  FREQ: (value) =>
    ['HOURLY', 'MINUTELY', 'SECONDLY'].includes(value) ? 'is finer than DAILY; sessions repeat at most daily'
    : ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'].includes(value) ? null : 'must be YEARLY, MONTHLY, WEEKLY or DAILY',
  COUNT: positive,
  INTERVAL: positive,
  UNTIL: (value) => (/^\d{8}(T\d{6}Z?)?$/.test(value) ? null : 'must be YYYYMMDD or YYYYMMDDTHHMMSS[Z]'),
  BYDAY: (value) => (BY_DAY.test(value) ? null : 'must be a list like MO,WE or -1FR'),
  WKST: (value) => (new RegExp(`^${WEEKDAY}$`).test(value) ? null : 'must be a weekday, MO to SU'),
  BYMONTH: integers(12, false),
  BYMONTHDAY: integers(31, true),
  BYYEARDAY: integers(366, true),
  BYWEEKNO: integers(53, true),
  BYSETPOS: integers(366, true),
};
/** Parts that would fight startTime and timezone, which alone say when a session starts. */
const REJECTED: [RegExp, string][] = [
  [/^(DTSTART|TZID)\b/, 'the start comes from startTime and timezone'],
  [/^BY(HOUR|MINUTE|SECOND)\b/, 'the time of day comes from startTime'],
];

export function parseStartTime(value: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new Error(`startTime must be "HH:MM" between 00:00 and 23:59, got "${value}"`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** An error message naming what is wrong, or null when the schedule can be expanded. */
export function validateSchedule({ rrule, startTime, timezone }: ScheduleRule): string | null {
  try {
    parseRule(rrule, timezone);
    parseStartTime(startTime);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Throws (with validateSchedule's message) on an invalid schedule, duration or date. */
export function expandSchedule(input: ScheduleExpansion): Occurrence[] {
  const { timezone: zone, durationMinutes, anchor, from, to } = input;
  const options = parseRule(input.rrule, zone);
  const { hour, minute } = parseStartTime(input.startTime);
  if (!(Number.isFinite(durationMinutes) && durationMinutes > 0)) {
    throw new Error(`durationMinutes must be a positive number, got ${durationMinutes}`);
  }
  for (const [name, date] of Object.entries({ anchor, from, to })) {
    if (Number.isNaN(date.getTime())) throw new Error(`${name} is not a valid date`);
  }
  const day = DateTime.fromJSDate(anchor, { zone });
  const dtstart = new Date(Date.UTC(day.year, day.month - 1, day.day, hour, minute));
  const rule = new RRule({ ...options, dtstart, tzid: null }, true);
  // Search a floating window padded by two days (more than any offset change, even Samoa's
  // skipped day in 2011), then filter on the real instants.
  const after = new Date(floating(DateTime.fromJSDate(from, { zone })).getTime() - 2 * DAY_MS);
  const before = new Date(floating(DateTime.fromJSDate(to, { zone })).getTime() + 2 * DAY_MS);
  return rule
    .between(after, before, true)
    .map((wall) => toInstant(wall, zone))
    .filter((startsAt) => startsAt >= from && startsAt < to)
    .map((startsAt) => ({ startsAt, endsAt: new Date(startsAt.getTime() + durationMinutes * 60_000) }));
}

/**
 * Floating wall time → instant. A time skipped by spring-forward (02:30 in New York on 2027-03-14)
 * moves forward by the gap, as Luxon does (03:30 EDT). A time repeated by fall-back (01:30 on
 * 2026-11-01) takes the earlier instant (01:30 EDT): Luxon's fromObject alone picks the offset in
 * force *now* (Settings.now), which would make the result depend on the clock.
 */
function toInstant(wall: Date, zone: string): Date {
  const local = DateTime.fromObject(DateTime.fromJSDate(wall, { zone: 'utc' }).toObject(), { zone });
  return new Date(Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis())));
}

function floating(local: DateTime): Date {
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/**
 * Checks each part before rrule's parser sees it: that parser silently turns unknown FREQ, BYDAY
 * and WKST values into undefined and non-integers into strings.
 */
function parseRule(text: string, timezone: string): Partial<Options> {
  if (!IANAZone.isValidZone(timezone)) throw new Error(`timezone "${timezone}" is not a known IANA time zone`);
  const body = text.trim().replace(/^RRULE:/i, '').toUpperCase();
  const fail = (message: string): never => { throw new Error(`rrule "${text}": ${message}`); };
  const parts = new Map<string, string>();
  for (const part of body.split(';').filter((part) => part !== '')) {
    const [rejected, why] = REJECTED.find(([pattern]) => pattern.test(part)) ?? [];
    if (rejected) fail(`${rejected.exec(part)?.[0]} is not allowed; ${why}`);
    const [key = '', value, extra] = part.split('=');
    const check = PARTS[key] ?? fail(`unknown rule part "${part}"`);
    if (value === undefined || extra !== undefined) fail(`"${part}" is not KEY=VALUE`);
    if (parts.has(key)) fail(`${key} appears twice`);
    const problem = check(value ?? '');
    if (problem) fail(`${key}=${value} ${problem}`);
    parts.set(key, value ?? '');
  }
  if (!parts.has('FREQ')) fail('FREQ is required');
  if (parts.has('COUNT') && parts.has('UNTIL')) fail('COUNT and UNTIL cannot both be set (RFC 5545)');
  // rrule's parser would read UNTIL's digits as UTC fields, right only for a UTC schedule.
  const rest = [...parts].filter(([key]) => key !== 'UNTIL');
  const options: Partial<Options> = RRule.parseString(rest.map((part) => part.join('=')).join(';'));
  const until = parts.get('UNTIL');
  if (until === undefined) return options;
  // UNTIL in floating time: a UTC value (…Z) moves to the zone's wall clock; a bare date includes its whole day.
  const digits = until.replace(/Z$/, '');
  const parsed = DateTime.fromFormat(digits, digits.length === 8 ? 'yyyyMMdd' : "yyyyMMdd'T'HHmmss", { zone: 'utc' });
  if (!parsed.isValid) fail(`UNTIL=${until} is not a real date and time`);
  const last = digits.length === 8 ? parsed.endOf('day') : parsed;
  return { ...options, until: floating(until.endsWith('Z') ? last.setZone(timezone) : last) };
}
