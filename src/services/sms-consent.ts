import type { Db } from '../db/database.js';
import { Prisma } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';

/** How SMS consent was given or taken back; kept with its time (docs/sms.md). */
export type SmsConsentSource = 'intake_form' | 'staff' | 'participant_texted' | 'stop_keyword' | 'start_keyword';

/**
 * Records a participant's SMS consent (or its withdrawal) with time and source, audited. Only a
 * change is recorded: a second STOP leaves the first one's time in place. A withdrawal stops the
 * texts waiting in the outbox at once.
 */
export async function setSmsConsent(
  db: Db | Prisma.TransactionClient,
  input: { organizationId: string; participantId: string; consent: boolean; source: SmsConsentSource; actor: string; at: Date },
): Promise<{ changed: boolean }> {
  const { count } = await db.participant.updateMany({
    where: { id: input.participantId, organizationId: input.organizationId, smsConsent: !input.consent },
    data: { smsConsent: input.consent, smsConsentAt: input.at, smsConsentSource: input.source, ...(input.consent ? {} : { smsChoices: Prisma.DbNull }) },
  });
  if (count === 0) return { changed: false };
  if (!input.consent) {
    // Texts already waiting (quiet hours, a Twilio retry) stop now, not at their next attempt hours
    // later; a send in progress (sendAttemptedAt set) is left to finish as it will.
    await db.participantOutboxMessage.updateMany({
      where: { organizationId: input.organizationId, participantId: input.participantId, platform: 'sms', state: 'pending', sendAttemptedAt: null },
      data: { state: 'failed', lastError: 'no SMS consent' },
    });
  }
  await writeAudit(db, {
    organizationId: input.organizationId,
    actor: input.actor,
    action: input.consent ? 'participant.sms_consent' : 'participant.sms_opt_out',
    entityType: 'Participant',
    entityId: input.participantId,
    data: { source: input.source },
  });
  return { changed: true };
}
