import type { ParticipantMessage } from '../core/participant-message.js';
import type { Platform } from '../core/presence-event.js';
import { resolveOrganizationSettings } from '../core/organization-settings.js';
import type { Db } from '../db/database.js';

/** One participant's own chat account on one platform (Slack user id, Teams AAD object id, Zoom user id or JID). */
export interface ParticipantTarget {
  organizationId: string;
  platform: Platform;
  userId: string;
}

/**
 * A chat platform seen from the services that write to participants (outreach, check-ins,
 * reminders, follow-ups). Implementations live in platforms/<name>/; they throw DeliveryError
 * (services/notifier.ts) so callers can tell a retry from a permanent failure.
 */
export interface ParticipantMessenger {
  send(target: ParticipantTarget, message: ParticipantMessage): Promise<{ messageId: string }>;
}

export type MessengerFor = (platform: Platform) => ParticipantMessenger | undefined;

const CHAT_KINDS = ['user_id', 'aad_object_id'];
const PREFERENCE: Platform[] = ['teams', 'zoom', 'slack'];

/**
 * Where the bot may write to a participant: a platform the organization allows participant chat on
 * (Slack only when turned on, DESIGN.md "Care and safety"), where the participant has a linked chat
 * account and Rollcall has a messenger. The preferred platform first, then Teams, Zoom, Slack.
 */
export async function findParticipantChatTarget(
  prisma: Db,
  messengerFor: MessengerFor,
  input: { organizationId: string; participantId: string; preferred?: Platform },
): Promise<ParticipantTarget | null> {
  const organization = await prisma.organization.findUniqueOrThrow({ where: { id: input.organizationId } });
  const allowed = resolveOrganizationSettings(organization.settings).participantChat;
  const identities = await prisma.identity.findMany({
    where: { organizationId: input.organizationId, participantId: input.participantId, kind: { in: CHAT_KINDS } },
    orderBy: { createdAt: 'asc' },
  });
  const order = input.preferred ? [input.preferred, ...PREFERENCE.filter((p) => p !== input.preferred)] : PREFERENCE;
  for (const platform of order) {
    const identity = identities.find((i) => i.platform === platform);
    if (identity && allowed[platform] && messengerFor(platform)) return { organizationId: input.organizationId, platform, userId: identity.value };
  }
  return null;
}
