import type { Db } from './database.js';

export interface DatabaseProbe {
  /** True when a `SELECT 1` answered within the timeout; one answer is reused for `cacheMs`. */
  isUp(): Promise<boolean>;
}

/**
 * Health checks run often (every few seconds, from every load balancer); the answer is cached and a
 * check in flight is shared, so a wedged database costs one pending query, not one per request.
 */
export function createDatabaseProbe(prisma: Db, options: { timeoutMs?: number; cacheMs?: number; nowMs?: () => number } = {}): DatabaseProbe {
  const timeoutMs = options.timeoutMs ?? 1000;
  const cacheMs = options.cacheMs ?? 1000;
  const nowMs = options.nowMs ?? Date.now;
  let last: { up: boolean; at: number } | undefined;
  let pending: Promise<boolean> | undefined;

  const check = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const query = prisma.$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    isUp() {
      if (last && nowMs() - last.at < cacheMs) return Promise.resolve(last.up);
      pending ??= check().then((up) => {
        last = { up, at: nowMs() };
        pending = undefined;
        return up;
      });
      return pending;
    },
  };
}
