import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../src/core/policy.js';
import { rankByRisk } from '../../src/core/risk-ranking.js';
import type { Db } from '../../src/db/database.js';
import { PrismaClient } from '../../src/generated/prisma/client.js';
import { readAtRiskByProgram, readProgramRisk, type ProgramRisk } from '../../src/services/queries/at-risk.js';
import { loadParticipantWeek } from '../../src/services/weekly-progress.js';
import { seedRiskClinic, type RiskClinic } from '../support/at-risk-seed.js';
import { createTestDatabase } from '../support/test-database.js';

let prisma: Db;
let queries = 0;
const now = new Date();
let clinic: RiskClinic;

/** The read as it was before batching (its code at the merge of h/today): each participant's week through loadParticipantWeek, the weekly messages' loader. */
async function perParticipantRisk(organizationId: string, programId: string): Promise<ProgramRisk> {
  const program = await prisma.program.findFirstOrThrow({ where: { id: programId, organizationId } });
  const policy = resolvePolicy(program.policy);
  const enrollments = await prisma.enrollment.findMany({ where: { organizationId, programId, status: 'active' }, select: { participant: { select: { id: true, name: true } } } });
  const ids = enrollments.map((e) => e.participant.id);
  const since = new Date(now.getTime() - 400 * 86_400_000);
  const [rows, followUps, weeks] = await Promise.all([
    prisma.attendance.findMany({
      where: { organizationId, final: true, participantId: { in: ids }, session: { programId, startsAt: { gte: since, lte: now } } },
      select: { participantId: true, sessionId: true, status: true, flags: true, overrideStatus: true, session: { select: { startsAt: true } } },
    }),
    prisma.followUp.groupBy({ by: ['participantId'], where: { organizationId, programId, state: 'open', participantId: { in: ids } }, _count: { _all: true } }),
    Promise.all(ids.map((participantId) => loadParticipantWeek(prisma, { organizationId, programId, participantId, now }))),
  ]);
  const open = new Map(followUps.map((f) => [f.participantId, f._count._all]));
  const ranked = rankByRisk(
    enrollments.map(({ participant }, i) => ({
      participantId: participant.id,
      name: participant.name,
      records: rows
        .filter((r) => r.participantId === participant.id)
        .map((r) => ({ sessionId: r.sessionId, startsAt: r.session.startsAt, status: r.status, flags: r.flags, overrideStatus: r.overrideStatus })),
      week: weeks[i]?.hours ?? null,
      openFollowUps: open.get(participant.id) ?? 0,
    })),
    policy,
    program.timezone,
    now,
  );
  return { programId, programName: program.name, ranked, atRisk: ranked.filter((r) => r.reasons.length > 0) };
}

/** Every program of the clinic the old way, one after another as readAtRiskByProgram did. */
async function perParticipantClinic(c: RiskClinic): Promise<ProgramRisk[]> {
  const result: ProgramRisk[] = [];
  for (const programId of c.programIds) result.push(await perParticipantRisk(c.organizationId, programId));
  return result;
}

async function countQueries<T>(read: () => Promise<T>): Promise<number> {
  const before = queries;
  await read();
  return queries - before;
}

beforeAll(async () => {
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: await createTestDatabase(), max: 10 }), log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', () => void queries++);
  prisma = client as unknown as Db;
  clinic = await seedRiskClinic(prisma, now, 10, 12);
}, 120_000);
afterAll(async () => {
  await prisma?.$disconnect();
});

describe('Who is at risk, read for whole programs at once', () => {
  it('gives exactly what reading each participant on their own gives, for every program of a varied clinic', async () => {
    const batched = await readAtRiskByProgram(prisma, clinic.organizationId, null, now);
    const reference = await perParticipantClinic(clinic);
    expect(batched).toEqual(reference);
    for (const programId of clinic.programIds.slice(0, 3)) {
      expect(await readProgramRisk(prisma, clinic.organizationId, programId, now)).toEqual(reference.find((r) => r.programId === programId));
    }
    // A facilitator's programs only.
    const two = clinic.programIds.slice(4, 6);
    expect(await readAtRiskByProgram(prisma, clinic.organizationId, two, now)).toEqual(reference.filter((r) => two.includes(r.programId)));

    // The clinic really is varied: every reason and week state occurs, so agreement is not agreement on nothing.
    const everyone = reference.flatMap((r) => r.ranked);
    expect(everyone.length).toBeGreaterThan(100);
    expect(everyone.some((r) => r.strikes > 0)).toBe(true);
    expect(everyone.some((r) => r.missesInARow >= 2)).toBe(true);
    expect(everyone.some((r) => r.weekShortMinutes > 0)).toBe(true);
    expect(everyone.some((r) => r.openFollowUps > 0)).toBe(true);
    expect(everyone.some((r) => r.reasons.length === 0)).toBe(true);
    const states = new Set(everyone.map((r) => r.weekText?.split(' ')[0]));
    for (const state of ['met', 'short', 'on', 'at']) expect(states).toContain(state);
  });

  it('reads in a fixed number of queries: doubling the people (or the programs) adds none', async () => {
    const small = await seedRiskClinic(prisma, now, 2, 3, 'Small');
    const doubled = await seedRiskClinic(prisma, now, 2, 6, 'Doubled');
    const smallCount = await countQueries(() => readAtRiskByProgram(prisma, small.organizationId, null, now));
    expect(smallCount).toBeGreaterThan(0);
    expect(await countQueries(() => readAtRiskByProgram(prisma, doubled.organizationId, null, now))).toBe(smallCount);
    expect(await countQueries(() => readAtRiskByProgram(prisma, clinic.organizationId, null, now))).toBe(smallCount);
    // The program page's read is the same set of queries for one program.
    const one = await countQueries(() => readProgramRisk(prisma, small.organizationId, small.programIds[0]!, now));
    expect(await countQueries(() => readProgramRisk(prisma, doubled.organizationId, doubled.programIds[0]!, now))).toBe(one);
    // The per-participant read it replaces grows with the people: this test can tell the two apart.
    expect(await countQueries(() => perParticipantClinic(doubled))).toBeGreaterThan(await countQueries(() => perParticipantClinic(small)));

    // The measurement docs/performance.md quotes (10 programs × 12 people), best of three each.
    const best = async (read: () => Promise<unknown>) => {
      let fastest = Infinity;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await read();
        fastest = Math.min(fastest, performance.now() - started);
      }
      return Math.round(fastest);
    };
    const after = await best(() => readAtRiskByProgram(prisma, clinic.organizationId, null, now));
    const before = await best(() => perParticipantClinic(clinic));
    const beforeQueries = await countQueries(() => perParticipantClinic(clinic));
    console.info(`at-risk read, 10 programs x 12 people: per participant ${before} ms (${beforeQueries} queries), batched ${after} ms (${smallCount} queries)`);
  }, 120_000);
});
