import type { Db } from '../db/database.js';
import { Prisma } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';

/**
 * A participant's SMS number (E.164, validated by the caller), audited without the number. A new
 * number has not consented: consent is given for a number, not a person (docs/sms.md). Returns
 * whether anything changed.
 */
export async function setParticipantPhone(
  tx: Db | Prisma.TransactionClient,
  input: { organizationId: string; actor: string; participant: { id: string; phone: string | null; smsConsent: boolean }; phone: string | null; at: Date; keepConsent?: boolean },
): Promise<boolean> {
  const { organizationId, actor, participant, phone, at } = input;
  if (phone === participant.phone) return false;
  const withdraw = participant.smsConsent && !input.keepConsent;
  await tx.participant.update({
    where: { id: participant.id },
    data: { phone, smsChoices: Prisma.DbNull, ...(withdraw ? { smsConsent: false, smsConsentAt: at, smsConsentSource: 'staff' } : {}) },
  });
  await writeAudit(tx, { organizationId, actor, action: 'participant.phone', entityType: 'Participant', entityId: participant.id, data: { set: phone !== null } });
  return true;
}
