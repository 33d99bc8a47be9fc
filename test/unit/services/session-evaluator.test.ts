import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import type { Db } from '../../../src/db/database.js';
import { createSessionEvaluator, RETRY_AFTER_FAILURE_MS } from '../../../src/services/session-evaluator.js';

const NOW = new Date('2026-11-28T18:00:00Z');

describe('session evaluator', () => {
  it('turns an evaluation that failed off the request path into a durable wake shortly after', async () => {
    const wakes: { sessionId: string; at: Date }[] = [];
    // A database that refuses the evaluation's transaction, as an exhausted pool or a dropped connection would.
    const prisma = { $transaction: async () => Promise.reject(new Error('connection terminated unexpectedly')) } as unknown as Db;
    const evaluator = createSessionEvaluator({
      prisma,
      clock: { now: () => NOW, toRealTime: (at) => at },
      log: createLogger('silent'),
      enqueueDeliveries: async () => {},
      enqueueCloseOut: async () => {},
      scheduleWake: async (sessionId, at) => void wakes.push({ sessionId, at }),
    });
    evaluator.evaluateSoon('session-1');
    await evaluator.idle();
    expect(wakes).toEqual([{ sessionId: 'session-1', at: new Date(NOW.getTime() + RETRY_AFTER_FAILURE_MS) }]);
  });

  it('still finishes when even the wake cannot be scheduled (the sweep is the last resort)', async () => {
    const prisma = { $transaction: async () => Promise.reject(new Error('down')) } as unknown as Db;
    const evaluator = createSessionEvaluator({
      prisma,
      clock: { now: () => NOW, toRealTime: (at) => at },
      log: createLogger('silent'),
      enqueueDeliveries: async () => {},
      enqueueCloseOut: async () => {},
      scheduleWake: async () => Promise.reject(new Error('job queue down too')),
    });
    evaluator.evaluateSoon('session-2');
    await expect(evaluator.idle()).resolves.toBeUndefined();
  });

  it('turns a burst of requests for one session into one evaluation, and idle() waits for it', async () => {
    let transactions = 0;
    const prisma = { $transaction: async () => (transactions++, null) } as unknown as Db;
    const evaluator = createSessionEvaluator({
      prisma,
      clock: { now: () => NOW, toRealTime: (at) => at },
      log: createLogger('silent'),
      enqueueDeliveries: async () => {},
      enqueueCloseOut: async () => {},
      scheduleWake: async () => {},
      debounceMs: 30,
    });
    for (let i = 0; i < 12; i++) {
      evaluator.evaluateSoon('session-3');
      await Promise.resolve(); // each webhook's insert resolves in its own turn
    }
    evaluator.evaluateSoon('session-4');
    expect(transactions).toBe(0); // still inside the window
    await evaluator.idle();
    expect(transactions).toBe(2); // one for session-3's twelve, one for session-4
  });

  it('evaluates again when asked during an evaluation: nothing asked for is dropped', async () => {
    const started: string[] = [];
    let release!: () => void;
    const firstBlocks = new Promise<void>((resolve) => (release = resolve));
    const prisma = {
      $transaction: async () => {
        started.push('evaluation');
        if (started.length === 1) await firstBlocks;
        return null;
      },
    } as unknown as Db;
    const evaluator = createSessionEvaluator({
      prisma,
      clock: { now: () => NOW, toRealTime: (at) => at },
      log: createLogger('silent'),
      enqueueDeliveries: async () => {},
      enqueueCloseOut: async () => {},
      scheduleWake: async () => {},
      debounceMs: 5,
    });
    evaluator.evaluateSoon('session-5');
    while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    evaluator.evaluateSoon('session-5'); // a fact stored while the first evaluation reads
    evaluator.evaluateSoon('session-5');
    release();
    await evaluator.idle();
    expect(started).toHaveLength(2);
  });

  it('runs at most `concurrency` evaluations at once across sessions, and still evaluates every one', async () => {
    let inFlight = 0;
    let most = 0;
    const evaluated: number[] = [];
    const prisma = {
      $transaction: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        evaluated.push(1);
        return null;
      },
    } as unknown as Db;
    const evaluator = createSessionEvaluator({
      prisma,
      clock: { now: () => NOW, toRealTime: (at) => at },
      log: createLogger('silent'),
      enqueueDeliveries: async () => {},
      enqueueCloseOut: async () => {},
      scheduleWake: async () => {},
      debounceMs: 1,
      concurrency: 2,
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) evaluator.evaluateSoon(id);
    await evaluator.idle();
    expect(most).toBe(2);
    expect(evaluated).toHaveLength(5);
  });
});
