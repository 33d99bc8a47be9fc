import { describe, expect, it } from 'vitest';
import { eligibleMakeUps, type MakeUpCandidate } from '../../../src/core/makeups.js';

const P = '00000000-0000-4000-8000-00000000000a';
const PARTNER = '00000000-0000-4000-8000-00000000000b';
const OTHER = '00000000-0000-4000-8000-00000000000c';
const missed = { id: 'missed', programId: P, startsAt: new Date('2026-03-02T23:00:00Z') };
const now = new Date('2026-03-02T22:00:00Z');
const day = 86_400_000;

function candidate(id: string, startsAt: Date, over: Partial<MakeUpCandidate> = {}): MakeUpCandidate {
  return { id, programId: P, startsAt, endsAt: new Date(startsAt.getTime() + 3 * 3600_000), expectedCount: 5, capacity: 12, ...over };
}

const query = (candidates: MakeUpCandidate[], policy = { makeUpWindowDays: 14, makeUpPartnerProgramIds: [PARTNER] }) =>
  eligibleMakeUps({ missed, policy, zone: 'America/New_York', now, candidates }).map((c) => c.id);

describe('eligibleMakeUps', () => {
  it('offers sessions of the same program and of partners, earliest first', () => {
    expect(query([candidate('partner', new Date(missed.startsAt.getTime() + 3 * day), { programId: PARTNER }), candidate('same', new Date(missed.startsAt.getTime() + 2 * day))])).toEqual(['same', 'partner']);
  });

  it('never another program that is not a partner', () => {
    expect(query([candidate('other', new Date(missed.startsAt.getTime() + 2 * day), { programId: OTHER })])).toEqual([]);
  });

  it('only inside the window after the missed session (the last instant included)', () => {
    const end = missed.startsAt.getTime() + 14 * day;
    expect(query([candidate('edge', new Date(end)), candidate('late', new Date(end + 60_000))])).toEqual(['edge']);
    expect(query([candidate('in-2', new Date(missed.startsAt.getTime() + 2 * day))], { makeUpWindowDays: 1, makeUpPartnerProgramIds: [] })).toEqual([]);
  });

  it('only in the future, and not on the missed session\'s local day', () => {
    const sameEvening = candidate('same-day', new Date('2026-03-03T02:00:00Z')); // 21:00 in New York, same day
    const nextMorning = candidate('next-day', new Date('2026-03-03T14:00:00Z'));
    const past = candidate('past', new Date(now.getTime() - 60_000));
    expect(query([sameEvening, nextMorning, past])).toEqual(['next-day']);
  });

  it('only with room left; capacity 0 is no limit', () => {
    const at = new Date(missed.startsAt.getTime() + 2 * day);
    expect(query([candidate('full', at, { expectedCount: 12 }), candidate('room', at, { expectedCount: 11 }), candidate('unlimited', at, { expectedCount: 400, capacity: 0 })])).toEqual(['room', 'unlimited']);
  });

  it('never a session already booked as another make-up', () => {
    const at = new Date(missed.startsAt.getTime() + 2 * day);
    expect(eligibleMakeUps({ missed, policy: { makeUpWindowDays: 14, makeUpPartnerProgramIds: [] }, zone: 'UTC', now, candidates: [candidate('taken', at)], alreadyExpectedIds: new Set(['taken']) })).toEqual([]);
  });
});
