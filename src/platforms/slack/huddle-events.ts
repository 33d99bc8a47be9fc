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
  organizationFor(workspaceId: string): Promise<string>;
  /** The same path Zoom's events take: stored once, then the session is evaluated. */
  receive: PlatformHost['receive'];
}

/** Huddle presence for programs that meet in a Slack huddle (session meeting platform `slack`, meeting id = channel id). */
export function registerHuddleEvents(app: App, deps: HuddleDeps): void {
  const { prisma, clock, log } = deps;
  app.event('user_huddle_changed', async ({ event, body }) => {
    const organizationId = await deps.organizationFor((body as { team_id?: string }).team_id ?? '');
    const change = { eventId: (body as { event_id?: string }).event_id ?? '', eventTs: (event as { event_ts: string }).event_ts, user: (event as unknown as HuddleChange).user };
    const meetingIds = await runningMeetingsOf(prisma, { organizationId, platform: 'slack', chatUserId: change.user.id, at: clock.now() });
    if (meetingIds.length === 0) return;
    await deps.receive(normalizeHuddleChange(change, meetingIds));
    log.info({ organizationId, sessions: meetingIds.length }, 'huddle presence');
  });
}
