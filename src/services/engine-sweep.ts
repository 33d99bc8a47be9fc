import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { SESSION_MATCH_MARGIN_MS } from './presence/session-window.js';
import { CLOSE_OUT_HORIZON_MS } from './session-close-out.js';
import type { SessionEvaluator } from './session-evaluator.js';
import { findStuckOutboxIds } from './stuck-outbox.js';

export interface EngineSweepDeps {
  prisma: Db;
  clock: Clock;
  evaluator: Pick<SessionEvaluator, 'evaluate'>;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
  enqueueCloseOut(sessionId: string): Promise<void>;
}

/**
 * The safety net under "enqueued after commit": evaluates every session that is running or
 * unfinished, re-enqueues every alert still undelivered and every finalized session not closed
 * out. Runs every minute and at start-up, so a crash between a commit and its enqueue loses nothing.
 */
export async function sweepEngine(deps: EngineSweepDeps): Promise<void> {
  const { prisma, clock, evaluator } = deps;
  const now = clock.now();
  const sessions = await prisma.session.findMany({
    where: {
      OR: [
        { startsAt: { lte: new Date(now.getTime() + SESSION_MATCH_MARGIN_MS) }, endsAt: { gte: new Date(now.getTime() - SESSION_MATCH_MARGIN_MS) } },
        { endsAt: { lt: now }, finalizedAt: null },
      ],
    },
    select: { id: true },
    take: 500,
  });
  for (const { id } of sessions) await evaluator.evaluate(id);
  await deps.enqueueDeliveries(await findStuckOutboxIds(prisma, 'alert'));
  const notClosedOut = await prisma.session.findMany({
    where: { finalizedAt: { not: null }, endsAt: { gt: new Date(now.getTime() - CLOSE_OUT_HORIZON_MS) }, closedOutAt: null },
    select: { id: true },
    take: 200,
  });
  for (const { id } of notClosedOut) await deps.enqueueCloseOut(id);
}
