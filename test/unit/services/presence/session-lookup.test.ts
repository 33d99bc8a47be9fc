import { describe, expect, it } from 'vitest';
import type { PresenceEvent } from '../../../../src/core/presence-event.js';
import type { Db } from '../../../../src/db/database.js';
import { createSessionLookup, forgetSessionLookups, SESSION_LOOKUP_TTL_MS } from '../../../../src/services/presence/session-lookup.js';

const MINUTE = 60_000;
const start = new Date('2030-03-04T18:00:00Z');
const event = (meetingId: string, offsetMs = 0, meetingInstanceId?: string): PresenceEvent => ({
  platform: 'zoom',
  kind: 'joined',
  occurredAt: new Date(start.getTime() + offsetMs),
  meetingId,
  meetingInstanceId,
  dedupeKey: `k${offsetMs}`,
});

type Row = { id: string; organizationId: string; meetingId: string; startsAt: Date; endsAt: Date; meetingInstanceId: string | null };

/** Sessions in memory, answering the lookup's query as PostgreSQL would; counts the reads. */
function fakeDb(sessions: Row[]) {
  let reads = 0;
  const prisma = {
    session: {
      findMany: async ({ where }: { where: { organizationId: string; meetingId: string; startsAt: { lte: Date }; endsAt: { gte: Date } } }) => {
        reads++;
        return sessions.filter(
          (s) => s.organizationId === where.organizationId && s.meetingId === where.meetingId && s.startsAt <= where.startsAt.lte && s.endsAt >= where.endsAt.gte,
        );
      },
    },
  };
  return { prisma: prisma as unknown as Db, reads: () => reads, sessions };
}

const session = (id: string, startOffsetMs: number, minutes = 90, meetingInstanceId: string | null = null): Row => ({
  id,
  organizationId: 'o1',
  meetingId: 'm1',
  startsAt: new Date(start.getTime() + startOffsetMs),
  endsAt: new Date(start.getTime() + startOffsetMs + minutes * MINUTE),
  meetingInstanceId,
});

describe('the session lookup, remembered briefly', () => {
  it("answers a meeting's next events from memory: one read for a stream", async () => {
    const db = fakeDb([session('s1', 0)]);
    const lookup = createSessionLookup(db.prisma);
    for (let i = 0; i < 12; i++) expect((await lookup(event('m1', i * 1000), 'o1')).session?.id).toBe('s1');
    expect(db.reads()).toBe(1);
  });

  it('reads again once forgotten (a session created, moved or cancelled here) and after the TTL', async () => {
    let clock = 0;
    const db = fakeDb([session('s1', -60 * MINUTE)]);
    const lookup = createSessionLookup(db.prisma, { now: () => clock });
    expect((await lookup(event('m1'), 'o1')).session?.id).toBe('s1');
    // A session starting in 10 minutes on the same meeting: the nearer start wins, once it is seen.
    db.sessions.push(session('s2', 10 * MINUTE));
    expect((await lookup(event('m1'), 'o1')).session?.id).toBe('s1'); // still remembered: the lookup has not been told
    forgetSessionLookups();
    expect((await lookup(event('m1'), 'o1')).session?.id).toBe('s2');
    expect(db.reads()).toBe(2);
    db.sessions.splice(0, db.sessions.length, session('s3', -5 * MINUTE));
    await lookup(event('m1'), 'o1'); // two open (s1, s2) were read: a choice is never taken from memory
    expect(db.reads()).toBe(3);
    expect((await lookup(event('m1'), 'o1')).session?.id).toBe('s3');
    expect(db.reads()).toBe(3);
    clock += SESSION_LOOKUP_TTL_MS;
    expect((await lookup(event('m1'), 'o1')).session?.id).toBe('s3');
    expect(db.reads()).toBe(4);
  });

  it('never answers "no session" from memory, and keeps organizations and meetings apart', async () => {
    const db = fakeDb([]);
    const lookup = createSessionLookup(db.prisma);
    expect((await lookup(event('m1'), 'o1')).session).toBeUndefined();
    db.sessions.push(session('s1', 0));
    expect((await lookup(event('m1'), 'o1')).session?.id).toBe('s1'); // created by another instance a moment ago: found
    expect((await lookup(event('m1'), 'o2')).session).toBeUndefined();
    expect((await lookup(event('m2'), 'o1')).session).toBeUndefined();
    expect(db.reads()).toBe(4);
  });

  it('applies the session window to remembered sessions: an event outside it is read afresh', async () => {
    const db = fakeDb([session('s1', 0, 60)]);
    const lookup = createSessionLookup(db.prisma);
    expect((await lookup(event('m1'), 'o1')).fromMemory).toBe(false);
    expect((await lookup(event('m1', 20 * MINUTE), 'o1')).fromMemory).toBe(true);
    const late = await lookup(event('m1', 95 * MINUTE), 'o1'); // 35 minutes after the end: past the 30-minute margin
    expect(late).toEqual({ session: undefined, fromMemory: false });
  });
});
