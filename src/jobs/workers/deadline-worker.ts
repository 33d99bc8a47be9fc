import type { Logger } from 'pino';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import type { Boss } from '../boss.js';
import { workQueue } from '../work-queue.js';

/** A session's deadline (no-show check, rejoin window, end): evaluate it again. */
export async function workDeadlines(deps: { boss: Boss; log: Logger; evaluator: SessionEvaluator }): Promise<void> {
  await workQueue(deps.boss, deps.log, 'deadline', async (job) => deps.evaluator.evaluate(job.data.sessionId));
}
