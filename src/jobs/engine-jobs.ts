import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { DeliveryDeps } from '../services/alert-delivery.js';
import { sweepEngine } from '../services/engine-sweep.js';
import type { CloseOutStep } from '../services/session-close-out.js';
import type { SessionEvaluator } from '../services/session-evaluator.js';
import type { Boss } from './boss.js';
import { toStartAfter } from './queues.js';
import { sendJob } from './send-job.js';
import { workAlertDeliveries } from './workers/alert-delivery-worker.js';
import { workCloseOuts } from './workers/close-out-worker.js';
import { workDeadlines } from './workers/deadline-worker.js';
import { workEvaluations } from './workers/evaluation-worker.js';
import { workSweep } from './workers/sweep-worker.js';

export interface EngineQueues {
  scheduleWake(sessionId: string, at: Date): Promise<void>;
  /** A session for an instance that works jobs to evaluate (a `web` instance's hand-off). */
  enqueueEvaluation(sessionId: string): Promise<void>;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
  /** After a session is finalized: run its close-out steps (summary, strikes, follow-ups, reconciliation). */
  enqueueCloseOut(sessionId: string): Promise<void>;
}

/** The evaluation engine's sends: deadlines, alert deliveries, close-outs (queues in queues.ts). */
export async function createEngineQueues(boss: Boss, clock: Clock): Promise<EngineQueues> {
  return {
    async scheduleWake(sessionId, at) {
      // The singleton key makes one job per (session, instant), however many instances ask.
      const iso = at.toISOString();
      await sendJob(boss, 'deadline', { sessionId, at: iso }, { startAfter: toStartAfter(clock, at), singletonKey: `${sessionId}@${iso}` });
    },
    async enqueueEvaluation(sessionId) {
      await sendJob(boss, 'evaluate', { sessionId }, { singletonKey: sessionId });
    },
    async enqueueDeliveries(alertIds) {
      for (const alertId of alertIds) await sendJob(boss, 'delivery', { alertId }, { singletonKey: alertId });
    },
    async enqueueCloseOut(sessionId) {
      await sendJob(boss, 'closeOut', { sessionId }, { singletonKey: sessionId });
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
  const { boss, prisma, clock, log, evaluator, queues } = deps;
  await workDeadlines({ boss, log, evaluator });
  await workEvaluations({ boss, log, evaluator });
  await workAlertDeliveries({ boss, log, delivery: deps.delivery });
  await workCloseOuts({ boss, prisma, clock, log, steps: deps.closeOutSteps });
  const sweep = async () => {
    const { evaluated } = await sweepEngine({ prisma, clock, evaluator, enqueueDeliveries: queues.enqueueDeliveries, enqueueCloseOut: queues.enqueueCloseOut });
    if (evaluated > 0) log.debug({ evaluated }, 'the sweep evaluated sessions owed an evaluation');
  };
  await workSweep({ boss, log, sweep });
  log.debug('engine workers started');
  return { sweep };
}
