import type { CloseOutStep } from '../services/session-close-out.js';
import { toStartAfter } from './queues.js';
import { sendJob } from './send-job.js';
import { workReconciliations, type ReconcileWorkerDeps } from './workers/reconcile-worker.js';

export type ReconciliationJobDeps = ReconcileWorkerDeps;

/**
 * Post-meeting reports as durable jobs: a close-out step enqueues one per source that knows the
 * session's meeting platform, at the source's first attempt after the session's end.
 */
export async function registerReconciliation(deps: ReconciliationJobDeps): Promise<CloseOutStep> {
  const { boss, prisma, clock, log } = deps;
  await workReconciliations(deps);
  return {
    name: 'reconcile',
    async run(sessionId) {
      const session = await prisma.session.findUnique({ where: { id: sessionId }, select: { meetingPlatform: true, endsAt: true } });
      if (!session) return;
      for (const source of deps.sources.filter((s) => s.platform === session.meetingPlatform)) {
        const at = new Date(session.endsAt.getTime() + source.firstAttemptAfterMs);
        await sendJob(boss, 'reconcile', { sessionId, source: source.name }, { singletonKey: `${sessionId}:${source.name}`, startAfter: toStartAfter(clock, at) });
        log.debug({ sessionId, source: source.name }, 'reconciliation scheduled');
      }
    },
  };
}
