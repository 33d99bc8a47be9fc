import type { Boss } from './jobs/boss.js';
import { startCare, type CareQueues } from './jobs/care-jobs.js';
import { startEngineWorkers, type EngineQueues } from './jobs/engine-jobs.js';
import { registerInboundRetry } from './jobs/inbound-jobs.js';
import { registerPlanningJobs } from './jobs/planning-jobs.js';
import { registerReconciliation } from './jobs/reconciliation-jobs.js';
import { workRetention } from './jobs/workers/retention-worker.js';
import { sendJob } from './jobs/send-job.js';
import type { PlatformHost } from './platforms/module.js';
import type { PlatformSet } from './platforms/platform-set.js';
import { orderCloseOutSteps } from './services/close-out-order.js';
import type { CloseOutStep } from './services/session-close-out.js';
import { sessionSummaryStep } from './services/session-summary.js';
import { strikesCloseOutStep } from './services/strikes.js';

export interface Workers {
  /** The engine's safety sweep and the retry of stored inbound deliveries, now (both also run every minute). */
  sweep(): Promise<void>;
  /** New sessions: evaluated (deadlines armed), reminders planned. */
  afterSessionsCreated(ids: string[]): Promise<void>;
  /** A participant enrolled: intake message, weekly progress planned. */
  afterEnrolled(input: { organizationId: string; programId: string; participantId: string }): Promise<void>;
}

/** Every pg-boss worker, started once every platform module has attached (their sources and steps are known). */
export async function startWorkers(host: PlatformHost, deps: { boss: Boss; queues: EngineQueues & CareQueues; platforms: PlatformSet; extraCloseOutSteps?: CloseOutStep[] }): Promise<Workers> {
  const { boss, queues, platforms } = deps;
  const reconcile = await registerReconciliation({ ...host, boss, sources: platforms.reportSources() });
  const care = await startCare({ ...host, boss });
  const closeOutSteps = orderCloseOutSteps({
    reconcile,
    platforms: platforms.closeOutSteps(),
    strikes: strikesCloseOutStep(host),
    summary: sessionSummaryStep(host),
    care: care.closeOutSteps,
    extra: deps.extraCloseOutSteps,
  });
  const delivery = { prisma: host.prisma, clock: host.clock, log: host.log, notifierFor: platforms.notifierFor };
  const engine = await startEngineWorkers({ ...host, boss, queues, delivery, closeOutSteps });
  const afterSessionsCreated = async (ids: string[]) => {
    for (const id of ids) await host.evaluator.evaluate(id);
    await care.afterSessionsCreated(ids);
  };
  await registerPlanningJobs({ ...host, boss, afterSessionsCreated });
  await workRetention({ ...host, boss, retentionDays: host.config.organizationRetentionDays });
  const retryInbound = await registerInboundRetry({ boss, log: host.log, retries: [platforms.retryStoredDeliveries] });
  // Overdue deadlines are pg-boss jobs and run at once; the sweep catches anything else a crash left.
  await sendJob(boss, 'sweep', {});
  return {
    async sweep() {
      await engine.sweep();
      await retryInbound();
    },
    afterSessionsCreated,
    afterEnrolled: care.afterEnrolled,
  };
}
