import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_VERB, CHOICE_INPUT_ID } from '../../src/platforms/teams/cards.js';
import { startFakeBotConnector, type ConnectorMessage, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { at, minutes, minutesAgo } from '../support/scenario.js';
import {
  cardActionActivity,
  meetingActivity,
  messageActivity,
  postTeams,
  STAFF_CHANNEL_ID,
  TEAMS_TENANT,
  teamsActivity,
  type TeamsPerson,
  TEAMS_DEVELOPMENT_ENV,
} from '../support/teams-activities.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let connector: FakeBotConnector;
let app: TestApp;
const STAFF: TeamsPerson = { name: 'Dana Facilitator', aadObjectId: '5c3b9a1e-0000-4d8e-9f00-00000000aa01' };

beforeAll(async () => {
  connector = await startFakeBotConnector();
  app = await startTestApp({ env: TEAMS_DEVELOPMENT_ENV, platforms: ['teams'] });
  // The bot is in the staff channel's team, as after an install.
  expect((await postTeams(app.url, teamsActivity('bot-added-to-team', { serviceUrl: connector.url }))).status).toBe(200);
});
afterAll(async () => {
  await app?.stop();
  await connector?.close();
});

let meetings = 0;
/** A program linked to the staff channel from Teams, with Alex enrolled and a session on a Teams meeting. */
async function teamsSession(options: { startedMinutesAgo?: number; people?: { name: string; aadObjectId: string }[] } = {}) {
  meetings += 1;
  const meetingId = `MCMxOTptZWV0aW5nX${meetings}X0BAdGhyZWFkLnYyIzA=`;
  const name = `Morning Group ${meetings}`;
  const program = await app.api('POST', '/api/v1/programs', { name, timezone: 'America/New_York', alertChannel: { platform: 'slack', channelId: 'C-NOT-YET' }, staffUserIds: [STAFF.aadObjectId] });
  expect(program.status).toBe(201);
  // Staff link the channel from Teams, before any session can raise an alert.
  const linked = await postTeams(app.url, messageActivity('message-channel-link', { serviceUrl: connector.url, text: `link ${name}`, from: STAFF }));
  expect(linked.status).toBe(200);
  const people = options.people ?? [{ name: 'Alex Kim', aadObjectId: `7e8f9a0b-0000-4c1d-8e2f-0000000${String(meetings).padStart(5, '0')}` }];
  const participants: string[] = [];
  const start = minutesAgo(options.startedMinutesAgo ?? 20);
  for (const person of people) {
    const created = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, {
      name: person.name,
      enrolledAt: new Date(start.getTime() - 86_400_000).toISOString(),
      identities: [{ platform: 'teams', externalId: person.aadObjectId }],
    });
    expect(created.status).toBe(201);
    participants.push(created.body.id);
  }
  const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + minutes(60)).toISOString(),
    meeting: { platform: 'teams', meetingId },
  });
  expect(session.status).toBe(201);
  return { programId: program.body.id as string, sessionId: session.body.id as string, participants, people, meetingId, start, name };
}

/** The channel's card for an alert, found by the alert id its buttons carry (or its fallback text). */
function cardFor(alertId: string): ConnectorMessage | undefined {
  return connector.messages(STAFF_CHANNEL_ID).find((m) => JSON.stringify(m.versions[0]).includes(alertId));
}

async function deliveredAlert(sessionId: string, kind: string) {
  return waitFor(async () => (await app.database.prisma.alert.findFirst({ where: { sessionId, kind, deliveryState: 'delivered' } })) ?? undefined, 8000, `the delivered ${kind} alert`);
}

const textOf = (card: any) => JSON.stringify(card);

describe('installation', () => {
  it('stores the team channel per tenant, and removes it when the bot is removed', async () => {
    const row = await app.database.prisma.chatConversation.findFirst({ where: { platform: 'teams', conversationId: STAFF_CHANNEL_ID } });
    expect(row).toMatchObject({ organizationId: app.organizationId, tenantId: TEAMS_TENANT, conversationType: 'channel' });
    expect((row!.reference as { serviceUrl: string }).serviceUrl).toBe(connector.url);
    expect(await app.database.prisma.installation.count({ where: { platform: 'teams', externalId: TEAMS_TENANT, organizationId: app.organizationId } })).toBe(1);

    // A personal install (a participant adding the app) is stored with the person's AAD id.
    await postTeams(app.url, teamsActivity('installation-update-add-personal', { serviceUrl: connector.url }));
    const personal = await app.database.prisma.chatConversation.findFirst({ where: { platform: 'teams', conversationType: 'personal' } });
    expect(personal?.userId).toBe('7e8f9a0b-0000-4c1d-8e2f-00000000c001');
    // ...and deleted when they remove the app.
    const uninstall = teamsActivity('installation-update-add-personal', { serviceUrl: connector.url });
    uninstall.action = 'remove';
    expect((await postTeams(app.url, uninstall)).status).toBe(200);
    expect(await app.database.prisma.chatConversation.count({ where: { platform: 'teams', conversationType: 'personal', userId: personal!.userId } })).toBe(0);

    // Removing the bot from another team deletes that team's channels only.
    const other = teamsActivity('bot-added-to-team', { serviceUrl: connector.url });
    other.conversation.id = other.channelData.team.id = '19:OtherTeam@thread.tacv2';
    await postTeams(app.url, other);
    expect(await app.database.prisma.chatConversation.count({ where: { teamId: '19:OtherTeam@thread.tacv2' } })).toBe(1);
    const removed = teamsActivity('bot-removed-from-team', { serviceUrl: connector.url });
    removed.conversation.id = removed.channelData.team.id = '19:OtherTeam@thread.tacv2';
    expect((await postTeams(app.url, removed)).status).toBe(200);
    expect(await app.database.prisma.chatConversation.count({ where: { teamId: '19:OtherTeam@thread.tacv2' } })).toBe(0);
    expect(await app.database.prisma.chatConversation.count({ where: { conversationId: STAFF_CHANNEL_ID } })).toBe(1);
  });

  it('links a program to the channel for its staff only, audited', async () => {
    const { programId, name } = await teamsSession();
    const program = await app.database.prisma.program.findUniqueOrThrow({ where: { id: programId } });
    expect(program).toMatchObject({ alertPlatform: 'teams', alertChannelId: STAFF_CHANNEL_ID });
    expect(await app.database.prisma.auditLog.count({ where: { action: 'program.link_channel', entityId: programId, actor: `teams:${STAFF.aadObjectId}` } })).toBe(1);

    const before = connector.calls.length;
    await postTeams(app.url, messageActivity('message-channel-link', { serviceUrl: connector.url, text: `link ${name}`, from: { name: 'Someone Else', aadObjectId: '11111111-0000-4000-8000-000000000bad' } }));
    const no = connector.calls.slice(before).find((c) => c.op === 'reply');
    expect(String(no?.body.text)).toMatch(/only this program's facilitators/);
    expect(await app.database.prisma.auditLog.count({ where: { action: 'program.link_channel', entityId: programId } })).toBe(1);
  });
});

describe('the app package\'s pages', () => {
  it('serves the meeting tab\'s configuration and content pages and the policy pages', async () => {
    const configure = await fetch(`${app.url}/teams/tab/configure`);
    expect(configure.status).toBe(200);
    const html = await configure.text();
    expect(html).toContain('setValidityState(true)');
    expect(html).toContain(`${app.config.publicUrl}/teams/tab/meeting`);
    for (const path of ['/teams/tab/meeting', '/teams/privacy', '/teams/terms']) expect((await fetch(`${app.url}${path}`)).status).toBe(200);
  });
});

describe('meeting presence to alert cards', () => {
  it('posts Not joined as an Adaptive Card in the linked channel and updates it to Late join', async () => {
    const { sessionId, meetingId, start, people, participants } = await teamsSession();
    connector.setMeeting(meetingId, { details: { id: meetingId, msGraphResourceId: 'MSo1N2Y5ZGFjYy03MWJmLTQ3NDMtYjQxMy01M2EdFGkdRWHJlQ', type: 'Scheduled' }, organizer: { id: '29:org', aadObjectId: STAFF.aadObjectId } });
    expect((await postTeams(app.url, meetingActivity('meeting-start', { serviceUrl: connector.url, meetingId, at: start }))).status).toBe(200);
    const alert = await deliveredAlert(sessionId, 'not_joined');
    expect(alert.participantId).toBe(participants[0]);
    const message = cardFor(alert.id)!;
    expect(message.id).toBe(alert.externalMessageId);
    const card = connector.cardOf(message);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(card.body[0].text).toBe('Not joined: Alex K.');
    expect(card.body.some((b: { type: string }) => b.type === 'FactSet')).toBe(true);
    expect(card.actions[0]).toMatchObject({
      type: 'Action.Execute',
      verb: ALERT_VERB,
      data: { rollcall: 'alert', action: 'reach_out', alertId: alert.id, kind: 'not_joined', sessionId, participantId: participants[0] },
    });
    // The organizer and Graph meeting id were learned for reconciliation.
    const session = await app.database.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.meetingInfo).toMatchObject({ platform: 'teams', tenantId: TEAMS_TENANT, organizerId: STAFF.aadObjectId, channelMeeting: false });

    await postTeams(app.url, meetingActivity('meeting-participant-join', { serviceUrl: connector.url, meetingId, at: at(start, minutes(18)), people }));
    await waitFor(() => message.versions.length > 1 && connector.cardOf(message).body[0].text === 'Late join: Alex K.', 8000, 'the Late join edit');
    expect(connector.calls.filter((c) => c.op === 'update' && c.activityId === message.id).length).toBeGreaterThan(0);
    expect(connector.messages(STAFF_CHANNEL_ID).filter((m) => JSON.stringify(m.versions[0]).includes(alert.id))).toHaveLength(1);
  });

  it('turns one join activity with several members into one fact each, and a leave into Left early', async () => {
    const people = [
      { name: 'Robin Diaz', aadObjectId: '7e8f9a0b-0000-4c1d-8e2f-000000010001' },
      { name: 'Sam Lee', aadObjectId: '7e8f9a0b-0000-4c1d-8e2f-000000010002' },
    ];
    const { sessionId, meetingId, start } = await teamsSession({ people, startedMinutesAgo: 30 });
    await postTeams(app.url, meetingActivity('meeting-start', { serviceUrl: connector.url, meetingId, at: start }));
    const join = meetingActivity('meeting-participant-join', { serviceUrl: connector.url, meetingId, at: at(start, minutes(1)), people });
    await postTeams(app.url, join);
    expect(await app.database.prisma.presenceEvent.count({ where: { sessionId, kind: 'joined' } })).toBe(2);
    // Teams retries an activity it got no answer for within 15 s: the same id is stored once.
    expect((await postTeams(app.url, join)).status).toBe(200);
    expect(await app.database.prisma.presenceEvent.count({ where: { sessionId, kind: 'joined' } })).toBe(2);
    await postTeams(app.url, meetingActivity('meeting-participant-leave', { serviceUrl: connector.url, meetingId, at: at(start, minutes(10)), people: [people[1]!] }));
    const left = await deliveredAlert(sessionId, 'left_early');
    expect(connector.cardOf(cardFor(left.id)!).body[0].text).toBe('Left early: Sam L.');
  });
});

describe('matching a meeting admins know by its join URL', () => {
  it('learns the Teams meeting id from the session\'s join URL on the first meeting event', async () => {
    const { programId, sessionId: first, start } = await teamsSession();
    // Another session, entered with the join URL Teams shows and a placeholder id.
    const thread = '19:meeting_Q2hhdFRocmVhZEpvaW5Vcmw@thread.v2';
    const joinUrl = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread).toLowerCase()}/0?context=%7b%22Tid%22%3a%22${TEAMS_TENANT}%22%7d`;
    await app.database.prisma.session.delete({ where: { id: first } });
    const session = await app.api('POST', `/api/v1/programs/${programId}/sessions`, {
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + minutes(60)).toISOString(),
      meeting: { platform: 'teams', meetingId: 'see join url', joinUrl },
    });
    expect(session.status).toBe(201);
    const meetingId = Buffer.from(`0#${thread}#0`).toString('base64');
    const started = meetingActivity('meeting-start', { serviceUrl: connector.url, meetingId, at: start });
    started.conversation.id = thread;
    await postTeams(app.url, started);
    const row = await app.database.prisma.session.findUniqueOrThrow({ where: { id: session.body.id } });
    expect(row.meetingId).toBe(meetingId);
    expect(await app.database.prisma.presenceEvent.count({ where: { sessionId: row.id, kind: 'meeting_started' } })).toBe(1);
    expect(await app.database.prisma.auditLog.count({ where: { action: 'session.learn_meeting_id', entityId: row.id, actor: 'system' } })).toBe(1);
    await deliveredAlert(row.id, 'not_joined');
  });
});

describe('card actions', () => {
  async function notJoined() {
    const scenario = await teamsSession();
    await postTeams(app.url, meetingActivity('meeting-start', { serviceUrl: connector.url, meetingId: scenario.meetingId, at: scenario.start }));
    const alert = await deliveredAlert(scenario.sessionId, 'not_joined');
    const message = cardFor(alert.id)!;
    const button = (action: string) => connector.cardOf(message).actions.find((a: { data: { action: string } }) => a.data.action === action);
    return { ...scenario, alert, message, button };
  }
  const press = (message: ConnectorMessage, data: unknown, from: TeamsPerson = STAFF) =>
    postTeams(app.url, cardActionActivity({ serviceUrl: connector.url, replyToId: message.id, verb: ALERT_VERB, data, from }));

  it('"I\'ll reach out" assigns a follow-up, audits it and answers with the updated card', async () => {
    const { alert, message, button } = await notJoined();
    const response = await press(message, button('reach_out').data);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(textOf(response.body.value)).toContain('Outreach taken on by Dana Facilitator');
    const followUp = await app.database.prisma.followUp.findFirst({ where: { alertId: alert.id } });
    expect(followUp).toMatchObject({ kind: 'outreach', assignee: `teams:${STAFF.aadObjectId}`, state: 'open' });
    expect(await app.database.prisma.auditLog.count({ where: { entityId: alert.id, action: 'alert.reach_out', actor: `teams:${STAFF.aadObjectId}` } })).toBe(1);
    // The channel's card is edited for everyone by the outbox.
    await waitFor(() => textOf(connector.cardOf(message)).includes('Outreach taken on by Dana Facilitator'), 8000, 'the channel edit');
  });

  it('refuses someone who is not the program\'s staff with a card only they see, changing nothing', async () => {
    const { alert, message, button } = await notJoined();
    const versions = message.versions.length;
    const response = await press(message, button('reach_out').data, { name: 'Visitor', aadObjectId: '22222222-0000-4000-8000-000000000bad' });
    expect(response.status).toBe(200);
    expect(textOf(response.body.value)).toContain("only this program's facilitators");
    expect(await app.database.prisma.followUp.count({ where: { alertId: alert.id } })).toBe(0);
    expect(message.versions.length).toBe(versions);
  });

  it('"Mark excused" answers with a reason choice; the choice excuses the attendance and resolves the card', async () => {
    const { alert, message, button, sessionId } = await notJoined();
    const asked = await press(message, button('excuse').data);
    const choiceSet = asked.body.value.body.find((b: { type: string }) => b.type === 'Input.ChoiceSet');
    expect(choiceSet).toMatchObject({ id: CHOICE_INPUT_ID, isRequired: true });
    expect(choiceSet.choices.map((c: { value: string }) => c.value)).toContain('illness');
    const submit = asked.body.value.actions[0];
    expect(submit).toMatchObject({ type: 'Action.Execute', verb: ALERT_VERB, data: { action: 'excuse', alertId: alert.id } });
    // Teams merges the inputs into the action's data.
    const done = await press(message, { ...submit.data, [CHOICE_INPUT_ID]: 'illness' });
    expect(done.status).toBe(200);
    const absence = await app.database.prisma.absence.findFirst({ where: { sessionId } });
    expect(absence).toMatchObject({ category: 'illness', excused: true, reportedBy: 'staff' });
    expect(textOf(done.body.value)).toContain('Marked excused by Dana Facilitator');
    await waitFor(() => textOf(connector.cardOf(message)).includes('Resolved: marked excused.'), 8000, 'the resolved card');
    expect(connector.cardOf(message).actions).toBeUndefined();
    expect(await app.database.prisma.auditLog.count({ where: { action: 'attendance.excuse', actor: `teams:${STAFF.aadObjectId}` } })).toBeGreaterThan(0);
  });

  it('links a guest without an AAD id to a participant from the unrecognized card', async () => {
    const { sessionId, meetingId, start, alert } = await notJoined();
    const guest = { name: 'Pixel 8', id: '29:1GuestAnonymousUser' };
    await postTeams(app.url, meetingActivity('meeting-participant-join', { serviceUrl: connector.url, meetingId, at: at(start, minutes(3)), people: [guest] }));
    const unrecognized = await deliveredAlert(sessionId, 'unrecognized_participant');
    const message = cardFor(unrecognized.id)!;
    expect(connector.cardOf(message).body[0].text).toBe('Unrecognized participant: "Pixel 8"');
    const link = connector.cardOf(message).actions.find((a: { data: { action: string } }) => a.data.action === 'link_participant');
    const asked = await press(message, link.data);
    const choiceSet = asked.body.value.body.find((b: { type: string }) => b.type === 'Input.ChoiceSet');
    expect(choiceSet.choices[0]).toMatchObject({ title: 'Alex K.', value: alert.participantId });
    await press(message, { ...asked.body.value.actions[0].data, [CHOICE_INPUT_ID]: alert.participantId });
    await waitFor(async () => (await app.database.prisma.identity.findFirst({ where: { participantId: alert.participantId!, kind: 'alias', value: 'pixel 8' } })) ?? undefined, 5000, 'the alias');
    await waitFor(() => textOf(connector.cardOf(message)).includes('Resolved: identified.'), 8000, 'the resolved card');
    expect(await app.database.prisma.auditLog.count({ where: { action: 'identity.link', actor: `teams:${STAFF.aadObjectId}` } })).toBe(1);
  });
});

describe('the connector answering 429', () => {
  it('retries the post after Retry-After, once, without a duplicate card', async () => {
    connector.failNext('send', { status: 429, retryAfter: 1, matching: `Morning Group ${meetings + 1}` });
    const sendsBefore = connector.calls.filter((c) => c.op === 'send').length;
    const { sessionId, meetingId, start } = await teamsSession();
    await postTeams(app.url, meetingActivity('meeting-start', { serviceUrl: connector.url, meetingId, at: start }));
    const alert = await deliveredAlert(sessionId, 'not_joined');
    const sends = connector.calls.filter((c) => c.op === 'send').slice(sendsBefore).filter((c) => JSON.stringify(c.body).includes(alert.id));
    expect(sends.map((c) => c.outcome)).toEqual(['http_429', 'ok']);
    expect(connector.messages(STAFF_CHANNEL_ID).filter((m) => JSON.stringify(m.versions[0]).includes(alert.id))).toHaveLength(1);
    expect(alert.deliveryAttempts).toBe(2);
  });

  it('marks a 403 (bot removed from the conversation) as failed, for the dashboard', async () => {
    connector.failNext('send', { status: 403, matching: `Morning Group ${meetings + 1}` });
    const { sessionId, meetingId, start } = await teamsSession();
    await postTeams(app.url, meetingActivity('meeting-start', { serviceUrl: connector.url, meetingId, at: start }));
    const alert = await waitFor(async () => (await app.database.prisma.alert.findFirst({ where: { sessionId, kind: 'not_joined', deliveryState: 'failed' } })) ?? undefined, 8000, 'the failed alert');
    expect(alert.lastDeliveryError).toMatch(/403|forbidden/);
  });
});

describe('inbound delivery claims', () => {
  it('one claim per delivery: a copy waits or is done, a released or stale claim is taken again, old ones are pruned', async () => {
    const { claimDelivery, createDeliveryClaims, STALE_CLAIM_MS, CLAIM_RETENTION_MS } = await import('../../src/services/inbound-deliveries.js');
    const prisma = app.database.prisma;
    const now = new Date();
    const first = await claimDelivery(prisma, 'teams', 'claim-test-1', now);
    expect(first.claimed).toBe(true);
    expect(await claimDelivery(prisma, 'teams', 'claim-test-1', now)).toEqual({ claimed: false, reason: 'in_progress' });
    if (first.claimed) await first.release();
    const again = await claimDelivery(prisma, 'teams', 'claim-test-1', now);
    if (again.claimed) await again.complete();
    expect(await claimDelivery(prisma, 'teams', 'claim-test-1', now)).toEqual({ claimed: false, reason: 'done' });

    // A claim whose process died is taken over once it is stale, by one taker only.
    await claimDelivery(prisma, 'teams', 'claim-test-2', new Date(now.getTime() - STALE_CLAIM_MS - 1000));
    const [a, b] = await Promise.all([claimDelivery(prisma, 'teams', 'claim-test-2', now), claimDelivery(prisma, 'teams', 'claim-test-2', now)]);
    expect([a.claimed, b.claimed].sort()).toEqual([false, true]);

    await prisma.inboundDelivery.create({ data: { platform: 'teams', deliveryId: 'claim-test-old', claimedAt: new Date(now.getTime() - CLAIM_RETENTION_MS - 1000), completedAt: now } });
    await createDeliveryClaims(prisma, 'teams')('claim-test-3', now);
    expect(await prisma.inboundDelivery.count({ where: { deliveryId: 'claim-test-old' } })).toBe(0);
  });
});
