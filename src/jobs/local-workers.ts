import type PgBoss from 'pg-boss';

/**
 * This process's own workers: which bosses work no queue (a web instance), and the worker ids by queue
 * name (pg-boss knows them only by id), so a send can wake them.
 */

/** Worker ids by boss and queue name. */
const workersOf = new WeakMap<PgBoss, Map<string, Set<string>>>();
/** Bosses that send jobs and work none (a `web` instance, ROLLCALL_ROLE). */
const sendOnly = new WeakSet<PgBoss>();

export function markSendOnly(boss: PgBoss): void {
  sendOnly.add(boss);
}

export function isSendOnly(boss: PgBoss): boolean {
  return sendOnly.has(boss);
}

export function rememberWorker(boss: PgBoss, queue: string, workerId: string): void {
  let byQueue = workersOf.get(boss);
  if (!byQueue) workersOf.set(boss, (byQueue = new Map()));
  let ids = byQueue.get(queue);
  if (!ids) byQueue.set(queue, (ids = new Set()));
  ids.add(workerId);
}

/**
 * Cuts short the poll's pause of this process's workers of a queue, so a job sent for now is
 * fetched at once instead of up to a polling interval later (deadline → alert is two hops). Another
 * instance's workers still find it at their next poll; a worker busy with a batch fetches again
 * right after it.
 */
export function wakeWorkers(boss: PgBoss, queue: string): void {
  for (const id of workersOf.get(boss)?.get(queue) ?? []) boss.notifyWorker(id);
}
