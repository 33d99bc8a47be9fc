import { DateTime } from 'luxon';
import type { Clock } from '../../clock.js';
import { resolveOrganizationSettings } from '../../core/organization-settings.js';
import type { Db } from '../../db/database.js';
import { DeliveryError } from '../../services/notifier.js';
import type { ParticipantMessenger } from '../../services/participant-messenger.js';
import { storePendingChoices } from './pending-choices.js';
import { renderSms } from './sms-text.js';
import { senderOf } from './text-clinic.js';
import { sendTwilioMessage, type TwilioSettings } from './twilio-client.js';

/** Texts wait outside 08:00–21:00 in the participant's zone (crisis replies are answers, never held). */
const QUIET_FROM_HOUR = 21;
const QUIET_UNTIL_HOUR = 8;

/**
 * Writes to a participant by text. Consent is checked at the moment of sending, so a STOP that
 * arrives while a reminder waits in the outbox stops it. Program names become the clinic's SMS name
 * ("your group"): a text can be read on a lock screen. A clinic's texts go from its own number or
 * Messaging Service when it has one (text-clinic.ts), so replies come back to it. The choices sent
 * are kept on the participant so a reply "1" or "YES" means the button it names (pending-choices.ts).
 */
export function createSmsMessenger(deps: { prisma: Db; clock: Clock; twilio: TwilioSettings }): ParticipantMessenger {
  const { prisma } = deps;
  return {
    async send(target, message) {
      const participant = await prisma.participant.findFirst({ where: { organizationId: target.organizationId, phone: target.userId } });
      if (!participant?.smsConsent) throw new DeliveryError('no SMS consent', false);
      const wait = quietSecondsLeft(deps.clock.now(), participant.timezone ?? 'UTC');
      if (wait > 0) throw new DeliveryError('held for quiet hours', true, wait);
      const rename = await programRenamer(prisma, target.organizationId);
      const organization = await prisma.organization.findUniqueOrThrow({ where: { id: target.organizationId }, select: { settings: true } });
      const sender = senderOf(organization.settings, deps.twilio);
      const sent = await sendTwilioMessage({ ...deps.twilio, ...sender }, target.userId, renderSms(message, rename));
      await storePendingChoices(prisma, participant.id, message.choices, deps.clock.now());
      return { messageId: sent.sid };
    },
  };
}

/** Seconds until 08:00 local when `now` falls in quiet hours; 0 otherwise. */
export function quietSecondsLeft(now: Date, zone: string): number {
  const local = DateTime.fromJSDate(now, { zone });
  if (local.hour >= QUIET_UNTIL_HOUR && local.hour < QUIET_FROM_HOUR) return 0;
  const morning = (local.hour >= QUIET_FROM_HOUR ? local.plus({ days: 1 }) : local).set({ hour: QUIET_UNTIL_HOUR, minute: 0, second: 0, millisecond: 0 });
  return Math.max(1, Math.ceil(morning.diff(local, 'seconds').seconds));
}

/** Replaces every program name of the organization with its SMS name, longest first. */
export async function programRenamer(prisma: Db, organizationId: string): Promise<(text: string) => string> {
  const organization = await prisma.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { settings: true } });
  const smsName = resolveOrganizationSettings(organization.settings).smsProgramName;
  const names = (await prisma.program.findMany({ where: { organizationId }, select: { name: true } })).map((p) => p.name).filter(Boolean).sort((a, b) => b.length - a.length);
  return (text) => names.reduce((out, name) => out.split(name).join(smsName), text);
}
