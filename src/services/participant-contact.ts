import type { Db } from '../db/database.js';

/** The participant was in touch (a message or button press to the bot): it breaks a run of misses (core/strikes.ts). */
export async function recordParticipantContact(prisma: Db, organizationId: string, participantId: string, at: Date): Promise<void> {
  await prisma.participant.updateMany({ where: { id: participantId, organizationId, OR: [{ lastContactAt: null }, { lastContactAt: { lt: at } }] }, data: { lastContactAt: at } });
}
