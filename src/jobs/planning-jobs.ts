import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Boss } from './boss.js';
import { workSessionPlanning } from './workers/session-planning-worker.js';

/** Keeps every schedule's sessions created 14 days ahead: hourly, and once at start-up. */
export async function registerPlanningJobs(deps: { boss: Boss; prisma: Db; clock: Clock; log: Logger; afterSessionsCreated?: (ids: string[]) => Promise<void> }): Promise<void> {
  await workSessionPlanning(deps);
}
