import { DateTime } from 'luxon';
import { isAttended } from './attendance-outcome.js';

/** One participant's attendance of one session, as the report needs it. */
export interface ReportLine {
  participantId: string;
  startsAt: Date;
  scheduledMinutes: number;
  presentMinutes: number;
  status: string;
}

export interface DayTotal {
  participantId: string;
  /** Local calendar day in the program's zone, YYYY-MM-DD. */
  date: string;
  sessions: number;
  sessionsAttended: number;
  scheduledMinutes: number;
  presentMinutes: number;
}

export interface WeekTotal {
  participantId: string;
  /** ISO week in the program's zone, e.g. 2026-W48. */
  week: string;
  /** The week's Monday and Sunday, local dates. */
  weekStart: string;
  weekEnd: string;
  sessions: number;
  sessionsAttended: number;
  presentMinutes: number;
  requiredMinutes: number;
  met: boolean;
  /** The week reaches outside the report's range, so its total may be incomplete. */
  partial: boolean;
}

/** The local day of an instant in a zone (a session at 23:30 local is that day, whatever UTC says). */
export function localDate(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toISODate()!;
}

/** The ISO week of an instant in a zone, with its Monday and Sunday. */
export function isoWeekOf(at: Date, timezone: string): { week: string; weekStart: string; weekEnd: string } {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  const monday = local.startOf('week');
  return {
    week: `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`,
    weekStart: monday.toISODate()!,
    weekEnd: monday.plus({ days: 6 }).toISODate()!,
  };
}

/** Sessions and minutes per participant and local day: Medicare's IOP benefit pays per day by the number of services. */
export function dayTotals(lines: ReportLine[], timezone: string): DayTotal[] {
  const totals = new Map<string, DayTotal>();
  for (const line of lines) {
    const date = localDate(line.startsAt, timezone);
    const key = `${line.participantId}\u0000${date}`;
    const total = totals.get(key) ?? { participantId: line.participantId, date, sessions: 0, sessionsAttended: 0, scheduledMinutes: 0, presentMinutes: 0 };
    total.sessions += 1;
    if (isAttended(line.status)) total.sessionsAttended += 1;
    total.scheduledMinutes += line.scheduledMinutes;
    total.presentMinutes += line.presentMinutes;
    totals.set(key, total);
  }
  return [...totals.values()].sort(byParticipantThen((t) => t.date));
}

/**
 * Minutes present per participant and ISO week (Monday to Sunday in the program's zone) against
 * the weekly requirement. `range` is the report's first and last local day, both included.
 */
export function weekTotals(lines: ReportLine[], timezone: string, weeklyHoursRequired: number, range: { from: string; to: string }): WeekTotal[] {
  const requiredMinutes = Math.round(weeklyHoursRequired * 60);
  const totals = new Map<string, WeekTotal>();
  for (const line of lines) {
    const { week, weekStart, weekEnd } = isoWeekOf(line.startsAt, timezone);
    const key = `${line.participantId}\u0000${week}`;
    const total = totals.get(key) ?? {
      participantId: line.participantId,
      week,
      weekStart,
      weekEnd,
      sessions: 0,
      sessionsAttended: 0,
      presentMinutes: 0,
      requiredMinutes,
      met: false,
      partial: weekStart < range.from || weekEnd > range.to,
    };
    total.sessions += 1;
    if (isAttended(line.status)) total.sessionsAttended += 1;
    total.presentMinutes += line.presentMinutes;
    total.met = total.presentMinutes >= requiredMinutes;
    totals.set(key, total);
  }
  return [...totals.values()].sort(byParticipantThen((t) => t.week));
}

/** The UTC instants bounding local days `from`..`to` (both included) in a zone: DST days are 23 or 25 hours. */
export function localDayRange(from: string, to: string, timezone: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(from, { zone: timezone }).startOf('day');
  const end = DateTime.fromISO(to, { zone: timezone }).plus({ days: 1 }).startOf('day');
  return { start: start.toJSDate(), end: end.toJSDate() };
}

function byParticipantThen<T extends { participantId: string }>(key: (t: T) => string) {
  return (a: T, b: T) => (a.participantId === b.participantId ? key(a).localeCompare(key(b)) : a.participantId.localeCompare(b.participantId));
}
