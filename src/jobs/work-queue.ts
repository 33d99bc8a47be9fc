import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { workEach } from './boss.js';
import { QUEUES, type PayloadOf, type QueueKey } from './queues.js';

/** A job's payload as it was received; its parsed data is what the handler is given. */
export type CheckedJob<K extends QueueKey> = { id: string; data: PayloadOf<K> };

/**
 * Works a queue of the table (workEach: one job at a time, or a batch together where the queue says so), each payload checked against the
 * queue's schema first. A malformed job can never succeed: it is failed once with the schema's
 * reason (paths and codes, never values) and cancelled, rather than retried until its limit.
 */
export async function workQueue<K extends QueueKey>(boss: PgBoss, log: Logger, key: K, handler: (job: CheckedJob<K>) => Promise<void>): Promise<void> {
  const queue = QUEUES[key];
  await workEach<object>(boss, log, queue.name, queue.polling ?? {}, async (job) => {
    const parsed = queue.payload.safeParse(job.data);
    if (!parsed.success) {
      const reason = `malformed payload: ${describeIssues(parsed.error.issues)}`;
      log.error({ queue: queue.name, jobId: job.id, reason }, 'malformed job failed; it will not be retried');
      await boss.fail(queue.name, job.id, { message: reason });
      await boss.cancel(queue.name, job.id);
      return;
    }
    await handler({ id: job.id, data: parsed.data as PayloadOf<K> });
  }, queue.together ?? false);
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(payload)'}: ${issue.code}`).join('; ');
}
