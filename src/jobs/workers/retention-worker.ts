import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { runRetention } from '../../services/leaving/inactivity.js';
import type { Boss } from '../boss.js';
import { scheduleQueue } from '../queues.js';
import { workQueue } from '../work-queue.js';

/** The daily retention pass over clinics without a platform (docs/privacy.md). */
export async function workRetention(deps: { boss: Boss; prisma: Db; clock: Clock; log: Logger; retentionDays: number }): Promise<void> {
  const { boss, log } = deps;
  await workQueue(boss, log, 'retention', async () => {
    await runRetention(deps, deps.clock.now());
  });
  await scheduleQueue(boss, 'retention');
}
