import type { StrikeAction } from './policy.js';
import { dropOutRun } from './drop-out-run.js';
import { climbsOf } from './strike-climbs.js';
import { countAt, markAll, type StrikePolicy, type StrikeRecord } from './strike-marks.js';

export { dropOutRun, type DropOutRun } from './drop-out-run.js';
export { markOf, strikeExpiresAt, type StrikeMark, type StrikeRecord } from './strike-marks.js';

/**
 * Strikes, the escalation ladder and the presumed drop-out rule (DESIGN.md, "Strikes"; the rules
 * in words are docs/policy.md). Pure: the facts and the time come in, decisions come out. The bot
 * proposes; a person decides.
 */

/** A rule's proposal the service has already made (a FollowUp it created), with when. */
export interface FiredRule {
  id: string;
  /** `ladder:<strikes>` or `dropout`. */
  rule: string;
  firedAt: Date;
  /** Withdrawn by the system because the facts stopped supporting it: it no longer stands for its climb. */
  withdrawn?: boolean;
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
 * now known, never reached its rung when it was made no longer applies. A proposal withdrawn that
 * way stands for nothing: when the count reaches its rung again, the rung is proposed again, so
 * the open follow-ups always match the rung the participant is on, whatever order facts came in.
 */
export function decideStrikes(input: StrikeInput): StrikeDecision {
  const { policy, now } = input;
  const marked = markAll(input.records, policy, input.timezone);
  const current = countAt(marked, policy, now);
  const climbs = climbsOf(marked, policy, now);
  const standing = input.fired.filter((f) => !f.withdrawn);
  const firedSince = (rule: string, since: Date) => standing.some((f) => f.rule === rule && f.firedAt.getTime() >= since.getTime());
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
  const noLongerApplies = standing
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
