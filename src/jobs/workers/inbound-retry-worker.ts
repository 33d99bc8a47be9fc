import type { Logger } from 'pino';
import type { Boss } from '../boss.js';
import { scheduleQueue } from '../queues.js';
import { workQueue } from '../work-queue.js';

/**
 * Every minute, stored inbound deliveries whose attempt failed, or whose process died after
 * acknowledging them, are worked again (each platform's own `retry`). One instance at a time.
 */
export async function workInboundRetries(deps: { boss: Boss; log: Logger; retryAll: () => Promise<void> }): Promise<void> {
  await workQueue(deps.boss, deps.log, 'inboundRetry', async () => deps.retryAll());
  await scheduleQueue(deps.boss, 'inboundRetry');
}
