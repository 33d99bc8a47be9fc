import { DateTime } from 'luxon';
import { weekHours, type CreditRule, type WeekHours, type WeekSessionLine } from './weekly-credit.js';

const MINUTE_MS = 60_000;

/** An ISO week (Monday 00:00 to the next Monday 00:00) in one time zone; `key` like `2026-W48`. */
export interface IsoWeek {
  start: Date;
  end: Date;
  key: string;
}

/** The ISO week `at` falls in, in `zone`. DST weeks are 167 or 169 hours long; that is the week. */
export function isoWeekOf(at: Date, zone: string): IsoWeek {
  const local = DateTime.fromJSDate(at, { zone }).startOf('week');
  return { start: local.toJSDate(), end: local.plus({ weeks: 1 }).toJSDate(), key: `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}` };
}

/** One session of the participant's, with what is known of their attendance so far. */
export interface ParticipantWeekSession extends Omit<WeekSessionLine, 'scheduledMinutes'> {
  startsAt: Date;
  endsAt: Date;
}

/**
 * Where a participant stands against the week's hours at `now` (weekly-credit.ts has the rule).
 * Only sessions that start inside the week count (a session is in the week its start falls in, in
 * the participant's zone), so a Sunday-night session in New York is last week's for nobody and next
 * week's for no one else.
 */
export function participantWeekHours(rule: CreditRule, week: IsoWeek, now: Date, sessions: readonly ParticipantWeekSession[]): WeekHours {
  const lines = sessions
    .filter((s) => s.startsAt >= week.start && s.startsAt < week.end)
    .map((s) => ({ ...s, scheduledMinutes: Math.max(0, Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / MINUTE_MS)) }));
  return weekHours(rule, lines, now >= week.end);
}

/**
 * The next instant, strictly after `after`, that reads `weekday` (1 = Monday) at `time` ("HH:MM")
 * on a wall clock in `zone`. A time skipped by a DST change moves forward with the clock (02:30 on
 * the spring-forward night is 03:30), as Luxon does.
 */
export function nextWeeklyAt(setting: { weekday: number; time: string }, zone: string, after: Date): Date {
  const [hour, minute] = setting.time.split(':').map(Number) as [number, number];
  const base = DateTime.fromJSDate(after, { zone });
  for (let week = 0; week < 3; week++) {
    const candidate = base.startOf('week').plus({ weeks: week, days: setting.weekday - 1 }).set({ hour, minute, second: 0, millisecond: 0 });
    if (candidate.toMillis() > after.getTime()) return candidate.toJSDate();
  }
  throw new Error('unreachable: a weekday recurs within three weeks');
}

/** When a session's reminder is due, or null when the policy turns reminders off. */
export function reminderDueAt(startsAt: Date, minutesBefore: number): Date | null {
  return minutesBefore > 0 ? new Date(startsAt.getTime() - minutesBefore * MINUTE_MS) : null;
}
