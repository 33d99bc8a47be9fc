import type { Logger } from 'pino';
import type { Boss } from './boss.js';

export const INBOUND_RETRY_QUEUE = { name: 'inbound.retry', policy: 'singleton', retryLimit: 0 } as const;

/**
 * Every minute, stored inbound deliveries whose attempt failed, or whose process died after
 * acknowledging them, are worked again (each platform's own `retry`). One instance at a time.
 */
export async function registerInboundRetry(deps: { boss: Boss; log: Logger; retries: (() => Promise<void>)[] }): Promise<() => Promise<void>> {
  const { boss, log } = deps;
  const retryAll = async () => {
    for (const retry of deps.retries) await retry();
  };
  await boss.createQueue(INBOUND_RETRY_QUEUE.name, { ...INBOUND_RETRY_QUEUE });
  await boss.work(INBOUND_RETRY_QUEUE.name, async () => retryAll());
  await boss.schedule(INBOUND_RETRY_QUEUE.name, '* * * * *', {});
  log.debug('inbound retry scheduled');
  return retryAll;
}
