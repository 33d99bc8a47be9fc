import type { Logger } from 'pino';
import { deliverAlert, type DeliveryDeps } from '../../services/alert-delivery.js';
import type { Boss } from '../boss.js';
import { sendJob } from '../send-job.js';
import { workQueue } from '../work-queue.js';

/** Posts or edits an alert's chat message; a chat API's Retry-After becomes a later job, an error a retry. */
export async function workAlertDeliveries(deps: { boss: Boss; log: Logger; delivery: DeliveryDeps }): Promise<void> {
  const { boss } = deps;
  await workQueue(boss, deps.log, 'delivery', async (job) => {
    const { alertId } = job.data;
    const result = await deliverAlert(deps.delivery, alertId);
    if (result.outcome === 'later') await sendJob(boss, 'delivery', { alertId }, { singletonKey: alertId, startAfter: result.afterSeconds });
    else if (result.outcome === 'retry') throw new Error(`delivery will be retried: ${result.error}`);
  });
}
