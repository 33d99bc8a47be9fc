import type { Logger } from 'pino';
import type { Boss } from '../boss.js';
import { scheduleQueue } from '../queues.js';
import { sendJob } from '../send-job.js';
import { workQueue } from '../work-queue.js';

/** The care plan (reminders, weekly progress, stuck participant messages): every minute and at start-up. */
export async function workCarePlan(deps: { boss: Boss; log: Logger; plan: () => Promise<void> }): Promise<void> {
  await workQueue(deps.boss, deps.log, 'carePlan', async () => deps.plan());
  await scheduleQueue(deps.boss, 'carePlan');
  await sendJob(deps.boss, 'carePlan', {});
}
