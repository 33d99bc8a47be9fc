import { createRequire } from 'node:module';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { createQueues } from './queues.js';
import { isSendOnly, markSendOnly, rememberWorker } from './local-workers.js';

export type Boss = PgBoss;

/**
 * pg-boss 10's worker loop completes or fails a fetched batch without awaiting it (manager.js,
 * `this.complete(...)` / `this.fail(...)` after the handler). While the database is away that
 * promise rejects with nobody listening, and Node ends the process on an unhandled rejection: an
 * outage of a few seconds would kill every instance. The rejection is turned into the manager's
 * `error` event (logged below); the job stays active and pg-boss retries it when it expires.
 * Callers that await complete/fail still get the rejection.
 */
function reportUnawaitedCompletions(): void {
  type Manager = { prototype: Record<string, (...args: unknown[]) => Promise<unknown>> & { emit?: unknown } };
  const manager = createRequire(import.meta.url)('pg-boss/src/manager.js') as Manager;
  if ((manager.prototype as { rollcallGuarded?: boolean }).rollcallGuarded) return;
  for (const name of ['complete', 'fail'] as const) {
    const original = manager.prototype[name]!;
    const guarded = function (this: { emit(event: string, error: unknown): void }, ...args: unknown[]) {
      const result = original.apply(this, args);
      result.catch((error: unknown) => this.emit('error', error));
      return result;
    };
    // PgBoss exposes the manager's functions under their `name`s (index.js): an unnamed wrapper
    // would leave `boss.complete` and `boss.fail` undefined.
    Object.defineProperty(guarded, 'name', { value: name });
    manager.prototype[name] = guarded;
  }
  (manager.prototype as { rollcallGuarded?: boolean }).rollcallGuarded = true;
}

/**
 * pg-boss on the app's own database, in schema `pgboss` (its tables come from pg-boss's own
 * migrations), with every queue of the table (queues.ts) created.
 */
export async function startBoss(url: string, log: Logger, options: { work?: boolean } = {}): Promise<Boss> {
  reportUnawaitedCompletions();
  // A web instance (ROLLCALL_ROLE) sends jobs only: no worker, and no cron or maintenance of its own.
  const work = options.work ?? true;
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 5, ...(work ? {} : { supervise: false, schedule: false }) });
  if (!work) markSendOnly(boss);
  let stopping = false;
  boss.on('stopped', () => (stopping = true));
  // When the server stops, pg-boss's idle connections are terminated: expected, not an error.
  boss.on('error', (error) => (stopping ? log.debug({ err: error }, 'job queue connection closed') : log.error({ err: error }, 'job queue error')));
  const stop = boss.stop.bind(boss);
  boss.stop = (options) => {
    stopping = true;
    return stop(options);
  };
  await boss.start();
  try {
    await createQueues(boss);
  } catch (error) {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    throw error;
  }
  return boss;
}

/**
 * A worker that handles each job of a fetched batch on its own. pg-boss fails every job of a batch
 * when its handler throws, and never runs the jobs after the one that threw; their retries then
 * back off exponentially while new sends for the same singleton keys are refused. Here one job's
 * error retries that job only (it is failed by id; pg-boss completes the rest after the handler).
 */
export async function workEach<T extends object>(
  boss: Boss,
  log: Logger,
  name: string,
  options: PgBoss.WorkOptions,
  handler: (job: PgBoss.Job<T>) => Promise<void>,
  /** Work a fetched batch's jobs at the same time (independent jobs, e.g. different sessions' deadlines) rather than one after another. */
  together = false,
): Promise<void> {
  // A web instance registers its queues' handlers like any other and fetches nothing.
  if (isSendOnly(boss)) return;
  const one = async (job: PgBoss.Job<T>) => {
    try {
      await handler(job);
    } catch (error) {
      log.warn({ err: error, queue: name, jobId: job.id }, 'job failed; it will be retried');
      await boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) });
    }
  };
  let workerId: string | undefined;
  workerId = await boss.work<T>(name, options, async (jobs) => {
    // A full batch means more may be waiting: pg-boss would pause a whole polling interval before
    // fetching again, capping a queue at batchSize jobs per interval (10 a second for the fast
    // queues: a top-of-the-hour burst of deadlines queued for a minute and more).
    if (workerId && jobs.length >= (options.batchSize ?? 1)) boss.notifyWorker(workerId);
    if (together) await Promise.all(jobs.map(one));
    else for (const job of jobs) await one(job);
  });
  rememberWorker(boss, name, workerId);
}
