import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { closeOutSession, type CloseOutStep } from '../../services/session-close-out.js';
import type { Boss } from '../boss.js';
import { workQueue } from '../work-queue.js';

/** A finalized session's close-out steps (summary, strikes, follow-ups, reconciliation), in order. */
export async function workCloseOuts(deps: { boss: Boss; prisma: Db; clock: Clock; log: Logger; steps: readonly CloseOutStep[] }): Promise<void> {
  const { boss, prisma, clock, log, steps } = deps;
  await workQueue(boss, log, 'closeOut', async (job) => closeOutSession({ prisma, clock, log, steps }, job.data.sessionId));
}
