import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { planAllSessions } from '../../services/session-planner.js';
import type { Boss } from '../boss.js';
import { scheduleQueue } from '../queues.js';
import { sendJob } from '../send-job.js';
import { workQueue } from '../work-queue.js';

/** Keeps every schedule's sessions created 14 days ahead: hourly, and once at start-up. */
export async function workSessionPlanning(deps: { boss: Boss; prisma: Db; clock: Clock; log: Logger; afterSessionsCreated?: (ids: string[]) => Promise<void> }): Promise<void> {
  const { boss, prisma, clock, log } = deps;
  await workQueue(boss, log, 'planSessions', async () => {
    const created = await planAllSessions(prisma, clock.now());
    if (created.length > 0) log.info({ created: created.length }, 'sessions planned');
    await deps.afterSessionsCreated?.(created);
  });
  await scheduleQueue(boss, 'planSessions');
  await sendJob(boss, 'planSessions', {});
}
