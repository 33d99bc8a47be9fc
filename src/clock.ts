/**
 * The one place the app reads the time. Core functions take `now` as an argument; services ask a
 * Clock. A scaled clock runs the demo fast: its minutes pass in real seconds, and deadlines are
 * scheduled at the real instant that corresponds to their virtual time.
 */
export interface Clock {
  now(): Date;
  /** The real (wall-clock) instant at which this clock will read `at`. */
  toRealTime(at: Date): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
  toRealTime: (at) => at,
};

export function createScaledClock(options: { origin: Date; speed: number; realStart?: Date }): Clock {
  const realStart = (options.realStart ?? new Date()).getTime();
  const origin = options.origin.getTime();
  return {
    now: () => new Date(origin + (Date.now() - realStart) * options.speed),
    toRealTime: (at) => new Date(realStart + (at.getTime() - origin) / options.speed),
  };
}
