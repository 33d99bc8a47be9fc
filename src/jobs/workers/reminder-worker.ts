import type { Clock } from '../../clock.js';
import type { CareDeps } from '../../services/care-deps.js';
import { sendSessionReminders } from '../../services/reminders.js';
import type { Boss } from '../boss.js';
import { toStartAfter } from '../queues.js';
import { sendJob } from '../send-job.js';
import { workQueue } from '../work-queue.js';

/** One job per (session, due instant), however many instances plan it. */
export async function sendReminderJob(boss: Boss, clock: Clock, sessionId: string, due: Date): Promise<void> {
  const at = due.toISOString();
  await sendJob(boss, 'reminder', { sessionId, at }, { singletonKey: `${sessionId}@${at}`, startAfter: toStartAfter(clock, due) });
}

/** A session's reminders at their due time; a job that woke early (the clock was set back) waits again. */
export async function workReminders(deps: CareDeps & { boss: Boss }): Promise<void> {
  const { boss, clock } = deps;
  await workQueue(boss, deps.log, 'reminder', async (job) => {
    const due = new Date(job.data.at);
    if (clock.now().getTime() < due.getTime() - 1000) await sendReminderJob(boss, clock, job.data.sessionId, due);
    else await sendSessionReminders(deps, job.data.sessionId);
  });
}
