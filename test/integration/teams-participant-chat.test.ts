import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChoice } from '../../src/core/participant-message.js';
import { ALERT_VERB, CHOICE_VERB } from '../../src/platforms/teams/cards.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { minutesAgo } from '../support/scenario.js';
import { cardActionActivity, meetingActivity, messageActivity, postTeams, STAFF_CHANNEL_ID, teamsActivity, type TeamsPerson, TEAMS_DEVELOPMENT_ENV } from '../support/teams-activities.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let connector: FakeBotConnector;
let app: TestApp;
const STAFF: TeamsPerson = { name: 'Dana Facilitator', aadObjectId: '5c3b9a1e-0000-4d8e-9f00-00000000aa01' };
const PERSONAL_CHAT = 'a:1Pq0personalChatConversationId';

beforeAll(async () => {
  connector = await startFakeBotConnector();
  app = await startTestApp({ env: TEAMS_DEVELOPMENT_ENV, platforms: ['teams'] });
  await postTeams(app.url, teamsActivity('bot-added-to-team', { serviceUrl: connector.url }));
});
afterAll(async () => {
  await app?.stop();
  await connector?.close();
});

let people = 0;
/** A participant with a Teams account, enrolled in a program whose alerts go to the Teams staff channel. */
async function enrol(name: string) {
  people += 1;
  const aadObjectId = `7e8f9a0b-0000-4c1d-8e2f-1000000${String(people).padStart(5, '0')}`;
  const program = await app.api('POST', '/api/v1/programs', {
    name: `Chat group ${people}`,
    timezone: 'America/New_York',
    alertChannel: { platform: 'teams', channelId: STAFF_CHANNEL_ID },
    staffUserIds: [STAFF.aadObjectId],
  });
  const participant = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, {
    name,
    timezone: 'America/New_York',
    enrolledAt: new Date(Date.now() - 86_400_000).toISOString(),
    identities: [{ platform: 'teams', externalId: aadObjectId }],
  });
  const tomorrow = DateTime.now().setZone('America/New_York').plus({ days: 1 }).set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
  const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
    startsAt: tomorrow.toISO(),
    endsAt: tomorrow.plus({ hours: 3 }).toISO(),
    meeting: { platform: 'teams', meetingId: `MCMxOTptZWV0aW5nX0NoYXQ${people}` },
  });
  // The participant installed Rollcall (personal scope): the chat is stored under their AAD id.
  const install = teamsActivity('installation-update-add-personal', { serviceUrl: connector.url });
  install.from.aadObjectId = aadObjectId;
  install.conversation.id = `${PERSONAL_CHAT}-${people}`;
  await postTeams(app.url, install);
  const person: TeamsPerson = { name, aadObjectId };
  const say = (text: string, id?: string) =>
    postTeams(app.url, messageActivity('message-personal', { serviceUrl: connector.url, text, from: person, conversationId: `${PERSONAL_CHAT}-${people}`, ...(id ? { id } : {}) }));
  return { programId: program.body.id as string, participantId: participant.body.id as string, sessionId: session.body.id as string, person, chat: `${PERSONAL_CHAT}-${people}`, say };
}

// Answers to what the participant wrote; proactive messages (the intake at enrolment, a check-in) are `send`s.
const repliesIn = (conversationId: string) => connector.calls.filter((c) => c.op === 'reply' && c.conversationId === conversationId);
const staffCards = () => connector.messages(STAFF_CHANNEL_ID).map((m) => connector.cardOf(m)).filter(Boolean);

describe('participant chat on Teams (on by default)', () => {
  it('takes an absence in the participant\'s own words, confirmed with a card button; staff see the category only', async () => {
    const { participantId, sessionId, person, chat, say } = await enrol('Morgan Patel');
    expect((await say("can't make it tomorrow, my wifi is out")).status).toBe(200);
    const confirm = await waitFor(() => repliesIn(chat)[0], 5000, 'the confirmation');
    const card = confirm.body.attachments[0].content;
    expect(card.actions).toHaveLength(2);
    expect(card.actions[0]).toMatchObject({ type: 'Action.Execute', verb: CHOICE_VERB });
    expect(card.actions[0].title).toContain('Chat group');
    expect(decodeChoice(card.actions[0].data.value)).toEqual({ t: 'absence', s: sessionId, c: 'technical' });

    const confirmId = connector.messages(chat)[0]!.id;
    const press = cardActionActivity({ serviceUrl: connector.url, replyToId: confirmId, verb: CHOICE_VERB, data: card.actions[0].data, from: person, conversation: 'personal' });
    press.conversation.id = chat;
    const answer = await postTeams(app.url, press);
    expect(answer.status).toBe(200);
    expect(answer.body.value.body[0].text).toMatch(/^Thank you/);
    const absence = await app.database.prisma.absence.findFirst({ where: { participantId } });
    expect(absence).toMatchObject({ sessionId, category: 'technical', excused: true, reportedBy: 'participant', reportedVia: 'teams' });
    // The pressed card itself is replaced by the answer.
    expect(connector.calls.some((c) => c.op === 'update' && c.conversationId === chat && c.activityId === confirmId)).toBe(true);
    const staff = await waitFor(() => staffCards().find((c) => c.body[0].text === 'Absence reported: Morgan P.'), 8000, 'the staff card');
    expect(JSON.stringify(staff)).not.toMatch(/wifi/i);
  });

  it('answers a crisis message with crisis resources and alerts staff urgently, naming no words', async () => {
    const { participantId, chat, say } = await enrol('Quinn Reyes');
    await say("honestly I want to kill myself, also can't come thursday");
    const reply = await waitFor(() => repliesIn(chat)[0], 5000, 'the crisis reply');
    expect(String(reply.body.text)).toContain('988');
    expect(String(reply.body.text)).toContain('911');
    const alert = await waitFor(() => staffCards().find((c) => c.body[0].text === 'Crisis: Quinn R.'), 8000, 'the crisis card');
    expect(alert.body[0].color).toBe('Attention');
    expect(JSON.stringify(alert)).not.toMatch(/kill|thursday/i);
    expect(await app.database.prisma.alert.count({ where: { participantId, kind: 'crisis' } })).toBe(1);
    expect(await app.database.prisma.absence.count({ where: { participantId } })).toBe(0);
  });

  it('handles a message Teams delivers twice (same activity id) once', async () => {
    const { chat, say } = await enrol('Riley Chen');
    const id = '1764399999001';
    expect((await say('how am I doing this week?', id)).status).toBe(200);
    expect((await say('how am I doing this week?', id)).status).toBe(200);
    await waitFor(() => repliesIn(chat).length > 0, 5000, 'the reply');
    expect(repliesIn(chat)).toHaveLength(1);
  });

  it('sends a facilitator\'s check-in to the participant\'s personal chat; the reply replaces the card', async () => {
    const { programId, participantId, chat, person } = await enrol('Avery Stone');
    const start = minutesAgo(20);
    const session = await app.api('POST', `/api/v1/programs/${programId}/sessions`, {
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3600_000).toISOString(),
      meeting: { platform: 'teams', meetingId: 'MCMxOTptZWV0aW5nX0NoZWNrSW4=' },
    });
    await postTeams(app.url, meetingActivity('meeting-start', { serviceUrl: connector.url, meetingId: 'MCMxOTptZWV0aW5nX0NoZWNrSW4=', at: start }));
    const alert = await waitFor(
      async () => (await app.database.prisma.alert.findFirst({ where: { sessionId: session.body.id, participantId, kind: 'not_joined', deliveryState: 'delivered' } })) ?? undefined,
      8000,
      'the not joined alert',
    );
    const message = connector.messages(STAFF_CHANNEL_ID).find((m) => m.id === alert.externalMessageId)!;
    const checkin = connector.cardOf(message).actions.find((a: { data: { action: string } }) => a.data.action === 'send_checkin');
    const pressed = await postTeams(app.url, cardActionActivity({ serviceUrl: connector.url, replyToId: message.id, verb: ALERT_VERB, data: checkin.data, from: STAFF }));
    expect(pressed.status).toBe(200);
    // The personal chat also holds the intake message sent at enrolment (docs/care.md), in either order.
    const choicesOf = (m: Parameters<typeof connector.cardOf>[0]) => (connector.cardOf(m)?.actions ?? []).map((a: { data: { value: string } }) => decodeChoice(a.data.value)?.t);
    const sentMessage = await waitFor(() => connector.messages(chat).find((m) => choicesOf(m).includes('checkin')), 5000, 'the check-in');
    const card = connector.cardOf(sentMessage);
    expect(card.actions.map((a: { data: { value: string } }) => decodeChoice(a.data.value)?.t)).toEqual(['checkin', 'checkin']);
    expect(await app.database.prisma.auditLog.count({ where: { action: 'alert.send_checkin', entityId: alert.id } })).toBe(1);

    const reply = cardActionActivity({ serviceUrl: connector.url, replyToId: sentMessage.id, verb: CHOICE_VERB, data: card.actions[0].data, from: person, conversation: 'personal' });
    reply.conversation.id = chat;
    const answer = await postTeams(app.url, reply);
    expect(answer.body.value.body[0].text).toMatch(/Thank you/);
  });
});
