import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoss, type Boss } from '../../src/jobs/boss.js';
import { createLogger } from '../../src/logger.js';
import { startDatabaseProxy, type DatabaseProxy } from '../support/database-proxy.js';
import { createTestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

let proxy: DatabaseProxy;
let boss: Boss;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  proxy = await startDatabaseProxy(await createTestDatabase());
  boss = await startBoss(proxy.url, createLogger('silent'));
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  proxy?.restore();
  await boss?.stop({ graceful: false, wait: true }).catch(() => {});
  await proxy?.close();
});

describe('the job runner when the database goes away under a running job', () => {
  it('reports the failed completion as an error event instead of an unhandled rejection, and works on once the database is back', async () => {
    const queue = 'test.outage';
    await boss.createQueue(queue, { name: queue, policy: 'standard', retryLimit: 3, retryDelay: 0, expireInSeconds: 1 });
    const errors: unknown[] = [];
    boss.on('error', (error) => errors.push(error));
    const id = (await boss.send(queue, { n: 1 }))!;
    let runs = 0;
    await boss.work(queue, { pollingIntervalSeconds: 0.5 }, async () => {
      runs += 1;
      // The first run loses the database before pg-boss records its completion.
      if (runs === 1) proxy.cut();
    });
    await waitFor(() => (errors.length > 0 ? true : undefined), 10_000, 'the error event');
    expect(unhandled).toEqual([]);
    proxy.restore();
    // Not lost: still active, so pg-boss's expiry (its maintenance, minutes) hands it out again.
    expect((await boss.getJobById(queue, id))?.state).toBe('active');
    const next = (await boss.send(queue, { n: 2 }))!;
    await waitFor(async () => ((await boss.getJobById(queue, next))?.state === 'completed' ? true : undefined), 10_000, 'the next job completed');
    expect(runs).toBe(2);
    expect(unhandled).toEqual([]);
  });
});
