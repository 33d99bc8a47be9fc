import type PgBoss from 'pg-boss';
import { QUEUES, type PayloadOf, type QueueKey } from './queues.js';
import { wakeWorkers } from './local-workers.js';

/**
 * Sends a job to a queue of the table, its payload checked first: a caller that builds a wrong
 * payload fails at once, where its stack says who, instead of in a worker later. A job due now
 * wakes this process's workers of its queue.
 */
export async function sendJob<K extends QueueKey>(boss: PgBoss, key: K, payload: PayloadOf<K>, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const queue = QUEUES[key];
  const id = await boss.send(queue.name, queue.payload.parse(payload) as object, options);
  if (id && options.startAfter === undefined) wakeWorkers(boss, queue.name);
  return id;
}
