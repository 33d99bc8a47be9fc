/** What a start-up opened, closed in reverse order: on stop (gracefully), or after a failed start (at once). */
export interface StopList {
  add(stop: (graceful: boolean) => Promise<unknown> | unknown): void;
  stopAll(graceful: boolean): Promise<void>;
}

export function createStopList(): StopList {
  const stops: ((graceful: boolean) => Promise<unknown> | unknown)[] = [];
  return {
    add: (stop) => void stops.push(stop),
    async stopAll(graceful) {
      // A failed start still closes everything it opened; the first failure is the one reported.
      let failure: unknown;
      for (const stop of stops.splice(0).reverse()) {
        try {
          await stop(graceful);
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure !== undefined) throw failure;
    },
  };
}
