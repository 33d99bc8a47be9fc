import type PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Clock } from '../clock.js';

/** Row ids are PostgreSQL uuids: a malformed one would fail its query on every retry. */
const rowId = z.guid();
/** An app-clock instant, as the job was scheduled for (ISO 8601). */
const instant = z.iso.datetime({ offset: true });
/** Cron and start-up jobs carry nothing. */
const nothing = z.object({});

/** Deadlines, deliveries and close-outs: pg-boss polls no faster than every 0.5 s. */
const FAST = { pollingIntervalSeconds: 0.5, batchSize: 5 };
/** Reminders and weekly messages may run a second or two late. */
const SLOW = { pollingIntervalSeconds: 2, batchSize: 5 };

interface QueueDefinition<Payload extends z.ZodType> {
  name: string;
  /** How pg-boss keeps the queue: its policy, retries and backoff. */
  options: Omit<PgBoss.Queue, 'name'>;
  payload: Payload;
  /** How workers fetch (pg-boss's defaults: one job every 2 s). */
  polling?: PgBoss.WorkOptions;
  /** A periodic queue: pg-boss's cron sends it a job on this schedule (UTC). */
  cron?: string;
  /** A fetched batch's jobs run at the same time (boss.ts workEach); one after another otherwise. */
  together?: boolean;
}

const defineQueue = <Payload extends z.ZodType>(queue: QueueDefinition<Payload>) => queue;

/**
 * Durable work as data: every queue's name, options and payload schema. Payloads are checked on
 * send (a bug fails at its caller) and on receive (a malformed job fails once with the reason).
 */
export const QUEUES = {
  /** Evaluate a session again at an instant its evaluation asked for. */
  deadline: defineQueue({
    name: 'session.deadline',
    options: { policy: 'short', retryLimit: 5, retryDelay: 2, retryBackoff: true },
    payload: z.object({ sessionId: rowId, at: instant }),
    polling: FAST,
    // At the top of the hour a minute holds one deadline per starting group: worked one at a time
    // they queued for a minute (docs/performance.md). Sessions are independent and the evaluator
    // locks each one; a batch of five holds at most five of the pool's ten connections.
    together: true,
  }),
  /**
   * A session's facts, stored by a `web` instance (ROLLCALL_ROLE), to be evaluated by an instance that
   * works jobs. Policy `short`: one job waits per session however many facts arrive; an evaluation
   * running meanwhile leaves room for one more, which reads everything stored by then. Two jobs of one
   * session that do run at once are ordered by the evaluator's row lock.
   */
  evaluate: defineQueue({
    name: 'session.evaluate',
    options: { policy: 'short', retryLimit: 5, retryDelay: 1, retryBackoff: true },
    payload: z.object({ sessionId: rowId }),
    polling: FAST,
    together: true,
  }),
  delivery: defineQueue({
    name: 'alert.deliver',
    options: { policy: 'short', retryLimit: 10, retryDelay: 1, retryBackoff: true },
    payload: z.object({ alertId: rowId }),
    polling: FAST,
  }),
  /** The safety net under "enqueued after commit" (services/engine-sweep.ts): every minute and at start-up. */
  sweep: defineQueue({ name: 'engine.sweep', options: { policy: 'singleton', retryLimit: 0 }, payload: nothing, cron: '* * * * *' }),
  /** A finalized session's close-out: staff wait for its summary in the channel. */
  closeOut: defineQueue({
    name: 'session.close_out',
    options: { policy: 'short', retryLimit: 8, retryDelay: 5, retryBackoff: true },
    payload: z.object({ sessionId: rowId }),
    polling: FAST,
  }),
  /** Asks again every 10 minutes for about three hours: Graph publishes attendance up to ~2 h after a meeting. */
  reconcile: defineQueue({
    name: 'session.reconcile',
    options: { policy: 'short', retryLimit: 18, retryDelay: 600, retryBackoff: false },
    payload: z.object({ sessionId: rowId, source: z.string().min(1) }),
  }),
  /** Keeps every schedule's sessions created 14 days ahead: hourly, and once at start-up. */
  planSessions: defineQueue({ name: 'sessions.plan', options: { policy: 'singleton' }, payload: nothing, cron: '17 * * * *' }),
  participantDelivery: defineQueue({
    name: 'participant.deliver',
    options: { policy: 'short', retryLimit: 10, retryDelay: 1, retryBackoff: true },
    payload: z.object({ id: rowId }),
    polling: FAST,
  }),
  reminder: defineQueue({
    name: 'care.reminder',
    options: { policy: 'short', retryLimit: 5, retryDelay: 5, retryBackoff: true },
    payload: z.object({ sessionId: rowId, at: instant }),
    polling: SLOW,
  }),
  weekly: defineQueue({
    name: 'care.weekly',
    options: { policy: 'short', retryLimit: 5, retryDelay: 5, retryBackoff: true },
    payload: z.object({ enrollmentId: rowId, at: instant }),
    polling: SLOW,
  }),
  /** Plans reminders and weekly messages over the horizon: every minute and at start-up. */
  carePlan: defineQueue({ name: 'care.plan', options: { policy: 'singleton', retryLimit: 0 }, payload: nothing, cron: '* * * * *' }),
  /** Stored inbound deliveries whose attempt failed, or whose process died after acknowledging them. */
  inboundRetry: defineQueue({ name: 'inbound.retry', options: { policy: 'singleton', retryLimit: 0 }, payload: nothing, cron: '* * * * *' }),
  /** Clinics without any platform: warned, then deleted after ORGANIZATION_RETENTION_DAYS (services/leaving/inactivity.ts). Daily. */
  retention: defineQueue({ name: 'organizations.retention', options: { policy: 'singleton', retryLimit: 2, retryDelay: 600 }, payload: nothing, cron: '23 3 * * *' }),
} as const;

export type QueueKey = keyof typeof QUEUES;
export type PayloadOf<K extends QueueKey> = z.infer<(typeof QUEUES)[K]['payload']>;

/** Creates every queue of the table (idempotent: pg-boss keeps an existing queue as it is). */
export async function createQueues(boss: PgBoss): Promise<void> {
  for (const queue of Object.values(QUEUES)) await boss.createQueue(queue.name, { ...queue.options, name: queue.name });
}

/** Has pg-boss's cron send a periodic queue of the table a job on its schedule. */
export async function scheduleQueue(boss: PgBoss, key: QueueKey): Promise<void> {
  const queue: QueueDefinition<z.ZodType> = QUEUES[key];
  if (!queue.cron) throw new Error(`queue ${queue.name} has no schedule`);
  await boss.schedule(queue.name, queue.cron, {});
}

/**
 * When pg-boss should start a job due at `at` on the app clock: the real instant that clock will
 * read `at` (a scaled demo clock runs fast), or now when that has passed.
 */
export function toStartAfter(clock: Clock, at: Date): Date {
  const real = clock.toRealTime(at);
  return real.getTime() > Date.now() ? real : new Date();
}
