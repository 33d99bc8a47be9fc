import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import type { PresenceEvent } from '../../core/presence-event.js';
import { SESSION_MATCH_MARGIN_MS } from '../../services/ingest.js';
import { findParticipantByChatUser } from '../../services/participant-lookup.js';
import { normalizeHuddleChange, type HuddleChange } from './huddles.js';

export interface HuddleDeps {
  prisma: Db;
  clock: Clock;
  log: Logger;
  organizationFor(workspaceId: string): Promise<string>;
  /** The same path Zoom's events take: stored once, then the session is evaluated. */
  ingestPresence(events: PresenceEvent[]): Promise<unknown>;
}

/** Huddle presence for programs that meet in a Slack huddle (session meeting platform `slack`, meeting id = channel id). */
export function registerHuddleEvents(app: App, deps: HuddleDeps): void {
  const { prisma, clock, log } = deps;
  app.event('user_huddle_changed', async ({ event, body }) => {
    const organizationId = await deps.organizationFor((body as { team_id?: string }).team_id ?? '');
    const change = { eventId: (body as { event_id?: string }).event_id ?? '', eventTs: (event as { event_ts: string }).event_ts, user: (event as unknown as HuddleChange).user };
    const participant = await findParticipantByChatUser(prisma, organizationId, 'slack', change.user.id);
    if (!participant) return;
    const now = clock.now().getTime();
    const sessions = await prisma.session.findMany({
      where: {
        organizationId,
        meetingPlatform: 'slack',
        startsAt: { lte: new Date(now + SESSION_MATCH_MARGIN_MS) },
        endsAt: { gte: new Date(now - SESSION_MATCH_MARGIN_MS) },
        program: { enrollments: { some: { participantId: participant.id, status: 'active' } } },
      },
      select: { meetingId: true },
    });
    const events = normalizeHuddleChange(change, [...new Set(sessions.map((s) => s.meetingId))]);
    await deps.ingestPresence(events);
    log.info({ organizationId, sessions: sessions.length }, 'huddle presence');
  });
}
