import type { ParticipantMessage } from '../core/participant-message.js';
import type { Platform } from '../core/presence-event.js';
import { DEFAULT_CHAT_ORDER, resolveOrganizationSettings } from '../core/organization-settings.js';
import type { Db } from '../db/database.js';

/** One participant's own chat account on one platform (Slack user id, Teams AAD object id, Zoom user id or JID, an E.164 number for SMS). */
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

/**
 * Where the bot may write to a participant: a platform the organization allows participant chat on
 * (Slack only when turned on, DESIGN.md "Care and safety"), where the participant has a linked chat
 * account (for SMS: a phone number with consent) and Rollcall has a messenger. The preferred
 * platform first, then the organization's order (participantChatOrder: Teams, Zoom, Slack, SMS).
 */
export async function findParticipantChatTarget(
  prisma: Db,
  messengerFor: MessengerFor,
  input: { organizationId: string; participantId: string; preferred?: Platform },
): Promise<ParticipantTarget | null> {
  const organization = await prisma.organization.findUniqueOrThrow({ where: { id: input.organizationId } });
  const settings = resolveOrganizationSettings(organization.settings);
  const allowed = settings.participantChat;
  const identities = await prisma.identity.findMany({
    where: { organizationId: input.organizationId, participantId: input.participantId, kind: { in: CHAT_KINDS } },
    orderBy: { createdAt: 'asc' },
  });
  const preference = chatOrder(settings.participantChatOrder);
  const order = input.preferred ? [input.preferred, ...preference.filter((p) => p !== input.preferred)] : preference;
  for (const platform of order) {
    if (!allowed[platform] || !messengerFor(platform)) continue;
    const userId = platform === 'sms' ? await textableNumber(prisma, input.organizationId, input.participantId) : identities.find((i) => i.platform === platform)?.value;
    if (userId) return { organizationId: input.organizationId, platform, userId };
  }
  return null;
}

/** The organization's order, then any platform it left out, in the default order. */
export function chatOrder(configured: readonly Platform[]): Platform[] {
  return [...configured, ...DEFAULT_CHAT_ORDER.filter((p) => !configured.includes(p))];
}

/** The participant's number, only while they consent to texts. */
async function textableNumber(prisma: Db, organizationId: string, participantId: string): Promise<string | undefined> {
  const participant = await prisma.participant.findFirst({ where: { id: participantId, organizationId }, select: { phone: true, smsConsent: true } });
  return participant?.phone && participant.smsConsent ? participant.phone : undefined;
}
