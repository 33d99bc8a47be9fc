import type { PresenceEvent } from '../../core/presence-event.js';
import { plainPool, type Db } from '../../db/database.js';
import { SESSION_MATCH_MARGIN_MS } from './session-window.js';

/**
 * How long a meeting's sessions, as read, answer the lookups of its next events (issue 16: one
 * query less per webhook). A change made in this process is seen at once (forgetSessionLookups);
 * one made by another instance within this long of an event may not be: the event is then tied as
 * it would have been had it come that much earlier. A deleted session is never used (the insert's
 * foreign key refuses it and the lookup is made again), and only an answer of exactly one session is
 * taken from memory: none, or a choice between occurrences, is read afresh.
 */
export const SESSION_LOOKUP_TTL_MS = 2_000;

/** One read covers events this far either side of the one that asked, so a meeting's stream is one entry. */
const SPAN_MS = 6 * 60 * 60_000;
/** Entries beyond this many are pruned of the expired ones (a meeting id per live session). */
const PRUNE_ABOVE = 20_000;

export interface SessionCandidate {
  id: string;
  organizationId: string;
  startsAt: Date;
  endsAt: Date;
  meetingInstanceId: string | null;
}

let generation = 0;

/**
 * Called after a change to which sessions exist, their meeting or their times, once committed: every
 * lookup in this process reads the database again.
 */
export function forgetSessionLookups(): void {
  generation++;
}

interface Entry {
  generation: number;
  readAt: number;
  from: number;
  to: number;
  candidates: SessionCandidate[];
}

export type SessionLookup = (event: PresenceEvent, organizationId: string) => Promise<{ session: SessionCandidate | undefined; fromMemory: boolean }>;

/** The session an event belongs to: of the organization's sessions on its meeting, the one whose window holds it. */
export function createSessionLookup(prisma: Db, options: { ttlMs?: number; now?: () => number } = {}): SessionLookup {
  const ttlMs = options.ttlMs ?? SESSION_LOOKUP_TTL_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const fresh = (entry: Entry | undefined, at: number): entry is Entry =>
    !!entry && entry.generation === generation && now() - entry.readAt < ttlMs && at >= entry.from && at <= entry.to;

  return async function lookup(event, organizationId) {
    const at = event.occurredAt.getTime();
    const key = `${organizationId}\u0000${event.platform}\u0000${event.meetingId}`;
    const cached = entries.get(key);
    if (fresh(cached, at)) {
      const open = openAt(cached.candidates, at);
      if (open.length === 1) return { session: open[0], fromMemory: true };
    }
    const readAt = now();
    const readGeneration = generation; // a change committed while this reads makes the entry stale at once
    const candidates = await readCandidates(prisma, {
      organizationId,
      platform: event.platform,
      meetingId: event.meetingId,
      startsBy: new Date(at + SPAN_MS + SESSION_MATCH_MARGIN_MS),
      endsFrom: new Date(at - SPAN_MS - SESSION_MATCH_MARGIN_MS),
    });
    if (entries.size >= PRUNE_ABOVE) for (const [k, e] of entries) if (readAt - e.readAt >= ttlMs) entries.delete(k);
    entries.set(key, { generation: readGeneration, readAt, from: at - SPAN_MS, to: at + SPAN_MS, candidates });
    return { session: choose(openAt(candidates, at), event), fromMemory: false };
  };
}

/** The organization's sessions on the meeting overlapping the span, as plain SQL where it can (db/database.ts, plainPool). */
async function readCandidates(
  prisma: Db,
  q: { organizationId: string; platform: PresenceEvent['platform']; meetingId: string; startsBy: Date; endsFrom: Date },
): Promise<SessionCandidate[]> {
  const pool = plainPool(prisma);
  if (pool) {
    const { rows } = await pool.query<SessionCandidate>(
      `SELECT id, "organizationId", "startsAt", "endsAt", "meetingInstanceId" FROM "Session"
       WHERE "organizationId" = $1 AND "meetingPlatform" = $2::"Platform" AND "meetingId" = $3 AND "startsAt" <= $4 AND "endsAt" >= $5
       ORDER BY "startsAt"`,
      [q.organizationId, q.platform, q.meetingId, q.startsBy, q.endsFrom],
    );
    return rows;
  }
  return prisma.session.findMany({
    where: { organizationId: q.organizationId, meetingPlatform: q.platform, meetingId: q.meetingId, startsAt: { lte: q.startsBy }, endsAt: { gte: q.endsFrom } },
    select: { id: true, organizationId: true, startsAt: true, endsAt: true, meetingInstanceId: true },
    orderBy: { startsAt: 'asc' },
  });
}

/** Sessions open to an event at `at` (services/presence/session-window.ts's rule). */
function openAt(candidates: SessionCandidate[], at: number): SessionCandidate[] {
  return candidates.filter((c) => c.startsAt.getTime() <= at + SESSION_MATCH_MARGIN_MS && c.endsAt.getTime() >= at - SESSION_MATCH_MARGIN_MS);
}

/** Recurring meeting ids repeat: prefer the occurrence already tied to this instance, then the nearest start. */
function choose(open: SessionCandidate[], event: PresenceEvent): SessionCandidate | undefined {
  const at = event.occurredAt.getTime();
  return (
    open.find((c) => event.meetingInstanceId && c.meetingInstanceId === event.meetingInstanceId) ??
    [...open].sort((a, b) => Math.abs(a.startsAt.getTime() - at) - Math.abs(b.startsAt.getTime() - at))[0]
  );
}
