import { matchIdentity, type ExpectedParticipant } from './identity-match.js';
import type { Platform, PresenceEvent } from './presence-event.js';

/**
 * How many times each expected participant's connection dropped in one session: leaves the
 * platform marks as connection losses (breakout moves are not leaves). Duplicated deliveries share
 * a dedupe key and count once.
 */
export function connectionLossesByParticipant(platform: Platform, events: PresenceEvent[], expected: ExpectedParticipant[]): Map<string, number> {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  for (const event of events) {
    if (event.kind !== 'left' || !event.connectionLost || event.breakout || !event.person || seen.has(event.dedupeKey)) continue;
    seen.add(event.dedupeKey);
    const match = matchIdentity(platform, event.person, expected);
    if (match) counts.set(match.participantId, (counts.get(match.participantId) ?? 0) + 1);
  }
  return counts;
}
