import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { PresenceEvent } from '../core/presence-event.js';

/** A session is open to its meeting's events from 30 minutes before its start to 30 after its end. */
export const SESSION_MATCH_MARGIN_MS = 30 * 60_000;

export interface IngestResult {
  stored: number;
  duplicates: number;
  /** Sessions whose facts changed and should be evaluated. */
  sessionIds: string[];
}

/**
 * Stores normalized presence facts durably, once each (the unique (platform, dedupeKey) makes a
 * retried or concurrent duplicate a no-op), tied to the session whose window holds them. A fact for
 * no known session is kept without one and logged: the platform must not retry it forever.
 */
export interface IngestOptions {
  /**
   * The only organization whose sessions this fact may match (a Zoom account that installed the
   * app belongs to one clinic); null or absent: any organization's sessions, as before.
   */
  organizationOf?(event: PresenceEvent): Promise<string | null>;
}

/** A presence fact as the row that keeps it (tied to its session, or to none). */
export function presenceEventRow(event: PresenceEvent, where: { organizationId: string | null; sessionId: string | null }, source: 'live' | 'report' = 'live') {
  return {
    ...where,
    platform: event.platform,
    dedupeKey: event.dedupeKey,
    kind: event.kind,
    occurredAt: event.occurredAt,
    meetingId: event.meetingId,
    meetingInstanceId: event.meetingInstanceId ?? null,
    accountId: event.accountId ?? null,
    personKey: event.person?.key ?? null,
    person: event.person ? { ...event.person } : undefined,
    leaveReason: event.leaveReason ?? null,
    connectionLost: event.connectionLost ?? false,
    breakout: event.breakout ?? false,
    source,
  };
}

export async function ingestPresence(prisma: Db, log: Logger, events: PresenceEvent[], options: IngestOptions = {}): Promise<IngestResult> {
  if (events.length === 0) return { stored: 0, duplicates: 0, sessionIds: [] };
  const rows = await Promise.all(
    events.map(async (event) => {
      const organizationId = options.organizationOf ? await options.organizationOf(event) : null;
      const session = await findSessionFor(prisma, event, organizationId);
      if (!session) log.info({ platform: event.platform, meetingId: event.meetingId, kind: event.kind }, 'presence event for no known session');
      return presenceEventRow(event, { organizationId: session?.organizationId ?? null, sessionId: session?.id ?? null });
    }),
  );
  const { count } = await prisma.presenceEvent.createMany({ data: rows, skipDuplicates: true });
  const sessionIds = [...new Set(rows.flatMap((row) => (row.sessionId ? [row.sessionId] : [])))];
  return { stored: count, duplicates: rows.length - count, sessionIds };
}

async function findSessionFor(prisma: Db, event: PresenceEvent, organizationId: string | null) {
  const at = event.occurredAt.getTime();
  const candidates = await prisma.session.findMany({
    where: {
      ...(organizationId ? { organizationId } : {}),
      meetingPlatform: event.platform,
      meetingId: event.meetingId,
      startsAt: { lte: new Date(at + SESSION_MATCH_MARGIN_MS) },
      endsAt: { gte: new Date(at - SESSION_MATCH_MARGIN_MS) },
    },
    select: { id: true, organizationId: true, startsAt: true, meetingInstanceId: true },
    orderBy: { startsAt: 'asc' },
  });
  // Recurring meeting ids repeat: prefer the occurrence already tied to this instance, then the nearest start.
  return (
    candidates.find((c) => event.meetingInstanceId && c.meetingInstanceId === event.meetingInstanceId) ??
    candidates.sort((a, b) => Math.abs(a.startsAt.getTime() - at) - Math.abs(b.startsAt.getTime() - at))[0]
  );
}
