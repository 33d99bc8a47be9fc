import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixtureDir = fileURLToPath(new URL('../fixtures/teams/', import.meta.url));

export const TEAMS_TENANT = '8a1c2b3d-0000-4e5f-8a9b-0000000000f1';
export const TEAMS_BOT_ID = '28:00000000-0000-0000-0000-00000000b07a';
export const STAFF_CHANNEL_ID = '19:Xq3staffchannel0000@thread.tacv2';

/**
 * The app's environment for tests that post unauthenticated activities from a fake connector on
 * loopback: Teams' local-development switch (without it and without an app id, Teams is off).
 * test/support/bot-framework-auth.ts has the authenticated setting. The fixtures' tenant is the
 * deployment's home tenant, so its installs join the first clinic (as a single-clinic deployment's do).
 */
export const TEAMS_DEVELOPMENT_ENV = { ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS: '1', MICROSOFT_APP_TENANT_ID: TEAMS_TENANT } as const;

/** A saved Teams activity (parsed), to be re-shaped per test: values change, field names never. */
export function readTeamsFixture(name: string): any {
  return JSON.parse(readFileSync(`${fixtureDir}${name}.json`, 'utf8'));
}

let seq = 0;
/** A fresh numeric activity id, as Teams gives messages and events. */
export const nextActivityId = () => String(1_764_400_000_000 + ++seq);

export interface TeamsPerson {
  name: string;
  /** Missing for guests (anonymous or external users). */
  aadObjectId?: string;
  /** The Teams user id (29:...). */
  id?: string;
}

/** A fixture activity pointed at a connector, with a fresh id unless one is given. */
export function teamsActivity(fixture: string, options: { serviceUrl: string; id?: string; at?: Date }): any {
  const activity = readTeamsFixture(fixture);
  activity.serviceUrl = options.serviceUrl;
  activity.id = options.id ?? (String(activity.id).startsWith('f:') ? `f:${randomUUID()}` : nextActivityId());
  if (options.at) activity.timestamp = options.at.toISOString();
  return activity;
}

/** A meeting event for one meeting, at a time, for some people (join/leave carry members[]). */
export function meetingActivity(
  fixture: 'meeting-start' | 'meeting-end' | 'meeting-participant-join' | 'meeting-participant-leave',
  options: { serviceUrl: string; meetingId: string; at: Date; people?: TeamsPerson[]; id?: string },
): any {
  const activity = teamsActivity(fixture, options);
  activity.channelData.meeting.id = options.meetingId;
  if (activity.value.Id !== undefined) activity.value.Id = options.meetingId;
  if (activity.value.StartTime !== undefined) activity.value.StartTime = options.at.toISOString();
  if (activity.value.EndTime !== undefined) activity.value.EndTime = options.at.toISOString();
  if (options.people) {
    const template = activity.value.members[0];
    activity.value.members = options.people.map((person, i) => {
      const user = { ...template.user, name: person.name, id: person.id ?? `29:1Teams${i}${person.name.replace(/\W/g, '')}` };
      if (person.aadObjectId) Object.assign(user, { aadObjectId: person.aadObjectId, objectId: person.aadObjectId });
      else {
        delete user.aadObjectId;
        delete user.objectId;
      }
      return { user, meeting: { ...template.meeting } };
    });
  }
  return activity;
}

/** A message from someone, in the fixture's conversation (a channel post or a personal chat). */
export function messageActivity(fixture: 'message-channel-link' | 'message-personal', options: { serviceUrl: string; text: string; from?: TeamsPerson; conversationId?: string; id?: string }): any {
  const activity = teamsActivity(fixture, options);
  activity.text = fixture === 'message-channel-link' ? `<at>Rollcall</at> ${options.text}` : options.text;
  if (options.from) activity.from = { id: options.from.id ?? `29:1Teams${options.from.name.replace(/\W/g, '')}`, name: options.from.name, aadObjectId: options.from.aadObjectId };
  if (options.conversationId) activity.conversation.id = options.conversationId;
  return activity;
}

/** The invoke Teams sends when someone presses an `Action.Execute` button on a card we posted. */
export function cardActionActivity(options: { serviceUrl: string; replyToId: string; verb: string; data: unknown; from?: TeamsPerson; conversation?: 'channel' | 'personal'; id?: string }): any {
  const activity = teamsActivity('adaptive-card-action', options);
  activity.replyToId = options.replyToId;
  activity.value.action.verb = options.verb;
  activity.value.action.data = options.data;
  if (options.from) activity.from = { id: options.from.id ?? `29:1Teams${options.from.name.replace(/\W/g, '')}`, name: options.from.name, aadObjectId: options.from.aadObjectId };
  if (options.conversation === 'personal') {
    const personal = readTeamsFixture('message-personal');
    activity.conversation = personal.conversation;
    activity.channelData = personal.channelData;
  } else {
    activity.conversation.id = `${STAFF_CHANNEL_ID};messageid=${options.replyToId}`;
  }
  return activity;
}

/**
 * POSTs an activity to /api/messages as the Bot Connector does: unauthenticated (an app under
 * TEAMS_DEVELOPMENT_ENV), or with `authorization: Bearer <token>` (bot-framework-auth.ts).
 */
export async function postTeams(baseUrl: string, activity: unknown, options: { authorization?: string } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) };
  const response = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // A plain-text answer (an error) is kept as text.
  }
  return { status: response.status, body };
}
