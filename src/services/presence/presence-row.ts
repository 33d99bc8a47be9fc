import type { PresenceEvent } from '../../core/presence-event.js';

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
