import type PgBoss from 'pg-boss';
import { QUEUES, type QueueKey } from '../../src/jobs/queues.js';

/** What a drain waits on: the app's job runner and its in-process work. */
export interface Drainable {
  boss: PgBoss;
  idle(): Promise<void>;
}

interface DueJob {
  name: string;
  state: string;
  retry_count: number;
}

async function dueJobs(boss: PgBoss, names: string[]): Promise<DueJob[]> {
  const { rows } = await boss.getDb().executeSql(
    `SELECT name, state, retry_count FROM pgboss.job WHERE name = ANY($1) AND state IN ('created', 'retry', 'active') AND start_after <= now()`,
    [names],
  );
  return rows as DueJob[];
}

/**
 * The queues that requests, evaluations and other jobs feed. The periodic ones (the sweep, the
 * plans) are left out: a minute's cron firing during a test is not something the test did, and
 * a test that wants a sweep runs `app.sweep()` itself.
 */
const CAUSED = (Object.keys(QUEUES) as QueueKey[]).filter((key) => !('cron' in QUEUES[key]));

/**
 * Waits until the app has nothing left to do now: no job due or running in the named queues (by
 * default every queue but the periodic ones) and no in-process work, twice in a row (in-process
 * work may enqueue jobs, and a job may start in-process work). Then a test can assert that nothing
 * more happened. Jobs due later (a deadline, a retry's backoff) are not waited for.
 */
export async function waitForDrain(app: Drainable, options: { queues?: QueueKey[]; timeoutMs?: number } = {}): Promise<void> {
  const names = (options.queues ?? CAUSED).map((key) => QUEUES[key].name);
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let quiet = 0;
  for (;;) {
    await app.idle();
    const due = await dueJobs(app.boss, names);
    quiet = due.length === 0 ? quiet + 1 : 0;
    if (quiet === 2) return;
    if (Date.now() > deadline) {
      const listed = due.map((job) => `${job.name} ${job.state} after ${job.retry_count} retries`).join('; ');
      throw new Error(`timed out waiting for the queues to drain: ${listed}`);
    }
    if (due.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
