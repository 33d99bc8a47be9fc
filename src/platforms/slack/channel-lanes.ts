import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls to one channel run one after another, at least `minIntervalMs` apart. This is politeness
 * within one process; across app instances Slack's 429 (with Retry-After, honoured by the outbox)
 * handles the rest.
 */
export function createChannelLanes(minIntervalMs: number) {
  const lanes = new Map<string, { tail: Promise<unknown>; lastStartedAt: number }>();
  return function inLane<T>(key: string, task: () => Promise<T>): Promise<T> {
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { tail: Promise.resolve(), lastStartedAt: -Infinity }));
    const current = lane;
    const run = current.tail.then(async () => {
      const wait = current.lastStartedAt + minIntervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      current.lastStartedAt = performance.now();
      return task();
    });
    current.tail = run.catch(() => {});
    return run;
  };
}
