import type { Logger } from 'pino';
import type { Boss } from './boss.js';
import { workInboundRetries } from './workers/inbound-retry-worker.js';

/**
 * Stored inbound deliveries are worked again every minute (each platform's own `retry`); returns
 * the retry of them all, which the app's `sweep()` also runs.
 */
export async function registerInboundRetry(deps: { boss: Boss; log: Logger; retries: (() => Promise<void>)[] }): Promise<() => Promise<void>> {
  const retryAll = async () => {
    for (const retry of deps.retries) await retry();
  };
  await workInboundRetries({ boss: deps.boss, log: deps.log, retryAll });
  deps.log.debug('inbound retry scheduled');
  return retryAll;
}
