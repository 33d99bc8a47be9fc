import { countAt, markAll, type StrikePolicy, type StrikeRecord } from './strike-marks.js';
import { describeWeek, type WeekHours } from './weekly-credit.js';

/**
 * Who is at risk in a program, and why, in words staff read at a glance. Pure: the facts and the
 * time come in. The order is plain enough to say on the page: strikes in the window, then sessions
 * missed in a row, then hours the week is short (or cannot make up), then open follow-ups.
 */

export interface RiskFacts {
  participantId: string;
  name: string;
  /** Final attendances in the program (core/strike-marks.ts decides what each counts as). */
  records: readonly StrikeRecord[];
  /** This week's hours under the program's rule (core/weekly-credit.ts), or null when none were offered. */
  week: WeekHours | null;
  openFollowUps: number;
}

export interface RiskAssessment {
  participantId: string;
  name: string;
  strikes: number;
  /** Unexcused no-shows in a row, up to the latest final session (any attendance, excuse or make-up ends a run). */
  missesInARow: number;
  /** Minutes the week is short (over) or cannot make up any more (still running); 0 otherwise. */
  weekShortMinutes: number;
  weekText: string | null;
  openFollowUps: number;
  /** Each reason in words, most serious first; empty when nothing puts them at risk. */
  reasons: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The strike count of the program's rule at `now`, the misses in a row, the week, in words. */
export function assessRisk(facts: RiskFacts, policy: StrikePolicy, timezone: string, now: Date): RiskAssessment {
  const marked = markAll(facts.records, policy, timezone).filter((m) => m.startsAt.getTime() <= now.getTime());
  const { strikes } = countAt(marked, policy, now);
  let missesInARow = 0;
  for (let i = marked.length - 1; i >= 0; i--) {
    const mark = marked[i]!.mark;
    if (mark === 'other') continue;
    if (mark !== 'miss') break;
    missesInARow++;
  }
  const week = facts.week;
  const weekShort = week && (week.state === 'short' || week.state === 'at_risk') ? week : null;
  const reasons: string[] = [];
  if (strikes > 0) reasons.push(`${plural(strikes, 'strike')} in ${policy.strikeWindowDays} days`);
  if (missesInARow > 0) reasons.push(missesInARow === 1 ? 'missed the last session' : `missed the last ${missesInARow} sessions`);
  if (weekShort) reasons.push(weekShort.state === 'short' ? `${describeWeek(weekShort)} this week` : describeWeek(weekShort));
  if (facts.openFollowUps > 0) reasons.push(plural(facts.openFollowUps, 'open follow-up'));
  return {
    participantId: facts.participantId,
    name: facts.name,
    strikes,
    missesInARow,
    weekShortMinutes: weekShort?.shortByMinutes ?? 0,
    weekText: week ? describeWeek(week) : null,
    openFollowUps: facts.openFollowUps,
    reasons,
  };
}

/** Most at risk first; ties by name, so the order is stable. */
export function compareRisk(a: RiskAssessment, b: RiskAssessment): number {
  return (
    b.strikes - a.strikes ||
    b.missesInARow - a.missesInARow ||
    b.weekShortMinutes - a.weekShortMinutes ||
    b.openFollowUps - a.openFollowUps ||
    a.name.localeCompare(b.name)
  );
}

/** Everyone assessed, most at risk first (the grid's row order). */
export function rankByRisk(list: readonly RiskFacts[], policy: StrikePolicy, timezone: string, now: Date): RiskAssessment[] {
  return list.map((facts) => assessRisk(facts, policy, timezone, now)).sort(compareRisk);
}

/** Only those with a reason, most at risk first (the at-risk list). */
export function whoIsAtRisk(list: readonly RiskFacts[], policy: StrikePolicy, timezone: string, now: Date): RiskAssessment[] {
  return rankByRisk(list, policy, timezone, now).filter((r) => r.reasons.length > 0);
}

/** "2 strikes in 30 days · missed the last 2 sessions · short by 2 h 10 min this week · 1 open follow-up". */
export const riskWhy = (risk: Pick<RiskAssessment, 'reasons'>) => risk.reasons.join(' · ');
