import { DateTime } from 'luxon';
import type { Policy } from './policy.js';

// What each final attendance counts as toward strikes, and the count at an instant (core/strikes.ts decides from it).

/** One final attendance of a participant in one program. */
export interface StrikeRecord {
  sessionId: string;
  startsAt: Date;
  /** What the engine detected (final). */
  status: string;
  flags: readonly string[];
  /** What staff decided, when they did: it wins over what was detected. */
  overrideStatus?: string | null;
}

/** A strike-producing fact of one session: an unexcused no-show, or a late join (or short stay) toward a late strike. */
export type StrikeMark = 'miss' | 'late' | 'attended' | 'excused' | 'other';

/**
 * What a session counts as. A staff override replaces the detected status and its flags: overriding
 * to `present` says "this one was fine", so a detected late join no longer counts; overriding to
 * `late` counts as a late. A session both late and short counts once toward lates.
 */
export function markOf(record: StrikeRecord, policy: Pick<Policy, 'shortStaysCountAsLates'>): StrikeMark {
  const overridden = record.overrideStatus ?? null;
  const status = overridden ?? record.status;
  if (status === 'no_show') return 'miss';
  if (status === 'excused' || status === 'made_up') return 'excused';
  if (status !== 'present' && status !== 'late') return 'other';
  if (overridden) return status === 'late' ? 'late' : 'attended';
  const late = status === 'late' || record.flags.includes('late') || (policy.shortStaysCountAsLates && record.flags.includes('short_stay'));
  return late ? 'late' : 'attended';
}

export type StrikePolicy = Pick<Policy, 'strikeWindowDays' | 'lateStrikeEvery' | 'shortStaysCountAsLates' | 'strikeLadder' | 'consecutiveMissesForReview'>;

export interface Marked {
  sessionId: string;
  startsAt: Date;
  mark: StrikeMark;
  /** The first instant the session no longer counts toward strikes. */
  expiresAt: Date;
}

/**
 * The window is counted in the program's calendar days: a session on local day D counts through
 * the end of local day D + strikeWindowDays − 1 (with 30 days, a miss on 1 November counts through
 * 30 November and is gone at local midnight starting 1 December), whatever the UTC offset or DST.
 */
export function strikeExpiresAt(startsAt: Date, windowDays: number, timezone: string): Date {
  return DateTime.fromJSDate(startsAt, { zone: timezone }).startOf('day').plus({ days: windowDays }).toJSDate();
}

export function markAll(records: readonly StrikeRecord[], policy: StrikePolicy, timezone: string): Marked[] {
  return records
    .map((r) => ({ sessionId: r.sessionId, startsAt: r.startsAt, mark: markOf(r, policy), expiresAt: strikeExpiresAt(r.startsAt, policy.strikeWindowDays, timezone) }))
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0));
}

export const counting = (m: Marked, at: Date) => m.startsAt.getTime() <= at.getTime() && at.getTime() < m.expiresAt.getTime();

export interface CountAt {
  strikes: number;
  missSessionIds: string[];
  lates: number;
  lateStrikes: number;
}

export function countAt(marked: readonly Marked[], policy: StrikePolicy, at: Date): CountAt {
  const inWindow = marked.filter((m) => counting(m, at));
  const missSessionIds = inWindow.filter((m) => m.mark === 'miss').map((m) => m.sessionId);
  const lates = inWindow.filter((m) => m.mark === 'late').length;
  const lateStrikes = policy.lateStrikeEvery > 0 ? Math.floor(lates / policy.lateStrikeEvery) : 0;
  return { strikes: missSessionIds.length + lateStrikes, missSessionIds, lates, lateStrikes };
}

