import type { Platform } from '../../core/presence-event.js';
import type { Db } from '../../db/database.js';
import { findParticipantByChatUser } from '../participant-lookup.js';
import { sessionWindowAt } from './session-window.js';

/**
 * The meetings a chat user is expected in now: sessions on `platform` of the programs they are
 * actively enrolled in, open at `at`. A Slack huddle change says who is in *a* huddle, not which,
 * so it is read as presence in each of these (best effort). Empty for someone not linked.
 */
export async function runningMeetingsOf(prisma: Db, input: { organizationId: string; platform: Platform; chatUserId: string; at: Date }): Promise<string[]> {
  const participant = await findParticipantByChatUser(prisma, input.organizationId, input.platform, input.chatUserId);
  if (!participant) return [];
  const sessions = await prisma.session.findMany({
    where: {
      organizationId: input.organizationId,
      meetingPlatform: input.platform,
      ...sessionWindowAt(input.at),
      program: { enrollments: { some: { participantId: participant.id, status: 'active' } } },
    },
    select: { meetingId: true },
  });
  return [...new Set(sessions.map((s) => s.meetingId))];
}
