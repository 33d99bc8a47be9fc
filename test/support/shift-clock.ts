import type { Clock } from '../../src/clock.js';

/**
 * An app clock a test moves: it runs at real speed from wherever it was last set. Jobs already
 * scheduled keep their real start; after a jump, `app.sweep()` catches the engine up.
 */
export interface ShiftClock extends Clock {
  set(at: Date): void;
}

export function createShiftClock(start = new Date()): ShiftClock {
  let offset = start.getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    toRealTime: (at) => new Date(at.getTime() - offset),
    set(at) {
      offset = at.getTime() - Date.now();
    },
  };
}
