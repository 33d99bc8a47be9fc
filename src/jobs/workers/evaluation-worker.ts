import type { Logger } from 'pino';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import type { Boss } from '../boss.js';
import { workQueue } from '../work-queue.js';

/** A session whose facts a `web` instance stored: evaluate it here (its alerts, deadlines and close-out follow). */
export async function workEvaluations(deps: { boss: Boss; log: Logger; evaluator: SessionEvaluator }): Promise<void> {
  await workQueue(deps.boss, deps.log, 'evaluate', async (job) => deps.evaluator.evaluate(job.data.sessionId));
}
