import type { AttendanceStatus } from './attendance-types.js';

/**
 * How a session attended counts toward the week (policy `weeklyHoursCredit`). IOP programs and
 * payers count group days attended: `scheduled` credits a session attended (present or late, not a
 * short stay) with its scheduled length, a short stay with the minutes present. `present` credits
 * the raw minutes present.
 */
export type HoursCredit = 'scheduled' | 'present';

export interface CreditRule {
  requiredMinutes: number;
  credit: HoursCredit;
  /** An excused absence still counts against the week's hours (else it lowers the requirement). */
  excusedCountsAgainstHours: boolean;
}

/** One of the participant's sessions in the week, as the rule needs it. */
export interface WeekSessionLine {
  scheduledMinutes: number;
  /** The effective status: the staff decision when there is one, else what was detected. */
  status: AttendanceStatus;
  flags: readonly string[];
  presentMinutes: number;
  /** Its attendance is final: nothing more will be credited for it. */
  final: boolean;
  /**
   * A session of the program (it counts toward what the program offered); false for a make-up in
   * another program's session, which credits what was attended there but offers nothing.
   */
  offered: boolean;
  /** The participant said they will not come: not counted as still attendable. */
  skipping?: boolean;
}

export type WeekState = 'met' | 'short' | 'on_track' | 'at_risk';

export interface WeekHours {
  creditedMinutes: number;
  /** The lesser of the requirement and what the program offered, less excused sessions (unless they count). */
  requiredMinutes: number;
  offeredMinutes: number;
  /** Credit still possible: the full length of every session not yet final and not being skipped. */
  remainingMinutes: number;
  sessionsLeft: number;
  state: WeekState;
  /** Minutes missing (short), or that cannot be made up any more (at risk); 0 otherwise. */
  shortByMinutes: number;
}

/** Minutes one session credits under the rule (0 for anything but an attendance). */
export function creditedMinutes(line: Pick<WeekSessionLine, 'scheduledMinutes' | 'status' | 'flags' | 'presentMinutes'>, credit: HoursCredit): number {
  const present = Math.max(0, line.presentMinutes);
  // A make-up stands in for the session it replaces; the make-up session's own line is not counted twice.
  if (line.status === 'made_up') return line.scheduledMinutes;
  if (line.status !== 'present' && line.status !== 'late') return 0;
  if (credit === 'present' || line.flags.includes('short_stay')) return Math.min(present, line.scheduledMinutes);
  return line.scheduledMinutes;
}

/**
 * Where a participant stands against one week's hours at `now` (`weekOver`: the week has ended).
 * Never a bare "not met" mid-week: a week still running is on track or at risk, and at risk only
 * when every session left, attended in full, cannot cover what is missing. A session still live
 * (not final) is among those left, so a late joiner is never "at risk" while the session runs.
 */
export function weekHours(rule: CreditRule, lines: readonly WeekSessionLine[], weekOver: boolean): WeekHours {
  let credited = 0;
  let offered = 0;
  let excused = 0;
  let remaining = 0;
  let sessionsLeft = 0;
  for (const line of lines) {
    if (line.offered) offered += line.scheduledMinutes;
    if (line.status === 'excused' && !rule.excusedCountsAgainstHours) excused += line.scheduledMinutes;
    if (line.final || line.status === 'made_up') credited += creditedMinutes(line, rule.credit);
    else if (!line.skipping && line.status !== 'excused' && !weekOver) {
      remaining += line.scheduledMinutes;
      sessionsLeft += 1;
    }
  }
  const required = Math.max(0, Math.min(rule.requiredMinutes, offered) - excused);
  const missing = Math.max(0, required - credited);
  const base = { creditedMinutes: credited, requiredMinutes: required, offeredMinutes: offered, remainingMinutes: remaining, sessionsLeft };
  if (missing === 0) return { ...base, state: 'met', shortByMinutes: 0 };
  if (weekOver || sessionsLeft === 0) return { ...base, state: 'short', shortByMinutes: missing };
  if (remaining < missing) return { ...base, state: 'at_risk', shortByMinutes: missing - remaining };
  return { ...base, state: 'on_track', shortByMinutes: 0 };
}

/** The week in words, as every surface shows it: "met", "short by 2 h 10 min", "on track (3 sessions left)". */
export function describeWeek(week: Pick<WeekHours, 'state' | 'shortByMinutes' | 'sessionsLeft'>): string {
  switch (week.state) {
    case 'met':
      return 'met';
    case 'short':
      return `short by ${hoursAndMinutes(week.shortByMinutes)}`;
    case 'at_risk':
      return `at risk: ${hoursAndMinutes(week.shortByMinutes)} cannot be made up this week`;
    case 'on_track':
      return `on track (${week.sessionsLeft} ${week.sessionsLeft === 1 ? 'session' : 'sessions'} left)`;
  }
}

export function hoursAndMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** The rule a program's policy sets. */
export function creditRuleOf(policy: { weeklyHoursRequired: number; weeklyHoursCredit: HoursCredit; excusedCountsAgainstHours: boolean }): CreditRule {
  return { requiredMinutes: Math.round(policy.weeklyHoursRequired * 60), credit: policy.weeklyHoursCredit, excusedCountsAgainstHours: policy.excusedCountsAgainstHours };
}

/** Several programs' weeks as one (a participant in two programs): the worst state stands. */
export function combineWeeks(weeks: readonly WeekHours[]): WeekHours {
  const sum = (pick: (w: WeekHours) => number) => weeks.reduce((total, w) => total + pick(w), 0);
  const order: WeekState[] = ['at_risk', 'short', 'on_track', 'met'];
  const state = order.find((s) => weeks.some((w) => w.state === s)) ?? 'met';
  return {
    creditedMinutes: sum((w) => w.creditedMinutes),
    requiredMinutes: sum((w) => w.requiredMinutes),
    offeredMinutes: sum((w) => w.offeredMinutes),
    remainingMinutes: sum((w) => w.remainingMinutes),
    sessionsLeft: sum((w) => w.sessionsLeft),
    state,
    shortByMinutes: sum((w) => (w.state === state ? w.shortByMinutes : 0)),
  };
}
