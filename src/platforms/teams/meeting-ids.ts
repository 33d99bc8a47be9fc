import type { Db } from '../../db/database.js';
import { sessionWindowAt } from '../../services/presence/session-window.js';
import { writeAudit } from '../../services/audit.js';
import type { MeetingActivity } from './normalize.js';
import { forgetSessionLookups } from '../../services/presence/session-lookup.js';

/** A Teams meeting's chat thread, `19:meeting_…@thread.v2`: in its join URL and in its activities' conversation id. */
const THREAD = /19:meeting_[^/@?#\s]+@thread\.v2/i;

export function meetingThreadOf(text: string | undefined | null): string | undefined {
  if (!text) return undefined;
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // Not URL-encoded after all: read as it is.
  }
  return THREAD.exec(decoded)?.[0]?.toLowerCase();
}

/**
 * Admins know a Teams meeting by its join URL (or its chat thread id), not by the id Teams puts in
 * `channelData.meeting.id`. Before a meeting event is stored, a Teams session in its window that is
 * not yet known by that id but whose join URL (or meeting id) names the same meeting thread takes the
 * id, as does its schedule, so this and later occurrences match. Only the tenant's own clinic's
 * sessions are looked at. Audited as the system's doing.
 */
export async function adoptTeamsMeetingId(prisma: Db, organizationId: string, activity: MeetingActivity, at: Date): Promise<number> {
  const meetingId = activity.channelData.meeting.id;
  const window = sessionWindowAt(at);
  if ((await prisma.session.count({ where: { organizationId, meetingPlatform: 'teams', meetingId, ...window } })) > 0) return 0;
  const thread = meetingThreadOf(activity.conversation.id) ?? meetingThreadOf(activity.value?.JoinUrl);
  if (!thread) return 0;
  const candidates = await prisma.session.findMany({ where: { organizationId, meetingPlatform: 'teams', ...window }, select: { id: true, organizationId: true, meetingId: true, joinUrl: true, scheduleId: true } });
  const same = candidates.filter((s) => meetingThreadOf(s.joinUrl) === thread || meetingThreadOf(s.meetingId) === thread);
  for (const session of same) {
    await prisma.$transaction(async (tx) => {
      await tx.session.update({ where: { id: session.id }, data: { meetingId } });
      if (session.scheduleId) await tx.schedule.updateMany({ where: { id: session.scheduleId, meetingPlatform: 'teams' }, data: { meetingId } });
      await writeAudit(tx, { organizationId: session.organizationId, actor: 'system', action: 'session.learn_meeting_id', entityType: 'Session', entityId: session.id, data: { platform: 'teams', previous: session.meetingId, meetingId } });
    });
  }
  if (same.length > 0) forgetSessionLookups();
  return same.length;
}
