import { DateTime } from 'luxon';
import type { Policy, StrikeAction } from './policy.js';

/**
 * Strikes, the escalation ladder and the presumed drop-out rule (DESIGN.md, "Strikes"; the rules
 * in words are docs/policy.md). Pure: the facts and the time come in, decisions come out. The bot
 * proposes; a person decides.
 */

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

type StrikePolicy = Pick<Policy, 'strikeWindowDays' | 'lateStrikeEvery' | 'shortStaysCountAsLates' | 'strikeLadder' | 'consecutiveMissesForReview'>;

interface Marked {
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

function markAll(records: readonly StrikeRecord[], policy: StrikePolicy, timezone: string): Marked[] {
  return records
    .map((r) => ({ sessionId: r.sessionId, startsAt: r.startsAt, mark: markOf(r, policy), expiresAt: strikeExpiresAt(r.startsAt, policy.strikeWindowDays, timezone) }))
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0));
}

const counting = (m: Marked, at: Date) => m.startsAt.getTime() <= at.getTime() && at.getTime() < m.expiresAt.getTime();

interface CountAt {
  strikes: number;
  missSessionIds: string[];
  lates: number;
  lateStrikes: number;
}

function countAt(marked: readonly Marked[], policy: StrikePolicy, at: Date): CountAt {
  const inWindow = marked.filter((m) => counting(m, at));
  const missSessionIds = inWindow.filter((m) => m.mark === 'miss').map((m) => m.sessionId);
  const lates = inWindow.filter((m) => m.mark === 'late').length;
  const lateStrikes = policy.lateStrikeEvery > 0 ? Math.floor(lates / policy.lateStrikeEvery) : 0;
  return { strikes: missSessionIds.length + lateStrikes, missSessionIds, lates, lateStrikes };
}

/** One continuous stretch during which the count stood at or above a rung: a climb. */
interface Climb {
  startedAt: Date;
  /** The session whose strike took the count up to the rung: names the climb in dedupe keys. */
  triggerSessionId: string;
  /** Still going at `now`. */
  ongoing: boolean;
}

/** Every climb to each rung, walking the count through time: it changes only when a session starts or ages out. */
function climbsOf(marked: readonly Marked[], policy: StrikePolicy, now: Date): Map<number, Climb[]> {
  const relevant = marked.filter((m) => m.mark === 'miss' || m.mark === 'late');
  const instants = [...new Set(relevant.flatMap((m) => [m.startsAt.getTime(), m.expiresAt.getTime()]))].filter((t) => t <= now.getTime()).sort((a, b) => a - b);
  const climbs = new Map<number, Climb[]>(policy.strikeLadder.map((rung) => [rung.strikes, []]));
  for (const t of instants) {
    const at = new Date(t);
    const { strikes } = countAt(marked, policy, at);
    const startingNow = relevant.filter((m) => m.startsAt.getTime() === t);
    for (const [rung, list] of climbs) {
      const last = list.at(-1);
      const above = strikes >= rung;
      if (above && !last?.ongoing && startingNow.length > 0) list.push({ startedAt: at, triggerSessionId: startingNow.at(-1)!.sessionId, ongoing: true });
      else if (!above && last?.ongoing) last.ongoing = false;
    }
  }
  return climbs;
}

export interface DropOutRun {
  misses: number;
  /** The first miss of the run: names it in dedupe keys. */
  firstSessionId?: string;
  startedAt?: Date;
}

/**
 * The participant's latest run of unexcused misses with no contact since its first miss. Any
 * session not missed (attended, late, excused, made up) ends a run; so does contact: a message or
 * button press to the bot, or an absence they reported (it counts as contact at the session it was
 * for, so reporting an unexcused absence is still contact).
 */
export function dropOutRun(records: readonly StrikeRecord[], contacts: readonly Date[], policy: Pick<Policy, 'shortStaysCountAsLates'>, at: Date): DropOutRun {
  const marked = records
    .filter((r) => r.startsAt.getTime() <= at.getTime())
    .map((r) => ({ ...r, mark: markOf(r, policy) }))
    .filter((r) => r.mark !== 'other')
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const lastContact = Math.max(-Infinity, ...contacts.filter((c) => c.getTime() <= at.getTime()).map((c) => c.getTime()));
  let misses = 0;
  let first: (typeof marked)[number] | undefined;
  for (let i = marked.length - 1; i >= 0; i--) {
    const record = marked[i]!;
    if (record.mark !== 'miss' || record.startsAt.getTime() <= lastContact) break;
    misses++;
    first = record;
  }
  return first ? { misses, firstSessionId: first.sessionId, startedAt: first.startsAt } : { misses: 0 };
}

/** A rule's proposal the service has already made (a FollowUp it created), with when. */
export interface FiredRule {
  id: string;
  /** `ladder:<strikes>` or `dropout`. */
  rule: string;
  firedAt: Date;
}

export interface RuleToFire {
  rule: string;
  /** Unique per participant and program with it: `<rule>:<trigger session id>`. */
  climbKey: string;
  /** formal_review for the drop-out rule. */
  action: StrikeAction;
  /** Which alert: Strike for outreach and check-in, Review due for reviews and drop-outs. */
  alertKind: 'strike' | 'review_due';
  /** The count the alert shows (strikes for a rung, misses in a row for a drop-out). */
  count: number;
}

export interface StrikeInput {
  records: readonly StrikeRecord[];
  /** When the participant was in touch outside sessions (messages, replies, reported absences). */
  contacts: readonly Date[];
  policy: StrikePolicy;
  /** The program's IANA zone: the window is counted in its calendar days. */
  timezone: string;
  now: Date;
  fired: readonly FiredRule[];
}

export interface StrikeDecision {
  strikes: number;
  /** No-shows counting now. */
  missSessionIds: string[];
  lates: number;
  lateStrikes: number;
  /** Rungs the count stands on now. */
  rungsReached: { strikes: number; action: StrikeAction }[];
  nextRung?: { strikes: number; action: StrikeAction };
  consecutiveMisses: number;
  presumedDropOut: boolean;
  /** Proposals to make now: each rung once per climb, the drop-out once per run. */
  toFire: RuleToFire[];
  /** Earlier proposals the facts no longer support (an absence excused, a status overridden since). */
  noLongerApplies: string[];
}

export const ladderRule = (strikes: number) => `ladder:${strikes}`;
export const DROPOUT_RULE = 'dropout';

const REVIEW_ACTIONS: readonly StrikeAction[] = ['formal_review', 'discharge_review'];

/**
 * Everything the strike rules say about one participant in one program now.
 *
 * A rung fires once per climb: it fires when the count reaches it, and again only after the count
 * has fallen below it and climbed back (a climb starts when the count crosses up to the rung). A
 * proposal made at or after the current climb started stands for that climb, which keeps the
 * decision stable when history is rewritten behind it (a back-filled or re-ordered strike).
 * Excusing an absence or overriding a status later rewrites history: a proposal whose count, as
 * now known, never reached its rung when it was made no longer applies.
 */
export function decideStrikes(input: StrikeInput): StrikeDecision {
  const { policy, now } = input;
  const marked = markAll(input.records, policy, input.timezone);
  const current = countAt(marked, policy, now);
  const climbs = climbsOf(marked, policy, now);
  const firedSince = (rule: string, since: Date) => input.fired.some((f) => f.rule === rule && f.firedAt.getTime() >= since.getTime());
  const toFire: RuleToFire[] = [];
  for (const rung of policy.strikeLadder) {
    const climb = climbs.get(rung.strikes)?.at(-1);
    if (!climb?.ongoing || current.strikes < rung.strikes) continue;
    const rule = ladderRule(rung.strikes);
    if (firedSince(rule, climb.startedAt)) continue;
    toFire.push({
      rule,
      climbKey: `${rule}:${climb.triggerSessionId}`,
      action: rung.action,
      alertKind: REVIEW_ACTIONS.includes(rung.action) ? 'review_due' : 'strike',
      count: rung.strikes,
    });
  }
  const run = dropOutRun(input.records, input.contacts, policy, now);
  const presumedDropOut = run.misses >= policy.consecutiveMissesForReview;
  if (presumedDropOut && run.startedAt && !firedSince(DROPOUT_RULE, run.startedAt)) {
    toFire.push({ rule: DROPOUT_RULE, climbKey: `${DROPOUT_RULE}:${run.firstSessionId}`, action: 'formal_review', alertKind: 'review_due', count: run.misses });
  }
  const noLongerApplies = input.fired
    .filter((f) => {
      if (f.rule === DROPOUT_RULE) return dropOutRun(input.records, input.contacts, policy, f.firedAt).misses < policy.consecutiveMissesForReview;
      const rung = /^ladder:(\d+)$/.exec(f.rule);
      return rung ? countAt(marked, policy, f.firedAt).strikes < Number(rung[1]) : false;
    })
    .map((f) => f.id);
  return {
    strikes: current.strikes,
    missSessionIds: current.missSessionIds,
    lates: current.lates,
    lateStrikes: current.lateStrikes,
    rungsReached: policy.strikeLadder.filter((r) => current.strikes >= r.strikes),
    nextRung: policy.strikeLadder.find((r) => current.strikes < r.strikes),
    consecutiveMisses: run.misses,
    presumedDropOut,
    toFire,
    noLongerApplies,
  };
}
