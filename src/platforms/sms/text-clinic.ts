import { resolveOrganizationSettings } from '../../core/organization-settings.js';
import { toE164 } from '../../core/phone-number.js';
import type { Db } from '../../db/database.js';

/** The deployment's own sender (TWILIO_FROM_NUMBER / TWILIO_MESSAGING_SERVICE_SID), shared by clinics that have none. */
export interface SharedSender {
  fromNumber?: string;
  messagingServiceSid?: string;
}

export interface TextClinic {
  /** The clinic the text is for; null when no clinic owns the number texted. */
  organizationId: string | null;
  /**
   * Other clinics that text this phone from the same (shared) sender. Twilio and the carriers
   * honour STOP per sender, so a STOP to it stops their texts too and is recorded there as well.
   */
  sameSender: string[];
}

export interface InboundAddress {
  /** Twilio's `To`: the number the participant texted (E.164), if it reads as one. */
  to: string | null;
  /** Twilio's `MessagingServiceSid`, present when that number is in a Messaging Service. */
  messagingServiceSid: string | null;
  /** The participant's number (E.164). */
  from: string;
}

/**
 * The clinic an incoming text is for, or null when no clinic owns the number texted. The number
 * texted decides, never the sender alone: one phone may be a participant of two clinics.
 *
 * 1. A clinic whose `smsNumbers` holds `To`, or whose `smsMessagingServiceSid` is the service.
 * 2. The deployment's shared sender: among the clinics that send from it (no sender of their own),
 *    the one where the phone is a participant; of several, the one that texted it last; of none,
 *    the only clinic sharing it (a single-clinic deployment: an unknown number's crisis reaches it).
 * 3. Anything else (a number bought but not given to a clinic, a shared sender several clinics use
 *    for a phone none of them knows): null. Texts there are answered but stored against no clinic.
 */
export async function findClinicForText(prisma: Db, shared: SharedSender, address: InboundAddress): Promise<TextClinic> {
  const { to, messagingServiceSid, from } = address;
  const only = (organizationId: string | null): TextClinic => ({ organizationId, sameSender: [] });
  if (to) {
    const byNumber = await prisma.organization.findFirst({ where: { settings: { path: ['smsNumbers'], array_contains: [to] } }, orderBy: { createdAt: 'asc' }, select: { id: true } });
    if (byNumber) return only(byNumber.id);
  }
  if (messagingServiceSid) {
    const byService = await prisma.organization.findFirst({ where: { settings: { path: ['smsMessagingServiceSid'], equals: messagingServiceSid } }, orderBy: { createdAt: 'asc' }, select: { id: true } });
    if (byService) return only(byService.id);
  }
  const sharedNumber = shared.fromNumber ? toE164(shared.fromNumber) : null;
  const toShared = (to !== null && to === sharedNumber) || (messagingServiceSid !== null && messagingServiceSid === shared.messagingServiceSid);
  if (!toShared) return only(null);

  const knownIn = await prisma.participant.findMany({ where: { phone: from }, select: { id: true, organizationId: true } });
  const sharing = await clinicsWithoutOwnSender(prisma, knownIn.length ? knownIn.map((p) => p.organizationId) : undefined);
  if (sharing.length === 1) return only(sharing[0]!);
  if (sharing.length < 2 || knownIn.length === 0) return only(null);
  // A participant of several clinics that share the sender: the reply is to the clinic that wrote last.
  const last = await prisma.participantOutboxMessage.findFirst({
    where: { organizationId: { in: sharing }, participantId: { in: knownIn.map((p) => p.id) }, platform: 'sms', state: 'sent' },
    orderBy: { sentAt: 'desc' },
    select: { organizationId: true },
  });
  const organizationId = last?.organizationId ?? null;
  return { organizationId, sameSender: organizationId ? sharing.filter((id) => id !== organizationId) : [] };
}

/** Organizations (of `among`, or all) with neither numbers nor a Messaging Service of their own. */
async function clinicsWithoutOwnSender(prisma: Db, among?: string[]): Promise<string[]> {
  const rows = await prisma.organization.findMany({ where: among ? { id: { in: among } } : {}, select: { id: true, settings: true }, orderBy: { createdAt: 'asc' } });
  return rows.filter((row) => !hasOwnSender(row.settings)).map((row) => row.id);
}

function hasOwnSender(stored: unknown): boolean {
  const settings = resolveOrganizationSettings(stored);
  return settings.smsNumbers.length > 0 || settings.smsMessagingServiceSid !== undefined;
}

/** The sender a clinic's texts go from: its Messaging Service, else its first number, else the deployment's. */
export function senderOf(stored: unknown, shared: SharedSender): { messagingServiceSid: string | undefined; fromNumber: string | undefined } {
  const settings = resolveOrganizationSettings(stored);
  if (settings.smsMessagingServiceSid) return { messagingServiceSid: settings.smsMessagingServiceSid, fromNumber: undefined };
  if (settings.smsNumbers[0]) return { messagingServiceSid: undefined, fromNumber: settings.smsNumbers[0] };
  return { messagingServiceSid: shared.messagingServiceSid, fromNumber: shared.fromNumber };
}
