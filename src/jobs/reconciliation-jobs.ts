import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Boss } from './boss.js';
import { reconcileSession, recordReconciliationUnavailable, type AttendanceReportSource, type ReconciliationDeps } from '../services/reconciliation.js';
import type { CloseOutStep } from '../services/session-close-out.js';

/** Asks again every 10 minutes for about three hours: Graph publishes attendance up to ~2 h after a meeting. */
export const RECONCILE_QUEUE = { name: 'session.reconcile', policy: 'short', retryLimit: 18, retryDelay: 600, retryBackoff: false } as const;

export interface ReconciliationJobDeps extends ReconciliationDeps {
  boss: Boss;
  /** Read when a session closes out, so platforms may add their sources after start. */
  sources: AttendanceReportSource[];
}

/**
 * Post-meeting reports as durable jobs: a close-out step enqueues one per source that knows the
 * session's meeting platform; a report not published yet fails the job so pg-boss asks again.
 */
export async function registerReconciliation(deps: ReconciliationJobDeps): Promise<CloseOutStep> {
  const { boss, prisma, log } = deps;
  await boss.createQueue(RECONCILE_QUEUE.name, { ...RECONCILE_QUEUE });
  await boss.work<{ sessionId: string; source: string }>(RECONCILE_QUEUE.name, async (jobs) => {
    for (const job of jobs) await runReconciliation(deps, job.data.sessionId, job.data.source);
  });
  return {
    name: 'reconcile',
    async run(sessionId) {
      const session = await prisma.session.findUnique({ where: { id: sessionId }, select: { meetingPlatform: true, endsAt: true } });
      if (!session) return;
      for (const source of deps.sources.filter((s) => s.platform === session.meetingPlatform)) {
        const at = new Date(session.endsAt.getTime() + source.firstAttemptAfterMs);
        await boss.send(RECONCILE_QUEUE.name, { sessionId, source: source.name }, { singletonKey: `${sessionId}:${source.name}`, startAfter: realStart(deps.clock, at) });
        log.debug({ sessionId, source: source.name }, 'reconciliation scheduled');
      }
    },
  };
}

function realStart(clock: Clock, at: Date): Date {
  const real = clock.toRealTime(at);
  return real.getTime() > Date.now() ? real : new Date();
}

async function runReconciliation(deps: ReconciliationJobDeps, sessionId: string, sourceName: string): Promise<void> {
  const source = deps.sources.find((s) => s.name === sourceName);
  const session = await deps.prisma.session.findUnique({ where: { id: sessionId } });
  if (!source || !session) return;
  const report = await source.fetch(session);
  if (report.status === 'not_ready') throw new Error(`${source.name} report for session ${sessionId} is not published yet`);
  if (report.status === 'unavailable') {
    await recordReconciliationUnavailable(deps.prisma, sessionId, source.name, report.reason);
    deps.log.info({ sessionId, source: source.name, reason: report.reason }, 'no post-meeting report');
    return;
  }
  await reconcileSession(deps, source, session, report.stays);
}
