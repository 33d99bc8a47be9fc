import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { SESSION_MATCH_MARGIN_MS } from './presence/session-window.js';
import { CLOSE_OUT_HORIZON_MS } from './session-close-out.js';
import type { SessionEvaluator } from './session-evaluator.js';
import { stuckOutboxPages } from './stuck-outbox.js';

export interface EngineSweepDeps {
  prisma: Db;
  clock: Clock;
  evaluator: Pick<SessionEvaluator, 'evaluate'>;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
  enqueueCloseOut(sessionId: string): Promise<void>;
}

const PAGE = 500;
const FIRST_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * A fact is counted as unevaluated when it was received less than this before the evaluation began:
 * an ingest that stamped its fact just before an evaluation started may commit just after the
 * evaluation read the facts. Costs at most one extra evaluation of a session that had a fact then.
 */
export const FACT_COMMIT_MARGIN_MS = 2_000;

/**
 * The ids, in id order after `after`, of sessions the evaluator owes something: running (or just
 * ended) with facts received since their last evaluation, never evaluated, or past their next
 * deadline; ended and not finalized. `evaluatedAt`/`wakeAt` are written by the evaluator in its
 * write transaction (services/session-evaluator.ts), so a session evaluated since is not picked.
 */
export async function findSessionsToEvaluate(prisma: Db, now: Date, after = FIRST_UUID): Promise<string[]> {
  const openFrom = new Date(now.getTime() + SESSION_MATCH_MARGIN_MS);
  const openUntil = new Date(now.getTime() - SESSION_MATCH_MARGIN_MS);
  // A late fact (a post-meeting report, a straggling webhook) after the end still counts while close-out may run.
  const lateUntil = new Date(now.getTime() - CLOSE_OUT_HORIZON_MS);
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT s.id FROM "Session" s
    WHERE s.id > ${after}::uuid AND (
      (s."endsAt" < ${now} AND s."finalizedAt" IS NULL)
      OR (s."startsAt" <= ${openFrom} AND s."endsAt" >= ${openUntil} AND (s."evaluatedAt" IS NULL OR s."wakeAt" <= ${now}))
      OR (s."startsAt" <= ${openFrom} AND s."endsAt" >= ${lateUntil} AND s."evaluatedAt" IS NOT NULL AND EXISTS (
        SELECT 1 FROM "PresenceEvent" e
        WHERE e."sessionId" = s.id AND e."receivedAt" > s."evaluatedAt" - ${FACT_COMMIT_MARGIN_MS} * interval '1 millisecond'))
    )
    ORDER BY s.id
    LIMIT ${PAGE}`;
  return rows.map((row) => row.id);
}

/**
 * The safety net under "enqueued after commit": evaluates every session that needs it (above),
 * re-enqueues every alert still undelivered and every finalized session not closed out. Runs every
 * minute and at start-up, so a crash between a commit and its enqueue loses nothing. Pages through
 * everything it finds: its cost follows what is owed, not how many sessions are live.
 */
export async function sweepEngine(deps: EngineSweepDeps): Promise<{ evaluated: number; failed: number }> {
  const { prisma, clock, evaluator } = deps;
  const now = clock.now();
  let evaluated = 0;
  let failed = 0;
  let firstError: unknown;
  for (let after = FIRST_UUID; ; ) {
    const ids = await findSessionsToEvaluate(prisma, now, after);
    for (const id of ids) {
      try {
        await evaluator.evaluate(id);
        evaluated += 1;
      } catch (error) {
        // One session that cannot be evaluated must not starve the rest; the job reports it below.
        failed += 1;
        firstError ??= error;
      }
    }
    if (ids.length < PAGE) break;
    after = ids[ids.length - 1]!;
  }
  for await (const ids of stuckOutboxPages(prisma, 'alert')) await deps.enqueueDeliveries(ids);
  for (let after = FIRST_UUID; ; ) {
    const notClosedOut = await prisma.session.findMany({
      where: { finalizedAt: { not: null }, endsAt: { gt: new Date(now.getTime() - CLOSE_OUT_HORIZON_MS) }, closedOutAt: null, id: { gt: after } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    for (const { id } of notClosedOut) await deps.enqueueCloseOut(id);
    if (notClosedOut.length < PAGE) break;
    after = notClosedOut[notClosedOut.length - 1]!.id;
  }
  if (firstError !== undefined) throw new Error(`the sweep could not evaluate ${failed} session(s)`, { cause: firstError });
  return { evaluated, failed };
}
