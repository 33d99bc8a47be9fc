import { DateTime } from 'luxon';
import { isAttended, isCounted, isMissed } from './attendance-outcome.js';
import { isoWeekOf } from './report-totals.js';

export interface RateInput {
  startsAt: Date;
  status: string;
}

export interface WeekRate {
  week: string;
  weekStart: string;
  counted: number;
  attended: number;
  /** attended ÷ counted, 0..1; null when nothing was counted. */
  rate: number | null;
}

export type TimeSlot = 'morning' | 'afternoon' | 'evening';

export interface SlotRate {
  /** 1 = Monday … 7 = Sunday (ISO), in the program's zone. */
  weekday: number;
  slot: TimeSlot;
  counted: number;
  noShowRate: number;
  lateRate: number;
}

/** Attendance rate per ISO week: present, late or made up ÷ every expected attendance except excused and pending. */
export function weeklyAttendanceRates(rows: RateInput[], timezone: string): WeekRate[] {
  const weeks = new Map<string, WeekRate>();
  for (const row of rows) {
    const { week, weekStart } = isoWeekOf(row.startsAt, timezone);
    const entry = weeks.get(week) ?? { week, weekStart, counted: 0, attended: 0, rate: null };
    if (isCounted(row.status)) {
      entry.counted += 1;
      if (isAttended(row.status)) entry.attended += 1;
    }
    entry.rate = entry.counted ? entry.attended / entry.counted : null;
    weeks.set(week, entry);
  }
  return [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week));
}

/** Morning before 12:00, afternoon before 17:00, evening after: where a flexible hour might help. */
export function timeSlotOf(hour: number): TimeSlot {
  return hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
}

/** No-show and late rates by local weekday and time slot; each rate is a share of counted attendances. */
export function slotRates(rows: RateInput[], timezone: string): SlotRate[] {
  const slots = new Map<string, SlotRate & { noShows: number; lates: number }>();
  for (const row of rows) {
    if (!isCounted(row.status)) continue;
    const local = DateTime.fromJSDate(row.startsAt, { zone: timezone });
    const slot = timeSlotOf(local.hour);
    const key = `${local.weekday}-${slot}`;
    const entry = slots.get(key) ?? { weekday: local.weekday, slot, counted: 0, noShows: 0, lates: 0, noShowRate: 0, lateRate: 0 };
    entry.counted += 1;
    if (isMissed(row.status)) entry.noShows += 1;
    if (row.status === 'late') entry.lates += 1;
    entry.noShowRate = entry.noShows / entry.counted;
    entry.lateRate = entry.lates / entry.counted;
    slots.set(key, entry);
  }
  const order: TimeSlot[] = ['morning', 'afternoon', 'evening'];
  return [...slots.values()]
    .sort((a, b) => a.weekday - b.weekday || order.indexOf(a.slot) - order.indexOf(b.slot))
    .map(({ weekday, slot, counted, noShowRate, lateRate }) => ({ weekday, slot, counted, noShowRate, lateRate }));
}
