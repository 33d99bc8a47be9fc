import type PgBoss from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { QUEUES } from '../../../src/jobs/queues.js';
import { sendJob } from '../../../src/jobs/send-job.js';
import { rememberWorker } from '../../../src/jobs/local-workers.js';

const ALERT = '7d0c1a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6';

/** A boss that answers sends and records which workers were woken. */
function fakeBoss(answer: string | null) {
  const woken: string[] = [];
  const boss = { send: async () => answer, notifyWorker: (id: string) => void woken.push(id) } as unknown as PgBoss;
  return { boss, woken };
}

describe('sendJob', () => {
  it('wakes this process\'s workers of the queue for a job due now, and only those', async () => {
    const { boss, woken } = fakeBoss('job-1');
    rememberWorker(boss, QUEUES.delivery.name, 'delivery-worker');
    rememberWorker(boss, QUEUES.closeOut.name, 'close-out-worker');
    await sendJob(boss, 'delivery', { alertId: ALERT });
    expect(woken).toEqual(['delivery-worker']);
  });

  it('wakes no one for a job due later, or a send refused as a duplicate', async () => {
    const later = fakeBoss('job-2');
    rememberWorker(later.boss, QUEUES.delivery.name, 'delivery-worker');
    await sendJob(later.boss, 'delivery', { alertId: ALERT }, { startAfter: 60 });
    expect(later.woken).toEqual([]);
    const duplicate = fakeBoss(null);
    rememberWorker(duplicate.boss, QUEUES.delivery.name, 'delivery-worker');
    await sendJob(duplicate.boss, 'delivery', { alertId: ALERT }, { singletonKey: ALERT });
    expect(duplicate.woken).toEqual([]);
  });
});
