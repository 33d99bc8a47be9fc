import type { PresenceEvent } from '../../core/presence-event.js';

/** A presence fact as the row that keeps it (tied to its session, or to none). */
export function presenceEventRow(event: PresenceEvent, where: { organizationId: string | null; sessionId: string | null }, source: 'live' | 'report' = 'live', receivedAt?: Date) {
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
    // On the app clock, like occurredAt's deadlines: their difference tells a backlog (core/backlog-hold.ts).
    ...(receivedAt ? { receivedAt } : {}),
  };
}
