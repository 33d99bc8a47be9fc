import type { DesiredAlert, ExistingAlert } from './alert-decisions.js';

/**
 * Platforms deliver late and then all at once (Zoom retries at +5/+20/+60 minutes, Teams meeting
 * events lag, and after an outage of ours every retry lands together). A session evaluated halfway
 * through such a backlog sees the start but not yet the joins queued behind it, and would alert
 * "Not joined" about people who came on time. These rules tell a backlog from a live stream and
 * say how long a session's new arrival alerts wait for the rest of it.
 */

/** A delivery whose event happened this long before it arrived is a backlog: more is probably queued behind it. */
export const BACKLOG_LAG_MS = 30_000;
/** A backlog is over once the session's deliveries have been quiet this long. */
export const BACKLOG_QUIET_MS = 3_000;
/** However long a backlog keeps coming, its arrival alerts wait no longer than this after its first late delivery. */
export const BACKLOG_HOLD_CAP_MS = 15_000;

/** Only alerts about who has arrived depend on facts still queued; everything else is as true early as late. */
export const HELD_KINDS: ReadonlySet<string> = new Set(['not_joined', 'unrecognized_participant']);

/** How long a backlog's quiet window and cap are: the constants above, except where a test shortens them. */
export interface BacklogTiming {
  quietMs: number;
  capMs: number;
}

export const BACKLOG_TIMING: BacklogTiming = { quietMs: BACKLOG_QUIET_MS, capMs: BACKLOG_HOLD_CAP_MS };

/** One stored live delivery: when the platform says it happened, and when it reached us (app clock). */
export interface Delivery {
  occurredAt: Date;
  receivedAt: Date;
}

export interface BacklogInput {
  /** The session's live deliveries (post-meeting report rows are one batch, nothing queues behind them). */
  deliveries: Delivery[];
  /** When the session's first arrival alert ("Not joined") falls due. */
  arrivalDueAt: Date;
  now: Date;
  timing?: BacklogTiming;
}

/**
 * Until when the session's new arrival alerts are held, or null when they are not. The current
 * burst is the run of deliveries that ends with the latest one, each within BACKLOG_QUIET_MS of the
 * one before. It is a backlog when one of its deliveries lagged its event by more than
 * BACKLOG_LAG_MS, or when it holds the session's first delivery and that arrived after the arrival
 * deadline it would trigger. A backlog holds until it has been quiet for BACKLOG_QUIET_MS, and never
 * past BACKLOG_HOLD_CAP_MS after its first late delivery. Pure: `now` is an argument.
 */
export function backlogHoldUntil(input: BacklogInput): Date | null {
  const { quietMs, capMs } = input.timing ?? BACKLOG_TIMING;
  const arrivals = input.deliveries.map((d) => ({ occurredAt: d.occurredAt.getTime(), receivedAt: d.receivedAt.getTime() })).sort((a, b) => a.receivedAt - b.receivedAt);
  if (arrivals.length === 0) return null;
  let first = arrivals.length - 1;
  while (first > 0 && arrivals[first]!.receivedAt - arrivals[first - 1]!.receivedAt <= quietMs) first -= 1;
  const burst = arrivals.slice(first);
  const lateStart = first === 0 && burst[0]!.receivedAt >= input.arrivalDueAt.getTime();
  const lateFrom = lateStart ? burst[0] : burst.find((d) => d.receivedAt - d.occurredAt > BACKLOG_LAG_MS);
  if (!lateFrom) return null;
  const until = Math.min(burst[burst.length - 1]!.receivedAt + quietMs, lateFrom.receivedAt + capMs);
  return until > input.now.getTime() ? new Date(until) : null;
}

/**
 * The desired alerts without the new arrival alerts a backlog holds back. An arrival alert already
 * standing (active) is not new: it keeps being revised, and one going away still resolves.
 */
export function withoutHeldAlerts<E extends ExistingAlert>(desired: DesiredAlert[], existing: E[]): { desired: DesiredAlert[]; held: DesiredAlert[] } {
  const key = (a: { topic: string; subjectKey: string }) => `${a.topic}\u0000${a.subjectKey}`;
  const standing = new Set(existing.filter((a) => a.state !== 'resolved').map(key));
  const held = desired.filter((a) => HELD_KINDS.has(a.kind) && !standing.has(key(a)));
  return { desired: desired.filter((a) => !held.includes(a)), held };
}
