import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workEach } from '../../src/jobs/boss.js';
import { QUEUES } from '../../src/jobs/queues.js';
import { sendJob } from '../../src/jobs/send-job.js';
import { wakeWorkers } from '../../src/jobs/local-workers.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ platforms: [] });
});
afterAll(() => app?.stop());

describe('a batch of jobs', () => {
  it('runs every job of a batch even when one fails, and retries only the one that failed', async () => {
    const queue = 'test.batch-each';
    await app.boss.createQueue(queue, { name: queue, policy: 'standard', retryLimit: 3, retryDelay: 60 });
    const ids: Record<string, string> = {};
    for (const key of ['a', 'bad', 'c']) ids[key] = (await app.boss.send(queue, { key }))!;
    const seen: string[] = [];
    await workEach<{ key: string }>(app.boss, createLogger('silent'), queue, { batchSize: 5, pollingIntervalSeconds: 0.5 }, async (job) => {
      seen.push(job.data.key);
      if (job.data.key === 'bad') throw new Error('the chat platform is down');
    });
    const stateOf = async (id: string) => (await app.boss.getJobById(queue, id))?.state;
    await waitFor(async () => (await stateOf(ids.a!)) === 'completed' && (await stateOf(ids.c!)) === 'completed', 10_000, 'the good jobs done');
    expect([...seen].sort()).toEqual(['a', 'bad', 'c']);
    expect(await stateOf(ids.bad!)).toBe('retry');
  });

  it('works a batch together where the queue says so: all at once, one failure retried alone', async () => {
    const queue = 'test.batch-together';
    await app.boss.createQueue(queue, { name: queue, policy: 'standard', retryLimit: 3, retryDelay: 60 });
    const ids: Record<string, string> = {};
    for (const key of ['a', 'bad', 'c', 'd']) ids[key] = (await app.boss.send(queue, { key }))!;
    let inFlight = 0;
    let most = 0;
    let releaseAll = () => {};
    const released = new Promise<void>((resolve) => (releaseAll = resolve));
    await workEach<{ key: string }>(
      app.boss,
      createLogger('silent'),
      queue,
      { batchSize: 5, pollingIntervalSeconds: 0.5 },
      async (job) => {
        most = Math.max(most, ++inFlight);
        if (most === 4) releaseAll();
        // Each job waits until all four are running: one after another, this would never end.
        await Promise.race([released, new Promise((r) => setTimeout(r, 5_000))]);
        inFlight--;
        if (job.data.key === 'bad') throw new Error('the database is busy');
      },
      true,
    );
    const stateOf = async (id: string) => (await app.boss.getJobById(queue, id))?.state;
    await waitFor(async () => (await stateOf(ids.d!)) === 'completed' && (await stateOf(ids.bad!)) === 'retry', 15_000, 'the batch worked');
    expect(most).toBe(4);
    expect([await stateOf(ids.a!), await stateOf(ids.c!)]).toEqual(['completed', 'completed']);
  });

  it('fetches again at once after a full batch, instead of pausing a polling interval between batches', async () => {
    const queue = 'test.batch-full';
    await app.boss.createQueue(queue, { name: queue, policy: 'standard' });
    for (let i = 0; i < 6; i++) await app.boss.send(queue, { i });
    const done: number[] = [];
    // A minute between polls: three batches of two would take two minutes with the pauses.
    await workEach<{ i: number }>(app.boss, createLogger('silent'), queue, { batchSize: 2, pollingIntervalSeconds: 60 }, async (job) => void done.push(job.data.i));
    await waitFor(async () => done.length === 6, 10_000, 'all six jobs done');
    expect([...done].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('wakes this process\'s idle worker of a queue when a job is sent for now', async () => {
    const queue = 'test.wake';
    await app.boss.createQueue(queue, { name: queue, policy: 'standard' });
    const done: string[] = [];
    await workEach<{ key: string }>(app.boss, createLogger('silent'), queue, { batchSize: 5, pollingIntervalSeconds: 60 }, async (job) => void done.push(job.data.key));
    // The worker's first poll found nothing; its next would be a minute later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await app.boss.send(queue, { key: 'now' });
    wakeWorkers(app.boss, queue);
    await waitFor(async () => done.length === 1, 10_000, 'the job done before the next poll');
    expect(done).toEqual(['now']);
  });

  it('fails a malformed job once with the reason, without retrying it', async () => {
    const queue = QUEUES.delivery.name;
    const bad = (await app.boss.send(queue, { alertId: 'not-a-row-id' }, { singletonKey: 'malformed' }))!;
    const job = await waitFor(async () => {
      const found = await app.boss.getJobById(queue, bad);
      return found?.state === 'cancelled' ? found : undefined;
    }, 10_000, 'the malformed job ended');
    expect(job.retryCount).toBe(0);
    expect(job.output).toEqual({ message: 'malformed payload: alertId: invalid_format' });
  });

  it('refuses to send a malformed payload', async () => {
    await expect(sendJob(app.boss, 'closeOut', { sessionId: 'not-a-row-id' })).rejects.toThrow(/sessionId/);
  });

  it('drains: waits for jobs due now in the table\'s queues, not for jobs due later', async () => {
    const [soon, late] = ['7d0c1a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6', '8e1d2b2f-3c4d-4e6f-9a01-b2c3d4e5f607'];
    const now = (await sendJob(app.boss, 'delivery', { alertId: soon! }, { singletonKey: soon }))!;
    const later = (await sendJob(app.boss, 'delivery', { alertId: late! }, { singletonKey: late, startAfter: 3600 }))!;
    await waitForDrain(app);
    expect((await app.boss.getJobById(QUEUES.delivery.name, now))?.state).toBe('completed');
    expect((await app.boss.getJobById(QUEUES.delivery.name, later))?.state).toBe('created');
  });
});
