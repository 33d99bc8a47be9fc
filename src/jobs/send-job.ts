import type PgBoss from 'pg-boss';
import { QUEUES, type PayloadOf, type QueueKey } from './queues.js';

/**
 * Sends a job to a queue of the table, its payload checked first: a caller that builds a wrong
 * payload fails at once, where its stack says who, instead of in a worker later.
 */
export async function sendJob<K extends QueueKey>(boss: PgBoss, key: K, payload: PayloadOf<K>, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const queue = QUEUES[key];
  return boss.send(queue.name, queue.payload.parse(payload) as object, options);
}
