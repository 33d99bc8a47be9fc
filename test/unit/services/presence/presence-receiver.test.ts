import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../../src/clock.js';
import type { PresenceEvent } from '../../../../src/core/presence-event.js';
import type { Db } from '../../../../src/db/database.js';
import { createLogger } from '../../../../src/logger.js';
import { createPresenceReceiver } from '../../../../src/services/presence/presence-receiver.js';

const at = new Date('2030-03-04T18:05:00Z');
const event = (meetingId: string, dedupeKey: string, accountId?: string): PresenceEvent => ({ platform: 'zoom', kind: 'joined', occurredAt: at, meetingId, dedupeKey, accountId, person: { key: dedupeKey } });

/** Sessions by meeting id, each in one organization; records what was asked and stored. */
function fakeDb(sessions: { id: string; organizationId: string; meetingId: string }[], alreadyStored = 0) {
  const asked: Record<string, unknown>[] = [];
  const stored: { sessionId: string | null; organizationId: string | null }[] = [];
  const prisma = {
    session: {
      findMany: async ({ where }: { where: { meetingId: string; organizationId?: string } }) => {
        asked.push(where);
        return sessions
          .filter((s) => s.meetingId === where.meetingId && (!where.organizationId || s.organizationId === where.organizationId))
          .map((s) => ({ ...s, startsAt: new Date('2030-03-04T18:00:00Z'), endsAt: new Date('2030-03-04T19:00:00Z'), meetingInstanceId: null }));
      },
    },
    // The insert is one statement over the rows as JSON (store-presence.ts): its one value.
    $executeRawUnsafe: async (_sql: string, json: string) => {
      const data = JSON.parse(json) as typeof stored;
      stored.push(...data);
      return data.length - alreadyStored;
    },
  };
  return { prisma: prisma as unknown as Db, asked, stored };
}

describe('receive: the one way presence enters', () => {
  it('stores each fact with its session and evaluates every session touched, once', async () => {
    const db = fakeDb([{ id: 's1', organizationId: 'o1', meetingId: 'm1' }]);
    const evaluated: string[] = [];
    const receive = createPresenceReceiver({ prisma: db.prisma, log: createLogger('silent'), clock: systemClock, evaluator: { evaluateSoon: (id) => void evaluated.push(id) }, organizationOf: async () => null, firstOrganizationId: 'o1' });
    const result = await receive([event('m1', 'a'), event('m1', 'b'), event('unknown', 'c')]);
    expect(result).toEqual({ stored: 3, duplicates: 0, sessionIds: ['s1'] });
    expect(db.stored.map((r) => [r.sessionId, r.organizationId])).toEqual([['s1', 'o1'], ['s1', 'o1'], [null, null]]);
    expect(evaluated).toEqual(['s1']);
  });

  it('matches only the sessions of the organization the platform scopes an event to', async () => {
    const db = fakeDb([{ id: 's-other', organizationId: 'o-other', meetingId: 'm1' }]);
    const evaluated: string[] = [];
    const receive = createPresenceReceiver({
      prisma: db.prisma,
      log: createLogger('silent'),
      clock: systemClock,
      evaluator: { evaluateSoon: (id) => void evaluated.push(id) },
      organizationOf: async (e) => (e.accountId === 'installed' ? 'o-mine' : null),
      firstOrganizationId: 'o-first',
    });
    const result = await receive([event('m1', 'a', 'installed')]);
    expect(db.asked[0]).toMatchObject({ organizationId: 'o-mine', meetingPlatform: 'zoom', meetingId: 'm1' });
    expect(result.sessionIds).toEqual([]);
    expect(evaluated).toEqual([]);
  });

  it("gives a fact with no installation to the first organization only, never another clinic's session of the same meeting id", async () => {
    const db = fakeDb([
      { id: 's-clinic', organizationId: 'o-clinic', meetingId: 'm1' },
      { id: 's-first', organizationId: 'o-first', meetingId: 'm1' },
    ]);
    const receive = createPresenceReceiver({ prisma: db.prisma, log: createLogger('silent'), clock: systemClock, evaluator: { evaluateSoon: () => {} }, organizationOf: async () => null, firstOrganizationId: 'o-first' });
    const result = await receive([event('m1', 'a', 'never-installed')]);
    expect(db.asked[0]).toMatchObject({ organizationId: 'o-first' });
    expect(result.sessionIds).toEqual(['s-first']);
    expect(db.stored.map((r) => r.organizationId)).toEqual(['o-first']);
  });

  it('counts a retried delivery as a duplicate and stores nothing for no events', async () => {
    const db = fakeDb([{ id: 's1', organizationId: 'o1', meetingId: 'm1' }], 1);
    const receive = createPresenceReceiver({ prisma: db.prisma, log: createLogger('silent'), clock: systemClock, evaluator: { evaluateSoon: () => {} }, organizationOf: async () => null, firstOrganizationId: 'o-first' });
    expect(await receive([event('m1', 'a')])).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await receive([])).toEqual({ stored: 0, duplicates: 0, sessionIds: [] });
  });
});
