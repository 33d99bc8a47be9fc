import type { Logger } from 'pino';
import { explainResolution, reconcileAlerts, type DesiredAlert } from '../core/alert-decisions.js';
import { backlogHoldUntil, withoutHeldAlerts, type BacklogTiming } from '../core/backlog-hold.js';
import { effectiveWindow, MINUTE_MS } from '../core/presence.js';
import { evaluateSession, recordedAs, type SessionEvaluation } from '../core/session-evaluation.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { loadEvaluationInput, loadSessionSnapshot, type EvaluationInput, type SessionSnapshot } from './session-snapshot.js';
import { SESSION_EVALUATED_CHANNEL } from './dashboard-live-feed.js';
import { createAlert, reopenAlert, resolveAlert, reviseAlert } from './alerts/alert-outbox.js';

const SESSION_TOPICS = ['arrival', 'departure', 'short_stay', 'waiting_room', 'identity'];

export interface EvaluatorDeps {
  prisma: Db;
  clock: Clock;
  log: Logger;
  /** Called after commit with the alerts whose chat message must be posted or edited. */
  enqueueDeliveries(alertIds: string[]): Promise<void>;
  /** Called after commit: evaluate this session again at `at`. */
  scheduleWake(sessionId: string, at: Date): Promise<void>;
  /** Called after the commit that finalized the session. */
  enqueueCloseOut(sessionId: string): Promise<void>;
  /**
   * Called after commit when a session already final was corrected (an excuse, a make-up, a
   * post-meeting report, a late identity link) and these participants' final rows changed.
   */
  afterFinalAttendanceChanged?(sessionId: string, participantIds: string[]): Promise<void>;
  /** The backlog hold's quiet window and cap (core/backlog-hold.ts); tests shorten them. */
  backlogTiming?: BacklogTiming;
  /** How long evaluateSoon gathers a session's facts before evaluating (DEFAULT_EVALUATION_DEBOUNCE_MS). */
  debounceMs?: number;
  /** How many evaluateSoon evaluations run at once, across sessions (DEFAULT_EVALUATION_CONCURRENCY). */
  concurrency?: number;
  /**
   * Where evaluateSoon sends a session after its window instead of evaluating it here (a `web`
   * instance: the `session.evaluate` queue). Its failure is handled as an evaluation's.
   */
  handOff?: (sessionId: string) => Promise<void>;
}

export interface SessionEvaluator {
  /** Recomputes what should be true for the session and makes the database say so. Idempotent. */
  evaluate(sessionId: string): Promise<void>;
  /** The same computation without writing: live values for a read. */
  peek(sessionId: string): Promise<{ bundle: SessionSnapshot; evaluation: SessionEvaluation } | null>;
  /**
   * Evaluates soon, off the caller's path: after the debounce window, so a burst of facts for one
   * session is one evaluation; requests during a window or an evaluation coalesce into the next.
   * With `handOff`, the window ends in a job for another instance instead.
   */
  evaluateSoon(sessionId: string): void;
  /** Resolves when every evaluation asked for by evaluateSoon (waiting out its window or running) has finished. */
  idle(): Promise<void>;
}

function compute(bundle: SessionSnapshot, now: Date): SessionEvaluation {
  return evaluateSession({
    platform: bundle.session.meetingPlatform,
    startsAt: bundle.session.startsAt,
    endsAt: bundle.session.endsAt,
    events: bundle.events,
    expected: bundle.expected,
    excusedIds: bundle.excusedIds,
    madeUpIds: bundle.madeUpIds,
    policy: bundle.program.policy,
    now,
    final: now >= bundle.session.endsAt,
    recorded: recordedAs(bundle.session),
  });
}

/** An evaluation that failed off the request path (a busy database, a lost connection) is tried again this soon. */
export const RETRY_AFTER_FAILURE_MS = 2_000;

/**
 * A burst (a meeting's start, a reconnect, a platform's retries) brings a session's facts a few ms
 * apart, and most of an evaluation's cost is the same whatever it reads: waiting this long first
 * makes the burst one or two evaluations. Alerts need freshness in seconds, not milliseconds.
 */
export const DEFAULT_EVALUATION_DEBOUNCE_MS = 50;

/**
 * evaluateSoon's evaluations at once, across sessions. Each holds a pooled connection for its
 * transaction, and the one JavaScript thread runs them one at a time anyway: more in flight only
 * take the connections acknowledgements need (the pool has 10) and stretch every transaction. A
 * session waiting its turn keeps gathering facts, so under load it is evaluated less often, with more.
 * Deadlines, the sweep and staff actions call evaluate() directly and do not wait for a turn.
 */
export const DEFAULT_EVALUATION_CONCURRENCY = 2;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createSessionEvaluator(deps: EvaluatorDeps): SessionEvaluator {
  const { prisma, clock, log } = deps;
  const debounceMs = deps.debounceMs ?? DEFAULT_EVALUATION_DEBOUNCE_MS;
  const turns = createTurns(deps.concurrency ?? DEFAULT_EVALUATION_CONCURRENCY);
  /** Per session, its evaluateSoon work from the first request to the last evaluation it led to. */
  const running = new Map<string, Promise<void>>();
  /** Sessions with facts no evaluation has started reading yet. */
  const owed = new Set<string>();

  async function evaluate(sessionId: string): Promise<void> {
    const outcome = await prisma.$transaction(
      async (tx) => {
        // One evaluation per session at a time, across instances: the row lock orders them. NO KEY
        // UPDATE, not UPDATE: a fact's insert takes KEY SHARE on its session (the foreign key), and
        // must not wait for a slow evaluation, or a backlog's facts trickle in one evaluation apart.
        await tx.$queryRaw`SELECT id FROM "Session" WHERE id = ${sessionId}::uuid FOR NO KEY UPDATE`;
        // Taken before the facts are read: a fact received after it is newer than this evaluation (the sweep's watermark).
        const seenAt = clock.now();
        const input = await loadEvaluationInput(tx, sessionId, SESSION_TOPICS);
        if (!input) return null;
        const { bundle } = input;
        const now = clock.now();
        const evaluation = compute(bundle, now);
        const changedParticipants = await storeAttendance(tx, input, evaluation);
        const holdUntil = arrivalHoldUntil(bundle, evaluation, now, deps.backlogTiming);
        const { changed, held } = await storeAlerts(tx, input, evaluation, now, holdUntil);
        const { facts } = evaluation;
        // Held alerts are decided again when the backlog has gone quiet (or its cap is reached): a durable deadline.
        const nextWakeAt = held > 0 && holdUntil && (!evaluation.nextWakeAt || holdUntil < evaluation.nextWakeAt) ? holdUntil : evaluation.nextWakeAt;
        await storeSession(tx, bundle, {
          startedAt: facts.startedAt ?? null,
          endedAt: facts.endedAt ?? null,
          finalizedAt: facts.final ? (bundle.session.finalizedAt ?? now) : null,
          meetingInstanceId: bundle.events.find((e) => e.meetingInstanceId)?.meetingInstanceId ?? null,
          evaluatedAt: seenAt,
          wakeAt: nextWakeAt,
        });
        return {
          changed,
          nextWakeAt,
          // The evaluation that stored this wake scheduled its job after its commit (or died, and the sweep finds it overdue).
          wakeScheduled: nextWakeAt !== null && input.wakeAt?.getTime() === nextWakeAt.getTime() && nextWakeAt > now,
          held: held > 0 ? { count: held, until: holdUntil } : null,
          finalizedNow: facts.final && !bundle.session.finalizedAt,
          corrected: bundle.session.finalizedAt ? changedParticipants : [],
        };
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    if (!outcome) return;
    if (outcome.held) log.info({ sessionId, held: outcome.held.count, until: outcome.held.until }, 'arrival alerts held while a backlog arrives');
    if (outcome.changed.length > 0) {
      log.info({ sessionId, alerts: outcome.changed.length }, 'session alerts changed');
      await deps.enqueueDeliveries(outcome.changed);
    }
    if (outcome.nextWakeAt && !outcome.wakeScheduled) await deps.scheduleWake(sessionId, outcome.nextWakeAt);
    if (outcome.finalizedNow) await deps.enqueueCloseOut(sessionId);
    if (outcome.corrected.length > 0 && deps.afterFinalAttendanceChanged) {
      try {
        await deps.afterFinalAttendanceChanged(sessionId, outcome.corrected);
      } catch (error) {
        // The correction is committed; the next trigger for these participants recomputes.
        log.error({ err: error, sessionId }, 'after-correction work failed');
      }
    }
  }

  function evaluateSoon(sessionId: string): void {
    owed.add(sessionId);
    if (running.has(sessionId)) return; // its window or its evaluation is under way; the loop below sees `owed`
    const run = (async () => {
      while (owed.has(sessionId)) {
        if (debounceMs > 0) await sleep(debounceMs);
        const done = await turns.take();
        owed.delete(sessionId); // before the read: facts stored from here on ask again
        try {
          await (deps.handOff ?? evaluate)(sessionId);
        } catch (error) {
          // The facts are stored: a durable deadline shortly evaluates again (the sweep is the last resort).
          log.error({ err: error, sessionId }, 'session evaluation failed');
          await deps.scheduleWake(sessionId, new Date(clock.now().getTime() + RETRY_AFTER_FAILURE_MS)).catch((wakeError: unknown) => {
            log.error({ err: wakeError, sessionId }, 'could not schedule the evaluation again; the sweep will');
          });
        } finally {
          done();
        }
      }
    })().finally(() => {
      running.delete(sessionId);
      if (owed.has(sessionId)) evaluateSoon(sessionId); // asked for between the loop's last look and here
    });
    running.set(sessionId, run);
  }

  return {
    evaluate,
    evaluateSoon,
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
    async peek(sessionId) {
      const bundle = await loadSessionSnapshot(prisma, sessionId);
      return bundle ? { bundle, evaluation: compute(bundle, clock.now()) } : null;
    },
  };
}

/**
 * The session's own columns and the dashboard's notice, in one statement. The NOTIFY is delivered at
 * commit, to every instance: the dashboard's live view listens for it (services/dashboard-live-feed.ts).
 */
async function storeSession(
  tx: Prisma.TransactionClient,
  bundle: SessionSnapshot,
  values: { startedAt: Date | null; endedAt: Date | null; finalizedAt: Date | null; meetingInstanceId: string | null; evaluatedAt: Date; wakeAt: Date | null },
): Promise<void> {
  const { id: sessionId, organizationId } = bundle.session;
  // evaluatedAt and wakeAt are the sweep's bookkeeping (services/engine-sweep.ts): what this evaluation saw, and when it is due again.
  await tx.$executeRaw`
    WITH updated AS (
      UPDATE "Session"
      SET "startedAt" = ${values.startedAt}, "endedAt" = ${values.endedAt}, "finalizedAt" = ${values.finalizedAt},
          "meetingInstanceId" = coalesce(${values.meetingInstanceId}, "meetingInstanceId"), "evaluatedAt" = ${values.evaluatedAt}, "wakeAt" = ${values.wakeAt}
      WHERE id = ${sessionId}::uuid
      RETURNING id
    )
    SELECT pg_notify(${SESSION_EVALUATED_CHANNEL}, ${JSON.stringify({ organizationId, sessionId })}) FROM updated`;
}

/** At most `limit` holders at once; the others wait in order. take() resolves with the release. */
function createTurns(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    async take(): Promise<() => void> {
      if (active < limit) active++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      return release;
    },
  };
}

/**
 * Writes only the attendance rows that changed (most evaluations change one person, or no one), all
 * in one statement; returns whose.
 */
async function storeAttendance(tx: Prisma.TransactionClient, input: EvaluationInput, evaluation: SessionEvaluation): Promise<string[]> {
  const { organizationId, id: sessionId } = input.bundle.session;
  const stored = new Map(input.attendance.map((row) => [row.participantId, row]));
  const time = (d: Date | null | undefined) => d?.getTime() ?? null;
  const rows = [];
  for (const { participantId, result } of evaluation.participants) {
    const values = {
      status: result.status,
      flags: result.flags,
      minutesPresent: result.minutesPresent,
      firstJoinAt: result.firstJoinAt ?? null,
      lastLeaveAt: result.lastLeaveAt ?? null,
      final: evaluation.facts.final,
    };
    const row = stored.get(participantId);
    if (
      row &&
      row.status === values.status &&
      row.flags.join() === values.flags.join() &&
      row.minutesPresent === values.minutesPresent &&
      time(row.firstJoinAt) === time(values.firstJoinAt) &&
      time(row.lastLeaveAt) === time(values.lastLeaveAt) &&
      row.final === values.final
    ) {
      continue;
    }
    rows.push({ participantId, ...values });
  }
  if (rows.length === 0) return [];
  // Staff's override columns are not in the list: an evaluation never touches them.
  await tx.$executeRaw`
    INSERT INTO "Attendance" (id, "organizationId", "sessionId", "participantId", status, flags, "minutesPresent", "firstJoinAt", "lastLeaveAt", final, "updatedAt")
    SELECT gen_random_uuid(), ${organizationId}::uuid, ${sessionId}::uuid, r."participantId", r.status, r.flags, r."minutesPresent", r."firstJoinAt", r."lastLeaveAt", r.final, now()
    FROM json_to_recordset(${JSON.stringify(rows)}::json)
      AS r("participantId" uuid, status text, flags text[], "minutesPresent" integer, "firstJoinAt" timestamptz, "lastLeaveAt" timestamptz, final boolean)
    ON CONFLICT ("sessionId", "participantId") DO UPDATE
    SET status = excluded.status, flags = excluded.flags, "minutesPresent" = excluded."minutesPresent", "firstJoinAt" = excluded."firstJoinAt",
        "lastLeaveAt" = excluded."lastLeaveAt", final = excluded.final, "updatedAt" = excluded."updatedAt"`;
  return rows.map((row) => row.participantId);
}

/** While the session's facts arrive as a backlog: until when its new arrival alerts wait for the rest (core/backlog-hold.ts). */
function arrivalHoldUntil(bundle: SessionSnapshot, evaluation: SessionEvaluation, now: Date, timing: BacklogTiming | undefined): Date | null {
  const arrivalDueAt = new Date(effectiveWindow(evaluation.facts).start.getTime() + bundle.program.policy.noShowAfterMinutes * MINUTE_MS);
  return backlogHoldUntil({ deliveries: bundle.deliveries, arrivalDueAt, now, timing });
}

/**
 * Makes the stored alerts match the desired ones (the outbox), except new arrival alerts held by a
 * backlog; returns the ids needing delivery and how many were held.
 */
async function storeAlerts(
  tx: Prisma.TransactionClient,
  input: EvaluationInput,
  evaluation: SessionEvaluation,
  now: Date,
  holdUntil: Date | null,
): Promise<{ changed: string[]; held: number }> {
  const { bundle, alerts: existing } = input;
  const { organizationId, id: sessionId } = bundle.session;
  // What staff did about an alert is theirs, not the evaluation's: carry it over so a re-evaluation keeps it.
  const staffActionsOf = new Map(existing.map((a) => [`${a.topic}\u0000${a.subjectKey}`, (a.detail as { staffActions?: unknown } | null)?.staffActions]));
  const wanted = evaluation.desired.map((alert) => {
    const staffActions = staffActionsOf.get(`${alert.topic}\u0000${alert.subjectKey}`);
    return staffActions ? { ...alert, detail: { ...alert.detail, staffActions } as unknown as DesiredAlert['detail'] } : alert;
  });
  const { desired, held } = holdUntil ? withoutHeldAlerts(wanted, existing) : { desired: wanted, held: [] };
  const plan = reconcileAlerts(desired, existing);
  const changed: string[] = [];
  const channel = { platform: bundle.program.alertPlatform, channelId: bundle.program.alertChannelId };
  for (const alert of plan.create) {
    const { topic, subjectKey, kind, detail } = alert;
    const created = await createAlert(tx, { organizationId, sessionId, subjectKey, participantId: alert.participantId ?? null, topic, kind, detail, ...channel });
    changed.push(created.id);
  }
  for (const { existing: current, desired } of plan.update) {
    await reviseAlert(tx, current.id, { kind: desired.kind, detail: desired.detail });
    changed.push(current.id);
  }
  for (const { existing: current, desired } of plan.reopen) {
    await reopenAlert(tx, current.id, { kind: desired.kind, detail: desired.detail });
    changed.push(current.id);
  }
  const decideInput = { session: evaluation.facts, policy: bundle.program.policy, now, participants: evaluation.participants, unmatched: evaluation.unmatched };
  for (const current of plan.resolve) {
    const resolution = explainResolution(current, decideInput);
    if (await resolveAlert(tx, current, { resolution, at: now, quietIfUnposted: true })) changed.push(current.id);
  }
  return { changed, held: held.length };
}
