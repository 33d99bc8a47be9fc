import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { deliverAlert, type DeliveryDeps } from '../services/alert-delivery.js';
import { SESSION_MATCH_MARGIN_MS } from '../services/ingest.js';
import type { SessionEvaluator } from '../services/session-evaluator.js';
import { workEach, type Boss } from './boss.js';
import { CLOSE_OUT_HORIZON_MS, closeOutSession, type CloseOutStep } from '../services/session-close-out.js';

/** Durable work as data: queue names and their options in one place. */
export const QUEUES = {
  deadline: { name: 'session.deadline', policy: 'short', retryLimit: 5, retryDelay: 2, retryBackoff: true },
  delivery: { name: 'alert.deliver', policy: 'short', retryLimit: 10, retryDelay: 1, retryBackoff: true },
  sweep: { name: 'engine.sweep', policy: 'singleton', retryLimit: 0 },
  closeOut: { name: 'session.close_out', policy: 'short', retryLimit: 8, retryDelay: 5, retryBackoff: true },
} as const;

/** Deadlines must fire within about a second; pg-boss polls no faster than every 0.5 s. */
const POLLING = { pollingIntervalSeconds: 0.5, batchSize: 5 };

export interface EngineQueues {
  scheduleWake(sessionId: string, at: Date): Promise<void>;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
  /** After a session is finalized: run its close-out steps (summary, strikes, follow-ups, reconciliation). */
  enqueueCloseOut(sessionId: string): Promise<void>;
}

export async function createEngineQueues(boss: Boss, clock: Clock): Promise<EngineQueues> {
  for (const queue of Object.values(QUEUES)) await boss.createQueue(queue.name, { ...queue });
  return {
    async scheduleWake(sessionId, at) {
      // The singleton key makes one job per (session, instant), however many instances ask.
      await boss.send(QUEUES.deadline.name, { sessionId, at: at.toISOString() }, {
        startAfter: clock.toRealTime(at),
        singletonKey: `${sessionId}@${at.toISOString()}`,
      });
    },
    async enqueueDeliveries(alertIds) {
      for (const alertId of alertIds) await boss.send(QUEUES.delivery.name, { alertId }, { singletonKey: alertId });
    },
    async enqueueCloseOut(sessionId) {
      await boss.send(QUEUES.closeOut.name, { sessionId }, { singletonKey: sessionId });
    },
  };
}

export interface EngineWorkerDeps {
  boss: Boss;
  prisma: Db;
  clock: Clock;
  log: Logger;
  evaluator: SessionEvaluator;
  queues: EngineQueues;
  delivery: DeliveryDeps;
  /** Read when a close-out runs, so platforms and services may add steps after the workers start. */
  closeOutSteps: CloseOutStep[];
}

export async function startEngineWorkers(deps: EngineWorkerDeps): Promise<{ sweep(): Promise<void> }> {
  const { boss, log, evaluator, queues } = deps;
  await workEach<{ sessionId: string }>(boss, log, QUEUES.deadline.name, POLLING, async (job) => evaluator.evaluate(job.data.sessionId));
  await workEach<{ alertId: string }>(boss, log, QUEUES.delivery.name, POLLING, async (job) => {
    const result = await deliverAlert(deps.delivery, job.data.alertId);
    if (result.outcome === 'later') {
      await boss.send(QUEUES.delivery.name, { alertId: job.data.alertId }, { singletonKey: job.data.alertId, startAfter: result.afterSeconds });
    } else if (result.outcome === 'retry') {
      throw new Error(`delivery will be retried: ${result.error}`);
    }
  });
  await boss.work<{ sessionId: string }>(QUEUES.closeOut.name, async (jobs) => {
    for (const job of jobs) await closeOutSession({ prisma: deps.prisma, clock: deps.clock, log, steps: deps.closeOutSteps }, job.data.sessionId);
  });
  const sweep = () => sweepEngine(deps);
  await boss.work(QUEUES.sweep.name, async () => sweep());
  await boss.schedule(QUEUES.sweep.name, '* * * * *', {});
  log.debug('engine workers started');
  return { sweep };
}

/**
 * The safety net under "enqueued after commit": evaluates every session that is running or
 * unfinished, and re-enqueues every alert still undelivered. Runs every minute and at start-up,
 * so a crash between a commit and its enqueue loses nothing.
 */
export async function sweepEngine(deps: Pick<EngineWorkerDeps, 'prisma' | 'clock' | 'evaluator' | 'queues' | 'log'>): Promise<void> {
  const { prisma, clock, evaluator, queues } = deps;
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
  // Behind by a version, whatever the state says: a delivery that finished just after an evaluation
  // bumped the version writes 'delivered' over 'pending'. updatedAt is the database's wall clock, not
  // the (possibly scaled) app clock: compare in real time.
  const undelivered = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Alert"
    WHERE "deliveredVersion" < version AND "deliveryState" IN ('pending', 'delivered') AND "updatedAt" < ${new Date(Date.now() - 20_000)}
    LIMIT 500`;
  await queues.enqueueDeliveries(undelivered.map((a) => a.id));
  const notClosedOut = await prisma.session.findMany({
    where: { finalizedAt: { not: null }, endsAt: { gt: new Date(now.getTime() - CLOSE_OUT_HORIZON_MS) }, closedOutAt: null },
    select: { id: true },
    take: 200,
  });
  for (const { id } of notClosedOut) await queues.enqueueCloseOut(id);
}

