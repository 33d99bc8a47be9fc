import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeChoice } from '../../src/core/participant-message.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createPrisma, type Db } from '../../src/db/database.js';
import { MAX_STORED_ATTEMPTS, STALE_CLAIM_MS } from '../../src/services/inbound-deliveries.js';
import { startDatabaseProxy, type DatabaseProxy } from '../support/database-proxy.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { createShiftClock } from '../support/shift-clock.js';
import { postSlack, readSlackFixture, TEST_SLACK_SIGNING_SECRET } from '../support/slack-signing.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';

// The app reaches its database through a proxy the test can cut: an outage for this app only.
let proxy: DatabaseProxy;
let slack: FakeSlack;
let app: TestApp;
let db: Db;
const clock = createShiftClock();
const STAFF_CHANNEL = 'C0INBOUND1';
const RETRY = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' };

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  proxy = await startDatabaseProxy(databaseUrl);
  slack = await startFakeSlack();
  app = await startTestApp({ databaseUrl: proxy.url, clock, env: { SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url }, platforms: ['slack'] });
  // The test's own look at the database does not go through the proxy.
  db = createPrisma(databaseUrl);
});
afterAll(async () => {
  proxy?.restore();
  await app?.stop();
  await db?.$disconnect();
  await slack?.close();
  await proxy?.close();
});

async function enrol(name: string, slackUser: string, meeting: { platform: 'zoom' | 'slack'; meetingId: string; startsAt?: DateTime } = { platform: 'zoom', meetingId: '88100000001' }) {
  const program = await app.api('POST', '/api/v1/programs', { name: `Group ${slackUser}`, timezone: 'America/New_York', alertChannel: { platform: 'slack', channelId: STAFF_CHANNEL }, staffUserIds: ['U0STAFF01'] });
  const participant = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, {
    name,
    timezone: 'America/New_York',
    identities: [{ platform: 'slack', externalId: slackUser }],
    enrolledAt: DateTime.fromJSDate(clock.now()).minus({ days: 1 }).toISO(),
  });
  const startsAt = meeting.startsAt ?? DateTime.fromJSDate(clock.now()).plus({ days: 1 });
  const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
    startsAt: startsAt.toISO(),
    endsAt: startsAt.plus({ hours: 1 }).toISO(),
    meeting: { platform: meeting.platform, meetingId: meeting.meetingId },
  });
  expect(session.status).toBe(201);
  return { participantId: participant.body.id as string, sessionId: session.body.id as string };
}

/**
 * The outage, once the app's own work is done: it hits the request under test alone (a job cut
 * mid-flight stays active until pg-boss expires it, and a later drain would wait on it).
 */
async function cutDatabase() {
  await waitForDrain(app);
  proxy.cut();
}

let events = 0;
function dm(fixture: string, user: string, text?: string) {
  const payload = readSlackFixture(fixture);
  events += 1;
  payload.event_id = `Ev0INBOUND${events}`;
  payload.event.user = user;
  payload.event.channel = `D${user}`;
  if (text !== undefined) payload.event.text = text;
  return payload;
}

const repliesTo = (user: string) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === `D${user}`);
const crisisPosts = (label: string) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === STAFF_CHANNEL && String(c.body.text).startsWith(`Crisis: ${label}`));
const storedRow = (eventId: string) => db.inboundDelivery.findUnique({ where: { platform_deliveryId: { platform: 'slack', deliveryId: eventId } } });

describe('Slack events are stored before they are acknowledged', () => {
  it('answers a crisis DM 503 while the database is away, and the retry gets one 988 reply and one Crisis alert', async () => {
    const { participantId } = await enrol('Quinn Reyes', 'U0QUINN02');
    const payload = dm('event-message-im-crisis', 'U0QUINN02');

    await cutDatabase();
    try {
      const refused = await postSlack(app.url, payload);
      expect(refused.status).toBe(503);
      expect(refused.text).not.toMatch(/prisma|postgres|ECONN|5432|\.ts\b/i);
      // The database is away: only in-process work could answer; a refused event starts none.
      await app.idle();
      expect(repliesTo('U0QUINN02')).toHaveLength(0);
    } finally {
      proxy.restore();
    }
    expect(await storedRow(payload.event_id)).toBeNull();

    expect((await postSlack(app.url, payload, { headers: RETRY })).status).toBe(200);
    const reply = await waitFor(() => repliesTo('U0QUINN02')[0], 8000, 'the crisis reply');
    expect(String(reply.body.text)).toContain('988');
    await waitFor(() => crisisPosts('Quinn R.')[0], 10_000, 'the Crisis alert');
    await waitFor(async () => (await storedRow(payload.event_id))?.completedAt ?? undefined, 5000, 'the delivery completed');
    await waitForDrain(app);
    expect(repliesTo('U0QUINN02')).toHaveLength(1);
    expect(crisisPosts('Quinn R.')).toHaveLength(1);
    expect(await db.alert.count({ where: { participantId, kind: 'crisis' } })).toBe(1);
    // Done: the sealed body (the participant's words) is not kept.
    expect((await storedRow(payload.event_id))?.payload).toBeNull();
  });

  it('answers a huddle change 503 while the database is away, and stores the presence on the retry', async () => {
    const startsAt = DateTime.fromJSDate(clock.now()).minus({ minutes: 10 });
    const { sessionId } = await enrol('Casey Nguyen', 'U0HUDDLE01', { platform: 'slack', meetingId: 'C0HUDDLEIN', startsAt });
    const payload = readSlackFixture('event-user-huddle-changed');
    payload.event.event_ts = String(startsAt.plus({ minutes: 2 }).toMillis() / 1000);

    await cutDatabase();
    try {
      expect((await postSlack(app.url, payload)).status).toBe(503);
    } finally {
      proxy.restore();
    }
    expect((await postSlack(app.url, payload, { headers: RETRY })).status).toBe(200);
    const fact = await waitFor(async () => (await db.presenceEvent.findFirst({ where: { sessionId } })) ?? undefined, 5000, 'the presence event');
    expect(fact).toMatchObject({ kind: 'joined', meetingInstanceId: 'R0HUDDLECALL1' });
  });

  it('stores a huddle change whose call id carries a NUL instead of failing it forever', async () => {
    const startsAt = DateTime.fromJSDate(clock.now()).minus({ minutes: 10 });
    const { sessionId } = await enrol('Casey Nguyen', 'U0HUDDLE03', { platform: 'slack', meetingId: 'C0HUDDLENUL', startsAt });
    const payload = readSlackFixture('event-user-huddle-changed-nul');
    payload.event.user.id = 'U0HUDDLE03';
    payload.event.event_ts = String(startsAt.plus({ minutes: 3 }).toMillis() / 1000);
    expect((await postSlack(app.url, payload)).status).toBe(200);
    const fact = await waitFor(async () => (await db.presenceEvent.findFirst({ where: { sessionId } })) ?? undefined, 5000, 'the presence event');
    expect(fact.meetingInstanceId).toBe('R0HUDDLECALL2');
    await waitFor(async () => (await storedRow(payload.event_id))?.completedAt ?? undefined, 5000, 'the delivery completed');
  });

  it('redoes an acknowledged event from storage when working it failed, and answers it once however often Slack sends it', async () => {
    await enrol('Robin Park', 'U0PARK002');
    const payload = dm('event-message-im', 'U0PARK002', 'help');
    // Slack refuses the reply once: the listener fails after the 200 was sent.
    slack.failNext('chat.postMessage', { error: 'internal_error' });
    expect((await postSlack(app.url, payload)).status).toBe(200);
    const failed = await waitFor(async () => {
      const row = await storedRow(payload.event_id);
      return row?.lastError ? row : undefined;
    }, 5000, 'the failed attempt');
    expect(failed).toMatchObject({ attempts: 1, completedAt: null, failedAt: null });
    expect(failed.lastError).not.toMatch(/help/);
    expect(repliesTo('U0PARK002').map((c) => c.outcome)).toEqual(['internal_error']);

    // Slack's own retry of a stored event is acknowledged and not worked a second time.
    expect((await postSlack(app.url, payload, { headers: RETRY })).status).toBe(200);
    await waitForDrain(app);
    expect((await storedRow(payload.event_id))?.attempts).toBe(1);
    expect(repliesTo('U0PARK002')).toHaveLength(1);

    // The minute job (run here by the sweep) takes it up again once its retry time has come.
    clock.set(new Date(clock.now().getTime() + 5 * 60_000));
    await app.sweep();
    await waitFor(async () => (await storedRow(payload.event_id))?.completedAt ?? undefined, 5000, 'the delivery completed');
    expect((await storedRow(payload.event_id))?.attempts).toBe(2);
    expect(repliesTo('U0PARK002').map((c) => c.outcome)).toEqual(['internal_error', 'ok']);

    // Later copies, and later sweeps, change nothing.
    expect((await postSlack(app.url, payload, { headers: { 'x-slack-retry-num': '2' } })).status).toBe(200);
    await app.sweep();
    await waitForDrain(app);
    expect(repliesTo('U0PARK002')).toHaveLength(2);
  });

  it('works an event whose process died after acknowledging it, once its lease has run out', async () => {
    await enrol('Sam Ortiz', 'U0SAM0001');
    const payload = dm('event-message-im', 'U0SAM0001', 'help');
    // What a process leaves behind when it is killed between its 200 and the work.
    const box = createSecretBox(app.config.encryptionKey);
    await db.inboundDelivery.create({
      data: { platform: 'slack', deliveryId: payload.event_id, claimedAt: new Date(clock.now().getTime() - STALE_CLAIM_MS - 1000), attempts: 1, payload: box.seal(JSON.stringify(payload), `slack-event:${payload.event_id}`) },
    });
    await app.sweep();
    await waitFor(async () => (await storedRow(payload.event_id))?.completedAt ?? undefined, 5000, 'the delivery completed');
    expect(repliesTo('U0SAM0001').map((c) => c.outcome)).toEqual(['ok']);
  });

  it('leaves an event that keeps failing as a visible failure after the last attempt, with a code and no words', async () => {
    const eventId = 'Ev0UNREADABLE1';
    // Sealed under another key: it can never be opened, so every attempt fails.
    const sealed = createSecretBox(Buffer.alloc(32, 7)).seal('{"type":"event_callback"}', `slack-event:${eventId}`);
    await db.inboundDelivery.create({ data: { platform: 'slack', deliveryId: eventId, claimedAt: new Date(clock.now().getTime() - STALE_CLAIM_MS - 1000), attempts: MAX_STORED_ATTEMPTS - 1, payload: sealed } });
    await app.sweep();
    const row = await waitFor(async () => (await storedRow(eventId))?.failedAt ? storedRow(eventId) : undefined, 5000, 'the failure');
    expect(row).toMatchObject({ attempts: MAX_STORED_ATTEMPTS, completedAt: null, lastError: 'Error' });
    clock.set(new Date(clock.now().getTime() + 60 * 60_000));
    await app.sweep();
    expect((await storedRow(eventId))?.attempts).toBe(MAX_STORED_ATTEMPTS);
  });

  it('answers a button press 503 while the database is away, not 200 with the work lost', async () => {
    // The bot's earlier question, with its buttons, sits in the participant's DM.
    const asked = await fetch(`${slack.url}chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'DU0PARK002', text: 'Is that right?' }) });
    const { ts } = (await asked.json()) as { ts: string };
    const click = readSlackFixture('block-actions-button');
    click.user.id = 'U0PARK002';
    click.channel = { id: 'DU0PARK002', name: 'directmessage' };
    click.container = { type: 'message', message_ts: ts, channel_id: 'DU0PARK002', is_ephemeral: false };
    click.message.ts = ts;
    click.actions[0] = { ...click.actions[0], action_id: 'rollcall_choice:0', value: encodeChoice({ t: 'absence_cancel' }) };
    await cutDatabase();
    try {
      const refused = await postSlack(app.url, click, { form: true });
      expect(refused.status).toBe(503);
      expect(refused.text).not.toMatch(/prisma|postgres|ECONN|5432/i);
    } finally {
      proxy.restore();
    }
    expect(slack.calls.filter((c) => c.method === 'chat.update' && c.body.channel === 'DU0PARK002')).toHaveLength(0);
    expect((await postSlack(app.url, click, { form: true })).status).toBe(200);
    expect(slack.calls.filter((c) => c.method === 'chat.update' && c.body.channel === 'DU0PARK002')).toHaveLength(1);
  });

  it('refuses a bad signature with 401 before storing anything, database or not', async () => {
    const payload = dm('event-message-im-crisis', 'U0STRANGER');
    expect((await postSlack(app.url, payload, { secret: 'wrong-secret' })).status).toBe(401);
    expect((await postSlack(app.url, payload, { timestamp: Math.floor(Date.now() / 1000) + 600 })).status).toBe(401);
    await waitForDrain(app);
    expect(await storedRow(payload.event_id)).toBeNull();
    expect(repliesTo('U0STRANGER')).toHaveLength(0);
  });
});
