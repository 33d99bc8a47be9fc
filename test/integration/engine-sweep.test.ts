import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../src/core/policy.js';
import { createPrisma, type Db } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { sweepEngine } from '../../src/services/engine-sweep.js';
import { createSessionEvaluator } from '../../src/services/session-evaluator.js';
import { createTestDatabase } from '../support/test-database.js';

const MINUTE = 60_000;
const LIVE = 620;
const now = new Date('2026-03-02T18:20:00Z');
const clock = { now: () => now, toRealTime: (at: Date) => at };
const ago = (ms: number) => new Date(now.getTime() - ms);

/** The sweep with a real evaluator, wrapped to count what it evaluates. */
function sweeper(prisma: Db) {
  const noop = async () => {};
  const evaluator = createSessionEvaluator({ prisma, clock, log: createLogger('silent'), enqueueDeliveries: noop, scheduleWake: noop, enqueueCloseOut: noop });
  const evaluated: string[] = [];
  const counted = { evaluate: async (id: string) => void (evaluated.push(id), await evaluator.evaluate(id)) };
  return { evaluated, sweep: () => sweepEngine({ prisma, clock, evaluator: counted, enqueueDeliveries: noop, enqueueCloseOut: noop }) };
}

describe('the engine sweep with more live sessions than one page', () => {
  let prisma: Db;
  let ids: string[];

  beforeAll(async () => {
    prisma = createPrisma(await createTestDatabase());
    const { id: organizationId } = await prisma.organization.create({ data: { name: 'Sweep Clinic' } });
    const program = await prisma.program.create({
      data: { organizationId, name: 'Adult IOP', timezone: 'America/New_York', policy: resolvePolicy({}), alertPlatform: 'slack', alertChannelId: 'C0STAFF' },
    });
    // Live sessions as the evaluator left them a minute ago: nothing received since, next deadline ahead.
    await prisma.session.createMany({
      data: Array.from({ length: LIVE }, (_, i) => ({
        organizationId,
        programId: program.id,
        startsAt: ago(20 * MINUTE),
        endsAt: new Date(now.getTime() + 160 * MINUTE),
        meetingPlatform: 'zoom' as const,
        meetingId: String(86_000_000_000 + i),
        startedAt: ago(20 * MINUTE),
        evaluatedAt: ago(MINUTE),
        wakeAt: new Date(now.getTime() + 10 * MINUTE),
      })),
    });
    ids = (await prisma.session.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((s) => s.id);
  });
  afterAll(async () => prisma?.$disconnect());

  it('evaluates none of the sessions already evaluated', async () => {
    const { evaluated, sweep } = sweeper(prisma);
    expect(await sweep()).toEqual({ evaluated: 0, failed: 0 });
    expect(evaluated).toEqual([]);
  });

  it('evaluates, past the first page, a session whose facts were stored but never evaluated, and only the sessions owed', async () => {
    const [neverEvaluated, overdue, diedBeforeEvaluating] = [ids[3]!, ids[250]!, ids[ids.length - 1]!];
    // The process died between the commit of this fact and its evaluation.
    const first = await prisma.session.findUniqueOrThrow({ where: { id: diedBeforeEvaluating } });
    await prisma.presenceEvent.create({
      data: {
        organizationId: first.organizationId,
        sessionId: diedBeforeEvaluating,
        platform: 'zoom',
        dedupeKey: 'meeting_ended:lost',
        kind: 'meeting_ended',
        occurredAt: ago(30_000),
        meetingId: first.meetingId,
        receivedAt: ago(20_000),
      },
    });
    await prisma.session.update({ where: { id: neverEvaluated }, data: { evaluatedAt: null, wakeAt: null } });
    await prisma.session.update({ where: { id: overdue }, data: { wakeAt: ago(30_000) } });

    const { evaluated, sweep } = sweeper(prisma);
    await sweep();
    expect(evaluated.sort()).toEqual([neverEvaluated, overdue, diedBeforeEvaluating].sort());
    const after = await prisma.session.findUniqueOrThrow({ where: { id: diedBeforeEvaluating } });
    expect(after.endedAt).toEqual(ago(30_000));
    expect(after.evaluatedAt).toEqual(now);

    // Evaluated now: the next sweep owes them nothing.
    const again = sweeper(prisma);
    await again.sweep();
    expect(again.evaluated).toEqual([]);
  });
});
