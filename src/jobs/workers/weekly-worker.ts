import type { Clock } from '../../clock.js';
import type { CareDeps } from '../../services/care-deps.js';
import { sendWeeklyProgress } from '../../services/weekly-progress.js';
import type { Boss } from '../boss.js';
import { toStartAfter } from '../queues.js';
import { sendJob } from '../send-job.js';
import { workQueue } from '../work-queue.js';

/** One job per (enrollment, instant), however many instances plan it. */
export async function sendWeeklyJob(boss: Boss, clock: Clock, enrollmentId: string, at: Date): Promise<void> {
  const iso = at.toISOString();
  await sendJob(boss, 'weekly', { enrollmentId, at: iso }, { singletonKey: `${enrollmentId}@${iso}`, startAfter: toStartAfter(clock, at) });
}

/** A participant's weekly progress message at its time; a job that woke early waits again. */
export async function workWeeklyProgress(deps: CareDeps & { boss: Boss }): Promise<void> {
  const { boss, clock } = deps;
  await workQueue(boss, deps.log, 'weekly', async (job) => {
    const at = new Date(job.data.at);
    if (clock.now().getTime() < at.getTime() - 1000) await sendWeeklyJob(boss, clock, job.data.enrollmentId, at);
    else await sendWeeklyProgress(deps, job.data.enrollmentId);
  });
}
