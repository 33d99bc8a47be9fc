import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { PlatformHost } from '../module.js';
import { runningMeetingsOf } from '../../services/presence/running-meetings.js';
import { normalizeHuddleChange, type HuddleChange } from './huddles.js';

export interface HuddleDeps {
  prisma: Db;
  clock: Clock;
  log: Logger;
  /** The clinic of the delivery's workspace (or enterprise); null: not installed, nothing is done. */
  organizationFor(teamId?: string, enterpriseId?: string): Promise<string | null>;
  /** The same path Zoom's events take: stored once, then the session is evaluated. */
  receive: PlatformHost['receive'];
}

/** Huddle presence for programs that meet in a Slack huddle (session meeting platform `slack`, meeting id = channel id). */
export function registerHuddleEvents(app: App, deps: HuddleDeps): void {
  const { prisma, clock, log } = deps;
  app.event('user_huddle_changed', async ({ event, body }) => {
    const ids = body as { team_id?: string; enterprise_id?: string; event_id?: string };
    const organizationId = await deps.organizationFor(ids.team_id, ids.enterprise_id);
    if (!organizationId) return void log.warn({ teamId: ids.team_id }, 'huddle event from a workspace not installed: ignored');
    const change = { eventId: ids.event_id ?? '', eventTs: (event as { event_ts: string }).event_ts, teamId: ids.team_id, user: (event as unknown as HuddleChange).user };
    const meetingIds = await runningMeetingsOf(prisma, { organizationId, platform: 'slack', chatUserId: change.user.id, at: clock.now() });
    if (meetingIds.length === 0) return;
    await deps.receive(normalizeHuddleChange(change, meetingIds));
    log.info({ organizationId, sessions: meetingIds.length }, 'huddle presence');
  });
}
