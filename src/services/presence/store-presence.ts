import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { PresenceEvent } from '../../core/presence-event.js';
import type { Db } from '../../db/database.js';
import { presenceEventRow } from './presence-row.js';
import { sessionWindowAt } from './session-window.js';

export interface StoreResult {
  stored: number;
  duplicates: number;
  /** Sessions whose facts changed and should be evaluated. */
  sessionIds: string[];
}

/**
 * Stores normalized presence facts durably, once each (the unique (platform, dedupeKey) makes a
 * retried or concurrent duplicate a no-op), tied to the session whose window holds them. A fact for
 * no known session is kept without one and logged: the platform must not retry it forever.
 * A fact matches only one organization's sessions: the clinic its installation (Zoom account, Slack
 * workspace, Teams tenant) belongs to, as `organizationOf` says; with none (null: a webhook secret
 * without installs, a single-workspace token), the deployment's first organization. Never any other
 * clinic's, even when two clinics schedule the same meeting id.
 */
export async function storePresence(
  deps: { prisma: Db; log: Logger; clock: Clock; organizationOf(event: PresenceEvent): Promise<string | null>; firstOrganizationId: string },
  events: PresenceEvent[],
): Promise<StoreResult> {
  if (events.length === 0) return { stored: 0, duplicates: 0, sessionIds: [] };
  const receivedAt = deps.clock.now();
  const rows = await Promise.all(
    events.map(async (event) => {
      const organizationId = (await deps.organizationOf(event)) ?? deps.firstOrganizationId;
      const session = await findSessionFor(deps.prisma, event, organizationId);
      if (!session) deps.log.info({ platform: event.platform, meetingId: event.meetingId, kind: event.kind }, 'presence event for no known session');
      return presenceEventRow(event, { organizationId: session?.organizationId ?? null, sessionId: session?.id ?? null }, 'live', receivedAt);
    }),
  );
  const { count } = await deps.prisma.presenceEvent.createMany({ data: rows, skipDuplicates: true });
  const sessionIds = [...new Set(rows.flatMap((row) => (row.sessionId ? [row.sessionId] : [])))];
  return { stored: count, duplicates: rows.length - count, sessionIds };
}

async function findSessionFor(prisma: Db, event: PresenceEvent, organizationId: string) {
  const at = event.occurredAt.getTime();
  const candidates = await prisma.session.findMany({
    where: { organizationId, meetingPlatform: event.platform, meetingId: event.meetingId, ...sessionWindowAt(event.occurredAt) },
    select: { id: true, organizationId: true, startsAt: true, meetingInstanceId: true },
    orderBy: { startsAt: 'asc' },
  });
  // Recurring meeting ids repeat: prefer the occurrence already tied to this instance, then the nearest start.
  return (
    candidates.find((c) => event.meetingInstanceId && c.meetingInstanceId === event.meetingInstanceId) ??
    candidates.sort((a, b) => Math.abs(a.startsAt.getTime() - at) - Math.abs(b.startsAt.getTime() - at))[0]
  );
}
