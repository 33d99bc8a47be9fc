import { decodeChoice } from '../../src/core/participant-message.js';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { postSlack, readSlackFixture, TEST_SLACK_SIGNING_SECRET } from '../support/slack-signing.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';

let slack: FakeSlack;
let app: TestApp;
const STAFF_CHANNEL = 'C0CHATSTAFF';

beforeAll(async () => {
  slack = await startFakeSlack();
  app = await startTestApp({ env: { SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url }, platforms: ['slack'] });
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

let eventCount = 0;
/** A participant's direct message, as Slack delivers it. */
function dm(user: string, text: string) {
  const payload = readSlackFixture('event-message-im');
  eventCount += 1;
  payload.event_id = `Ev0MSG${eventCount}`;
  payload.event.user = user;
  payload.event.text = text;
  payload.event.channel = `D${user}`;
  payload.event.ts = payload.event.event_ts = `1796166400.${String(eventCount).padStart(6, '0')}`;
  return payload;
}

async function enrol(name: string, slackUser: string) {
  const program = await app.api('POST', '/api/v1/programs', {
    name: `Chat group ${slackUser}`,
    timezone: 'America/New_York',
    alertChannel: { platform: 'slack', channelId: STAFF_CHANNEL },
    staffUserIds: ['U0STAFF01'],
  });
  const participant = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, {
    name,
    timezone: 'America/New_York',
    identities: [{ platform: 'slack', externalId: slackUser }],
  });
  const tomorrow = DateTime.now().setZone('America/New_York').plus({ days: 1 }).set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
  const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
    startsAt: tomorrow.toISO(),
    endsAt: tomorrow.plus({ hours: 3 }).toISO(),
    meeting: { platform: 'zoom', meetingId: '88000000001' },
  });
  return { programId: program.body.id as string, participantId: participant.body.id as string, sessionId: session.body.id as string };
}

// The intake message (sent on enrolment when chat is on) is not a reply.
const repliesTo = (user: string) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === `D${user}` && !String(c.body.text).includes('Here is how attendance works'));
const staffPosts = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === STAFF_CHANNEL);

describe('participant chat on Slack', () => {
  it('is off by default: the participant is pointed elsewhere and nothing is recorded', async () => {
    const { participantId } = await enrol('Jamie Fox', 'U0JAMIE01');
    expect((await postSlack(app.url, dm('U0JAMIE01', "can't make it tomorrow, my wifi is out"))).status).toBe(200);
    const reply = await waitFor(() => repliesTo('U0JAMIE01')[0], 5000, 'the reply');
    expect(String(reply.body.text)).not.toContain('wifi');
    expect(await app.database.prisma.absence.count({ where: { participantId } })).toBe(0);
  });

  it('answers a message Slack delivered twice (same event id, the second while the first still runs) once', async () => {
    await enrol('Robin Park', 'U0PARK001');
    const payload = dm('U0PARK001', 'help');
    const [first, second] = await Promise.all([postSlack(app.url, payload), postSlack(app.url, payload)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await waitFor(() => repliesTo('U0PARK001')[0], 5000, 'the reply');
    // A third copy after the first finished is also answered by silence.
    expect((await postSlack(app.url, payload)).status).toBe(200);
    await waitFor(async () => (await app.database.prisma.inboundDelivery.findFirst({ where: { platform: 'slack', deliveryId: payload.event_id } }))?.completedAt ?? undefined, 5000, 'the claim completed');
    await waitForDrain(app);
    expect(repliesTo('U0PARK001')).toHaveLength(1);
  });

  it('answers a crisis message with crisis resources and alerts staff urgently, naming no words, even when chat is off', async () => {
    const { participantId } = await enrol('Quinn Reyes', 'U0QUINN01');
    const before = staffPosts().length;
    await postSlack(app.url, dm('U0QUINN01', "honestly I want to kill myself, also can't come thursday"));
    const reply = await waitFor(() => repliesTo('U0QUINN01')[0], 5000, 'the crisis reply');
    expect(String(reply.body.text)).toContain('988');
    expect(String(reply.body.text)).toContain('911');
    const alert = await waitFor(() => staffPosts().slice(before).find((c) => String(c.body.text).startsWith('Crisis: Quinn R.')), 8000, 'the crisis alert');
    expect(JSON.stringify(alert.body)).not.toMatch(/kill|thursday/i);
    expect(await app.database.prisma.alert.count({ where: { participantId, kind: 'crisis' } })).toBe(1);
    expect(await app.database.prisma.absence.count({ where: { participantId } })).toBe(0);
  });

  it('tells staff of a crisis message from someone not linked to any participant', async () => {
    await enrol('Taylor Brooks', 'U0TAYLOR1');
    const before = staffPosts().length;
    await postSlack(app.url, dm('U0STRANGER', 'I took too many pills'));
    const reply = await waitFor(() => repliesTo('U0STRANGER')[0], 5000, 'the crisis reply');
    expect(String(reply.body.text)).toContain('988');
    const alert = await waitFor(() => staffPosts().slice(before).find((c) => String(c.body.text).startsWith('Crisis: "unlinked slack user U0STRANGER"')), 8000, 'the alert');
    expect(JSON.stringify(alert.body)).not.toMatch(/pills/i);
  });

  it('takes an absence reported in the participant\'s own words, confirmed with a button naming the session', async () => {
    await app.api('PATCH', '/api/v1/organization', { settings: { participantChat: { slack: true } } });
    try {
      const { participantId, sessionId } = await enrol('Morgan Patel', 'U0MORGAN1');
      await postSlack(app.url, dm('U0MORGAN1', "can't make it tomorrow, my wifi is out"));
      const confirm = await waitFor(() => repliesTo('U0MORGAN1')[0], 5000, 'the confirmation');
      const buttons = (confirm.body.blocks as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[]).find((b) => b.type === 'actions')!.elements!;
      // One button per session named, then "No, that's not right".
      expect(buttons).toHaveLength(2);
      expect(buttons[0]!.text.text).toContain('Chat group U0MORGAN1');
      expect(decodeChoice(buttons[0]!.value)).toEqual({ t: 'absence', s: sessionId, c: 'technical' });
      expect(decodeChoice(buttons[1]!.value)).toEqual({ t: 'absence_cancel' });

      const click = readSlackFixture('block-actions-button');
      click.user.id = 'U0MORGAN1';
      click.channel = { id: 'DU0MORGAN1', name: 'directmessage' };
      click.container = { type: 'message', message_ts: String(confirm.body.ts ?? '1796166400.000001'), channel_id: 'DU0MORGAN1', is_ephemeral: false };
      click.message.ts = click.container.message_ts;
      click.actions[0] = { ...click.actions[0], action_id: buttons[0]!.action_id, value: buttons[0]!.value };
      await postSlack(app.url, click, { form: true });
      const absence = await waitFor(async () => (await app.database.prisma.absence.findFirst({ where: { participantId } })) ?? undefined, 5000, 'the absence');
      expect(absence).toMatchObject({ sessionId, category: 'technical', excused: true, reportedBy: 'participant', reportedVia: 'slack' });
      const staff = await waitFor(() => staffPosts().find((c) => String(c.body.text).startsWith('Absence reported: Morgan P.')), 8000, 'the staff alert');
      expect(JSON.stringify(staff.body)).not.toMatch(/wifi/i);
      const thanks = await waitFor(() => slack.calls.find((c) => c.method === 'chat.update' && c.body.channel === 'DU0MORGAN1'), 5000, 'the thanks');
      expect(String(thanks.body.text)).toMatch(/^Thank you/);
      const attendance = await app.api('GET', `/api/v1/sessions/${sessionId}/attendance`);
      expect(attendance.body.attendance[0].status).toBe('excused');
    } finally {
      await app.api('PATCH', '/api/v1/organization', { settings: { participantChat: { slack: false } } });
    }
  });
});
