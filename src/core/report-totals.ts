import { DateTime } from 'luxon';
import { isAttended } from './attendance-outcome.js';
import type { AttendanceStatus } from './attendance-types.js';
import { creditedMinutes, describeWeek, weekHours, type CreditRule, type WeekState } from './weekly-credit.js';

/** One participant's attendance of one session, as the report needs it. */
export interface ReportLine {
  participantId: string;
  startsAt: Date;
  scheduledMinutes: number;
  presentMinutes: number;
  status: string;
  flags: readonly string[];
  /** Nothing more will change for it; a session not yet final is still attendable. */
  final: boolean;
}

export interface DayTotal {
  participantId: string;
  /** Local calendar day in the program's zone, YYYY-MM-DD. */
  date: string;
  sessions: number;
  sessionsAttended: number;
  scheduledMinutes: number;
  presentMinutes: number;
  /** Service minutes credited under the program's hours rule (core/weekly-credit.ts). */
  creditedMinutes: number;
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
  creditedMinutes: number;
  requiredMinutes: number;
  met: boolean;
  state: WeekState;
  shortByMinutes: number;
  sessionsLeft: number;
  /** "met", "short by 2 h 10 min", "on track (3 sessions left)". */
  statusText: string;
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
export function dayTotals(lines: ReportLine[], timezone: string, rule: CreditRule): DayTotal[] {
  const totals = new Map<string, DayTotal>();
  // Only what happened counts toward a day: a session not started yet has nothing to add.
  for (const line of lines.filter((l) => l.status !== 'pending')) {
    const date = localDate(line.startsAt, timezone);
    const key = `${line.participantId}\u0000${date}`;
    const total = totals.get(key) ?? { participantId: line.participantId, date, sessions: 0, sessionsAttended: 0, scheduledMinutes: 0, presentMinutes: 0, creditedMinutes: 0 };
    total.sessions += 1;
    if (isAttended(line.status)) total.sessionsAttended += 1;
    total.scheduledMinutes += line.scheduledMinutes;
    total.presentMinutes += line.presentMinutes;
    total.creditedMinutes += creditedMinutes(asLine(line), rule.credit);
    totals.set(key, total);
  }
  return [...totals.values()].sort(byParticipantThen((t) => t.date));
}

/**
 * Hours per participant and ISO week (Monday to Sunday in the program's zone) under the program's
 * hours rule. `range` is the report's first and last local day, both included; `today` the local
 * day the report is made (a week ending before it is over).
 */
export function weekTotals(lines: ReportLine[], timezone: string, rule: CreditRule, range: { from: string; to: string }, today: string): WeekTotal[] {
  const groups = new Map<string, { participantId: string; week: ReturnType<typeof isoWeekOf>; lines: ReportLine[] }>();
  for (const line of lines) {
    const week = isoWeekOf(line.startsAt, timezone);
    const key = `${line.participantId}\u0000${week.week}`;
    const group = groups.get(key) ?? { participantId: line.participantId, week, lines: [] };
    group.lines.push(line);
    groups.set(key, group);
  }
  const totals = [...groups.values()].map(({ participantId, week, lines: own }): WeekTotal => {
    const happened = own.filter((l) => l.status !== 'pending');
    const hours = weekHours(rule, own.map(asLine), week.weekEnd < today);
    return {
      participantId,
      week: week.week,
      weekStart: week.weekStart,
      weekEnd: week.weekEnd,
      sessions: happened.length,
      sessionsAttended: happened.filter((l) => isAttended(l.status)).length,
      presentMinutes: happened.reduce((sum, l) => sum + l.presentMinutes, 0),
      creditedMinutes: hours.creditedMinutes,
      requiredMinutes: hours.requiredMinutes,
      met: hours.state === 'met',
      state: hours.state,
      shortByMinutes: hours.shortByMinutes,
      sessionsLeft: hours.sessionsLeft,
      statusText: describeWeek(hours),
      partial: week.weekStart < range.from || week.weekEnd > range.to,
    };
  });
  return totals.sort(byParticipantThen((t) => t.week));
}

function asLine(line: ReportLine) {
  return { scheduledMinutes: line.scheduledMinutes, status: line.status as AttendanceStatus, flags: line.flags, presentMinutes: line.presentMinutes, final: line.final && line.status !== 'pending', offered: true };
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
