import type { AttendanceReportSource, ReconciliationDeps } from '../../services/reconciliation.js';
import { reconcileSession, recordReconciliationUnavailable } from '../../services/reconciliation.js';
import type { Boss } from '../boss.js';
import { workQueue } from '../work-queue.js';

export interface ReconcileWorkerDeps extends ReconciliationDeps {
  boss: Boss;
  /** Read when a job runs, so platforms may add their sources after start. */
  sources: AttendanceReportSource[];
}

/** Asks one source for a session's post-meeting report; one not published yet fails the job, so pg-boss asks again. */
export async function workReconciliations(deps: ReconcileWorkerDeps): Promise<void> {
  await workQueue(deps.boss, deps.log, 'reconcile', async (job) => {
    const { sessionId, source: sourceName } = job.data;
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
  });
}
