import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { planAllSessions } from '../services/session-planner.js';
import type { Boss } from './boss.js';

export const PLAN_SESSIONS_QUEUE = 'sessions.plan';

/** Keeps every schedule's sessions created 14 days ahead: hourly, and once at start-up. */
export async function registerPlanningJobs(deps: {
  boss: Boss;
  prisma: Db;
  clock: Clock;
  log: Logger;
  afterSessionsCreated?: (ids: string[]) => Promise<void>;
}): Promise<void> {
  const { boss, prisma, clock, log } = deps;
  await boss.createQueue(PLAN_SESSIONS_QUEUE, { name: PLAN_SESSIONS_QUEUE, policy: 'singleton' });
  await boss.work(PLAN_SESSIONS_QUEUE, async () => {
    const created = await planAllSessions(prisma, clock.now());
    if (created.length > 0) log.info({ created: created.length }, 'sessions planned');
    await deps.afterSessionsCreated?.(created);
  });
  await boss.schedule(PLAN_SESSIONS_QUEUE, '17 * * * *', {});
  await boss.send(PLAN_SESSIONS_QUEUE, {});
}
