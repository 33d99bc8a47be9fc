import type { Platform } from '../core/presence-event.js';
import type { Db } from '../db/database.js';

/** The participant a chat platform's user id (for SMS, an E.164 number) names in this organization, if any. */
export async function findParticipantByChatUser(prisma: Db, organizationId: string, platform: Platform, userId: string) {
  if (platform === 'sms') return prisma.participant.findFirst({ where: { organizationId, phone: userId } });
  const identity = await prisma.identity.findFirst({
    where: { organizationId, platform, kind: { in: ['user_id', 'aad_object_id'] }, value: userId },
    include: { participant: true },
  });
  return identity?.participant ?? null;
}

/** Whether a chat platform's user id is on the staff of any program of the organization. */
export async function isStaffUser(prisma: Db, organizationId: string, userId: string): Promise<boolean> {
  return (await prisma.program.count({ where: { organizationId, staffUserIds: { has: userId } } })) > 0;
}
