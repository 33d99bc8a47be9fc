import type { Logger } from 'pino';
import type { Boss } from '../boss.js';
import { scheduleQueue } from '../queues.js';
import { workQueue } from '../work-queue.js';

/** The engine's safety sweep (services/engine-sweep.ts), every minute on one instance at a time. */
export async function workSweep(deps: { boss: Boss; log: Logger; sweep: () => Promise<void> }): Promise<void> {
  await workQueue(deps.boss, deps.log, 'sweep', async () => deps.sweep());
  await scheduleQueue(deps.boss, 'sweep');
}
