import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { PlatformHost } from '../module.js';
import { adoptTeamsMeetingId } from './meeting-ids.js';
import { MEETING_EVENTS, normalizeMeetingActivity, type MeetingActivity } from './normalize.js';

export interface MeetingEventDeps {
  prisma: Db;
  clock: Clock;
  log: Logger;
  /** The one way presence enters (services/presence/): stored, scoped, then evaluated. */
  receive: PlatformHost['receive'];
  /** The clinic of the tenant the meeting belongs to; null: the tenant never installed Rollcall. */
  organizationFor(tenantId: string): Promise<string | null>;
}

/** What Graph reconciliation needs of a Teams occurrence (session.meetingInfo); ids only. */
export interface TeamsMeetingInfo {
  platform: 'teams';
  tenantId?: string;
  organizerId?: string;
  /** The Graph online meeting id (MeetingInfo.details.msGraphResourceId). */
  onlineMeetingId?: string;
  channelMeeting?: boolean;
}

const isMeetingEvent = async (context: TurnContext) => context.activity.type === 'event' && Object.hasOwn(MEETING_EVENTS, context.activity.name ?? '');

/**
 * Meeting start/end and participant join/leave, routed by name (teams-ai 1.7's meetings handlers
 * listen for names Teams does not send). The facts are stored before Teams gets its 200. Then,
 * once per session, the meeting's organizer and Graph id are asked of the connector and kept on
 * the session for the post-meeting attendance report.
 */
export function registerMeetingEvents(app: Application, deps: MeetingEventDeps): void {
  const { log } = deps;
  app.activity(isMeetingEvent, async (context) => {
    const result = normalizeMeetingActivity(context.activity, deps.clock.now());
    if (result.type === 'invalid') {
      log.warn({ activityId: context.activity.id, issues: result.issues }, 'teams meeting event not understood');
      return;
    }
    const tenantId = result.activity.channelData.tenant?.id;
    const organizationId = tenantId ? await deps.organizationFor(tenantId) : null;
    if (!organizationId) return void log.warn({ activityId: context.activity.id, tenantId }, 'teams meeting event from a tenant that never installed: ignored');
    const learned = await adoptTeamsMeetingId(deps.prisma, organizationId, result.activity, result.events[0]!.occurredAt);
    if (learned > 0) log.info({ activityId: result.activity.id, sessions: learned }, 'teams meeting id learned from the join url');
    const { sessionIds } = await deps.receive(result.events);
    log.info({ activityId: result.activity.id, name: result.activity.name, events: result.events.length, sessions: sessionIds.length }, 'teams meeting event stored');
    if (sessionIds.length > 0) await learnMeetingInfo(context, deps, result.activity, sessionIds);
  });
}

async function learnMeetingInfo(context: TurnContext, deps: MeetingEventDeps, activity: MeetingActivity, sessionIds: string[]): Promise<void> {
  const { prisma, log } = deps;
  const sessions = await prisma.session.findMany({ where: { id: { in: sessionIds } }, select: { id: true, meetingInfo: true } });
  const unknown = sessions.filter((s) => !(s.meetingInfo as TeamsMeetingInfo | null)?.organizerId);
  if (unknown.length === 0) return;
  const channelMeeting = activity.conversation.conversationType === 'channel' || /channel/i.test(activity.value?.MeetingType ?? '');
  let info: TeamsMeetingInfo = { platform: 'teams', tenantId: activity.channelData.tenant?.id, channelMeeting };
  try {
    const meeting = await TeamsInfo.getMeetingInfo(context, activity.channelData.meeting.id);
    info = { ...info, organizerId: meeting.organizer?.aadObjectId || undefined, onlineMeetingId: meeting.details?.msGraphResourceId || undefined };
  } catch (error) {
    // Reconciliation then says why it could not run; presence itself is already stored.
    log.warn({ activityId: activity.id, status: (error as { statusCode?: number }).statusCode }, 'teams meeting details unavailable');
  }
  await prisma.session.updateMany({ where: { id: { in: unknown.map((s) => s.id) } }, data: { meetingInfo: info as object } });
}
