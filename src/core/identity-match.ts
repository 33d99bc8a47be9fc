import { normalizeDisplayName } from './identity.js';
import type { Platform, PresencePerson } from './presence-event.js';

export interface ExpectedParticipant {
  participantId: string;
  name: string;
  email?: string | null;
  identities: { platform: Platform; kind: string; value: string }[];
}

export type MatchedBy = 'entered' | 'registrant_id' | 'customer_key' | 'user_id' | 'email' | 'alias' | 'display_name';

export interface IdentityMatch {
  participantId: string;
  by: MatchedBy;
}

const ACCOUNT_ID_KINDS = new Set(['user_id', 'aad_object_id']);

/**
 * Who a platform's person is, trying the most reliable names first (registration, then account,
 * then email, then a learned alias). A bare display name counts only when exactly one expected
 * participant has it: people choose their display names, and two Sams must not be guessed apart.
 */
export function matchIdentity(platform: Platform, person: PresencePerson, expected: ExpectedParticipant[]): IdentityMatch | null {
  const byIdentity = (by: MatchedBy, kinds: Set<string>, value: string | undefined, normalize = (v: string) => v.trim()) => {
    if (!value) return null;
    const wanted = normalize(value);
    const found = expected.find((p) => p.identities.some((i) => i.platform === platform && kinds.has(i.kind) && i.value === wanted));
    return found ? { participantId: found.participantId, by } : null;
  };
  const email = person.email?.trim().toLowerCase();
  // Only when nothing more reliable named them (issue 16: normalizing every expected name for every person was 12 % of a busy server).
  const byDisplayName = () => {
    const displayName = person.displayName ? normalizeDisplayName(person.displayName) : undefined;
    const named = displayName ? expected.filter((p) => normalizedName(p) === displayName) : [];
    return named.length === 1 ? { participantId: named[0]!.participantId, by: 'display_name' as const } : null;
  };
  const entered = person.participantId ? expected.find((p) => p.participantId === person.participantId) : undefined;
  return (
    (entered ? { participantId: entered.participantId, by: 'entered' as const } : null) ??
    byIdentity('registrant_id', new Set(['registrant_id']), person.registrantId) ??
    byIdentity('customer_key', new Set(['customer_key']), person.customerKey) ??
    byIdentity('user_id', ACCOUNT_ID_KINDS, person.userId) ??
    (email
      ? ((found) => (found ? { participantId: found.participantId, by: 'email' as const } : null))(
          expected.find((p) => p.email?.toLowerCase() === email || p.identities.some((i) => i.kind === 'email' && i.value === email)),
        )
      : null) ??
    byIdentity('alias', new Set(['alias']), person.displayName, normalizeDisplayName) ??
    byDisplayName()
  );
}

/** Each expected participant's name normalized once, however many people an evaluation matches against it. */
const normalizedNames = new WeakMap<ExpectedParticipant, string>();
function normalizedName(participant: ExpectedParticipant): string {
  let name = normalizedNames.get(participant);
  if (name === undefined) normalizedNames.set(participant, (name = normalizeDisplayName(participant.name)));
  return name;
}
