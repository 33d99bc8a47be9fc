import { DateTime } from 'luxon';
import type { Policy } from './policy.js';

export interface MakeUpCandidate {
  id: string;
  programId: string;
  startsAt: Date;
  endsAt: Date;
  /** Participants expected at it: enrolled plus make-up guests already booked. */
  expectedCount: number;
  /** The candidate program's own session capacity (0 = no limit). */
  capacity: number;
}

export interface MakeUpQuery {
  missed: { id: string; programId: string; startsAt: Date };
  policy: Pick<Policy, 'makeUpWindowDays' | 'makeUpPartnerProgramIds'>;
  /** The participant's zone (else the program's): "not on the same day" is their day. */
  zone: string;
  now: Date;
  candidates: MakeUpCandidate[];
  /** Sessions the participant is already expected at (their own or booked): never offered again. */
  alreadyExpectedIds?: ReadonlySet<string>;
}

/**
 * Sessions that may stand in for a missed one (DESIGN.md, "Make-ups"): of the same program or a
 * partner program, starting in the future and within `makeUpWindowDays` after the missed session,
 * not on the missed session's day, with room left. Earliest first.
 */
export function eligibleMakeUps(query: MakeUpQuery): MakeUpCandidate[] {
  const programs = new Set([query.missed.programId, ...query.policy.makeUpPartnerProgramIds]);
  const windowEnd = query.missed.startsAt.getTime() + query.policy.makeUpWindowDays * 86_400_000;
  const missedDay = DateTime.fromJSDate(query.missed.startsAt, { zone: query.zone }).toISODate();
  return query.candidates
    .filter(
      (c) =>
        c.id !== query.missed.id &&
        programs.has(c.programId) &&
        c.startsAt > query.now &&
        c.startsAt.getTime() <= windowEnd &&
        DateTime.fromJSDate(c.startsAt, { zone: query.zone }).toISODate() !== missedDay &&
        (c.capacity === 0 || c.expectedCount < c.capacity) &&
        !query.alreadyExpectedIds?.has(c.id),
    )
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
