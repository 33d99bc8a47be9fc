import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { PresenceEvent } from '../../core/presence-event.js';
import type { Db } from '../../db/database.js';
import { presenceEventRow } from './presence-row.js';
import { isPrismaError } from '../../db/prisma-errors.js';
import { forgetSessionLookups, type SessionLookup } from './session-lookup.js';

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
  deps: { prisma: Db; log: Logger; clock: Clock; organizationOf(event: PresenceEvent): Promise<string | null>; firstOrganizationId: string; lookup: SessionLookup },
  events: PresenceEvent[],
): Promise<StoreResult> {
  if (events.length === 0) return { stored: 0, duplicates: 0, sessionIds: [] };
  const receivedAt = deps.clock.now();
  const tie = async () => {
    let fromMemory = false;
    const rows = await Promise.all(
      events.map(async (event) => {
        const organizationId = (await deps.organizationOf(event)) ?? deps.firstOrganizationId;
        const found = await deps.lookup(event, organizationId);
        fromMemory ||= found.fromMemory;
        const { session } = found;
        if (!session) deps.log.info({ platform: event.platform, meetingId: event.meetingId, kind: event.kind }, 'presence event for no known session');
        return presenceEventRow(event, { organizationId: session?.organizationId ?? null, sessionId: session?.id ?? null }, 'live', receivedAt);
      }),
    );
    return { rows, fromMemory };
  };
  let { rows, fromMemory } = await tie();
  let count: number;
  try {
    ({ count } = await deps.prisma.presenceEvent.createMany({ data: rows, skipDuplicates: true }));
  } catch (error) {
    // A session remembered by the lookup was deleted since (another instance cancelled it): look again.
    if (!fromMemory || !isPrismaError(error, 'P2003')) throw error;
    forgetSessionLookups();
    ({ rows } = await tie());
    ({ count } = await deps.prisma.presenceEvent.createMany({ data: rows, skipDuplicates: true }));
  }
  const sessionIds = [...new Set(rows.flatMap((row) => (row.sessionId ? [row.sessionId] : [])))];
  return { stored: count, duplicates: rows.length - count, sessionIds };
}
