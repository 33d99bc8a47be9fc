import type { App, types } from '@slack/bolt';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { readHomeAudience, readParticipantHome, readStaffHome } from '../../services/queries/app-home-queries.js';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import { escapeMrkdwn } from './blocks.js';

export interface AppHomeDeps {
  prisma: Db;
  clock: Clock;
  log: Logger;
  evaluator: SessionEvaluator;
  /** The clinic of the delivery's workspace (or enterprise); null: not installed, nothing is done. */
  organizationFor(teamId?: string, enterpriseId?: string): Promise<string | null>;
}

const section = (text: string): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const hours = (minutes: number) => `${Math.floor(minutes / 60)} h ${minutes % 60} min`;

/**
 * App Home: staff see today's sessions and open follow-ups; a participant sees only their own next
 * sessions and week, and only while participant chat on Slack is on. Off (the default, as Slack's
 * terms forbid patient communication there), everyone else is told only how to reach the clinic.
 */
export function registerAppHome(app: App, deps: AppHomeDeps): void {
  const { log } = deps;
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const organizationId = await deps.organizationFor(body.team_id, body.enterprise_id);
    if (!organizationId) return void log.warn({ teamId: body.team_id }, 'app home from a workspace not installed');
    const audience = await readHomeAudience(deps, organizationId, 'slack', event.user);
    const blocks =
      audience.kind === 'staff'
        ? await staffHome(deps, organizationId, event.user)
        : audience.kind === 'participant'
          ? await participantHome(deps, organizationId, event.user)
          : clinicContactHome(audience.clinicContact);
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks } });
    log.debug({ organizationId }, 'app home published');
  });
}

async function staffHome(deps: AppHomeDeps, organizationId: string, userId: string): Promise<types.KnownBlock[]> {
  const { sessions, followUps } = await readStaffHome(deps, organizationId, 'slack', userId);
  const blocks: types.KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: "Today's sessions" } }];
  for (const session of sessions) {
    const present = session.rows.filter((r) => r.status === 'present' || r.status === 'late').length;
    blocks.push(section(`*${escapeMrkdwn(session.label)}*: ${present} of ${session.rows.length} present`));
  }
  if (sessions.length === 0) blocks.push(section('No sessions today.'));
  blocks.push({ type: 'header', text: { type: 'plain_text', text: 'Your open follow-ups' } });
  blocks.push(section(followUps.length ? followUps.map((f) => `• ${f.kind.replace('_', ' ')} (${escapeMrkdwn(f.programName)}), since ${DateTime.fromJSDate(f.createdAt).toFormat('d LLL')}`).join('\n') : 'None open.'));
  return blocks;
}

/** Says nothing of the person, not even whether the clinic knows them. */
function clinicContactHome(clinicContact: string | undefined): types.KnownBlock[] {
  return [
    section(
      "Hi! I'm Rollcall, your program's attendance helper. Your care team can't be reached through Slack: " +
        `please contact ${clinicContact ? escapeMrkdwn(clinicContact) : 'your clinic directly'}. ` +
        'If you are in danger, call or text 988, or call 911 in an emergency.',
    ),
  ];
}

async function participantHome(deps: AppHomeDeps, organizationId: string, userId: string): Promise<types.KnownBlock[]> {
  const home = await readParticipantHome(deps, organizationId, 'slack', userId);
  if (!home) return [section("Hi! I'm Rollcall, your program's attendance helper. Your clinic hasn't connected your Slack account yet.")];
  const { progress } = home;
  const next = progress.upcoming.slice(0, 3).map((s) => `• ${escapeMrkdwn(s.programName)}: ${DateTime.fromJSDate(s.startsAt, { zone: home.timezone ?? s.timezone }).toFormat('ccc d LLL, HH:mm')}`);
  return [
    { type: 'header', text: { type: 'plain_text', text: 'This week' } },
    section(`${hours(progress.weekMinutes)} of ${hours(progress.requiredMinutes)} this week: ${progress.weekText}.`),
    { type: 'header', text: { type: 'plain_text', text: 'Your next sessions' } },
    section(next.length ? next.join('\n') : 'No upcoming sessions scheduled.'),
  ];
}
