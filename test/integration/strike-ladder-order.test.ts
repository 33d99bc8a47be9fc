import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../src/db/database.js';
import { resolvePolicy } from '../../src/core/policy.js';
import { recomputeStrikes } from '../../src/services/strikes.js';
import { createTestDatabase } from '../support/test-database.js';

/**
 * Back-filling history as issue 17 found it: each past session first finalized with everyone a
 * no-show, then corrected by the webhooks behind it. Whatever that order, the open follow-ups
 * must end on the rung each person is on: Sam (two real misses) with rungs 1 and 2, Casey (one)
 * with rung 1.
 */
let prisma: Db;
const DAY = 86_400_000;
const now = new Date('2026-11-30T15:00:00Z');
const clock = { now: () => now, toRealTime: (at: Date) => at };

beforeAll(async () => {
  prisma = createPrisma(await createTestDatabase());
});
afterAll(async () => prisma.$disconnect());

async function clinicWith(name: string) {
  const organization = await prisma.organization.create({ data: { name: `${name}'s clinic` } });
  const organizationId = organization.id;
  const program = await prisma.program.create({
    data: { organizationId, name: 'Adult IOP', timezone: 'America/New_York', policy: resolvePolicy({}) as object, alertPlatform: 'slack', alertChannelId: 'C0STAFF' },
  });
  const participant = await prisma.participant.create({ data: { organizationId, name } });
  await prisma.enrollment.create({ data: { organizationId, programId: program.id, participantId: participant.id, enrolledAt: new Date(now.getTime() - 30 * DAY) } });
  const ids = { organizationId, programId: program.id, participantId: participant.id };
  const recompute = () => recomputeStrikes({ prisma, clock, enqueueDeliveries: async () => {} }, ids);
  return { ...ids, recompute };
}

/** Plays ten past sessions (days 14 to 5 ago): each first final as a no-show, then corrected unless it was really missed. */
async function backFill(clinic: Awaited<ReturnType<typeof clinicWith>>, reallyMissed: number[]) {
  for (let i = 0; i < 10; i++) {
    const startsAt = new Date(now.getTime() - (14 - i) * DAY);
    const session = await prisma.session.create({
      data: { organizationId: clinic.organizationId, programId: clinic.programId, startsAt, endsAt: new Date(startsAt.getTime() + 3 * 3_600_000), meetingPlatform: 'zoom', meetingId: '86000000017' },
    });
    const attendance = await prisma.attendance.create({
      data: { organizationId: clinic.organizationId, sessionId: session.id, participantId: clinic.participantId, status: 'no_show', final: true },
    });
    await clinic.recompute();
    if (!reallyMissed.includes(i)) {
      await prisma.attendance.update({ where: { id: attendance.id }, data: { status: 'present', minutesPresent: 180 } });
      await clinic.recompute();
    }
  }
}

const openRungs = async (participantId: string) =>
  (await prisma.followUp.findMany({ where: { participantId, state: 'open' }, orderBy: { createdAt: 'asc' } })).map((f) => f.rule).sort();

describe('the strike ladder whatever order facts arrive in', () => {
  it('Sam, two real misses among ten back-filled sessions, ends with the rung-1 and rung-2 follow-ups open', async () => {
    const sam = await clinicWith('Sam');
    await backFill(sam, [3, 7]);
    const decision = await sam.recompute();
    expect(decision?.strikes).toBe(2);
    expect(await openRungs(sam.participantId)).toEqual(['ladder:1', 'ladder:2']);
    // What was withdrawn along the way stays withdrawn, in the record, beside what stands.
    const withdrawn = await prisma.followUp.count({ where: { participantId: sam.participantId, state: 'dismissed', outcome: 'no_longer_applies' } });
    expect(withdrawn).toBeGreaterThan(0);
  });

  it('Casey, one real miss, ends with the rung-1 follow-up open and nothing else', async () => {
    const casey = await clinicWith('Casey');
    await backFill(casey, [9]);
    expect((await casey.recompute())?.strikes).toBe(1);
    expect(await openRungs(casey.participantId)).toEqual(['ladder:1']);
  });

  it('a person with perfect attendance ends with nothing open', async () => {
    const jordan = await clinicWith('Jordan');
    await backFill(jordan, []);
    expect(await openRungs(jordan.participantId)).toEqual([]);
  });

  it('recomputing again proposes nothing more', async () => {
    const sam = await clinicWith('Sam again');
    await backFill(sam, [3, 7]);
    const before = await prisma.followUp.count({ where: { participantId: sam.participantId } });
    await sam.recompute();
    await sam.recompute();
    expect(await prisma.followUp.count({ where: { participantId: sam.participantId } })).toBe(before);
  });
});
