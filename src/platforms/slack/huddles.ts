import { createHash } from 'node:crypto';
import type { PresenceEvent } from '../../core/presence-event.js';
import { cleanPlatformText } from '../../core/platform-text.js';

/** The parts of `user_huddle_changed` we read (the event carries the user's whole profile). */
export interface HuddleChange {
  eventId: string;
  eventTs: string;
  /** The workspace the event came from: the fact matches only its clinic's sessions. */
  teamId?: string;
  user: { id: string; profile?: { huddle_state?: string; huddle_state_call_id?: string } };
}

/**
 * Slack says who is in *a* huddle, not which: a change is read as presence in the participant's
 * huddle session running now (best effort, DESIGN.md). One event per candidate session.
 */
export function normalizeHuddleChange(change: HuddleChange, meetingIds: string[]): PresenceEvent[] {
  const inHuddle = change.user.profile?.huddle_state === 'in_a_huddle';
  const occurredAt = new Date(Math.round(Number(change.eventTs) * 1000));
  if (Number.isNaN(occurredAt.getTime())) return [];
  // Stored as given: a NUL would make PostgreSQL refuse the fact on every retry.
  const userId = cleanPlatformText(change.user.id, 64);
  const callId = cleanPlatformText(change.user.profile?.huddle_state_call_id ?? '', 256);
  return meetingIds.map((meetingId) => ({
    platform: 'slack',
    kind: inHuddle ? 'joined' : 'left',
    occurredAt,
    meetingId,
    meetingInstanceId: callId || undefined,
    ...(change.teamId ? { accountId: change.teamId } : {}),
    person: { key: userId, userId },
    dedupeKey: createHash('sha256').update(`slack|${change.eventId}|${meetingId}`).digest('hex'),
  }));
}
