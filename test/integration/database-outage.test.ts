/**
 * The whole-system fault test (issue 12): Rollcall as `npm start` runs it, on its own embedded
 * PostgreSQL, with Zoom, Slack and Teams configured. The postmaster is killed under the running app;
 * a Zoom join, a Slack crisis DM and a Teams message arrive while it is down. Each must be refused
 * (so the platform retries), /healthz must say so, Rollcall must bring PostgreSQL back by itself,
 * and the platforms' retries must then be stored and answered, each once.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startRollcall, type Rollcall } from '../../src/rollcall.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { postSlack, readSlackFixture, TEST_SLACK_SIGNING_SECRET } from '../support/slack-signing.js';
import { messageActivity, postTeams, TEAMS_DEVELOPMENT_ENV } from '../support/teams-activities.js';
import { TEST_ADMIN_TOKEN } from '../support/test-app.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitFor } from '../support/wait-for.js';
import { TEST_ZOOM_SECRET } from '../support/zoom-signing.js';

const MEETING_ID = '88199000001';
const STAFF_CHANNEL = 'C0OUTAGE01';
const ROBIN = { name: 'Robin Diaz', zoomUserId: 'zoom-user-robin-outage', slackUser: 'U0ROBIN01', aadObjectId: '7e8f9a0b-0000-4c1d-8e2f-5000000000d1' };
const PERSONAL_CHAT = 'a:1outageWholeSystemChat';

let slack: FakeSlack;
let connector: FakeBotConnector;
let app: Rollcall;
let dataDir: string;
const fatal: Error[] = [];

beforeAll(async () => {
  slack = await startFakeSlack();
  connector = await startFakeBotConnector();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-outage-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ZOOM_WEBHOOK_SECRET_TOKEN: TEST_ZOOM_SECRET,
    SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: slack.url,
    SLACK_CHANNEL_INTERVAL_MS: '50',
    ...TEAMS_DEVELOPMENT_ENV,
  });
  // The first restart waits long enough for the three deliveries to arrive while the database is down.
  app = await startRollcall({ config, log: createLogger(config.logLevel), port: 0, embeddedSupervision: { attempts: 5, baseDelayMs: 4000, onFatal: (error) => void fatal.push(error) } });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await slack?.close();
  await connector?.close();
});

async function api(method: string, route: string, body?: unknown) {
  const response = await fetch(`${app.url}${route}`, { method, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

const health = async () => {
  const response = await fetch(`${app.url}/healthz`);
  return { status: response.status, body: (await response.json()) as unknown };
};
const postmasterPid = () => Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
const slackReplies = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === `D${ROBIN.slackUser}`);
const crisisPosts = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === STAFF_CHANNEL && String(c.body.text).startsWith('Crisis:'));
// Answers in Robin's chat. The intake message (docs/care.md) may reach the chat too once it is known,
// as a reply to the stored reference's activity: it is not an answer.
const teamsReplies = () => connector.calls.filter((c) => c.op === 'reply' && c.conversationId === PERSONAL_CHAT && !JSON.stringify(c.body).includes('welcome to'));
const textOf = (body: { text?: unknown; attachments?: Array<{ content?: { body?: Array<{ text?: string }> } }> }) => String(body.text ?? body.attachments?.[0]?.content?.body?.[0]?.text ?? '');

describe('the database dies under a running app', () => {
  it('refuses what arrives while it is down, restarts it, then stores and answers each platform\'s retry once', async () => {
    const startsAt = new Date(Date.now() - 2 * 60_000);
    const program = await api('POST', '/api/v1/programs', { name: 'Outage IOP', timezone: 'America/New_York', alertChannel: { platform: 'slack', channelId: STAFF_CHANNEL } });
    const participant = await api('POST', `/api/v1/programs/${program.body.id}/participants`, {
      name: ROBIN.name,
      enrolledAt: new Date(Date.now() - 86_400_000).toISOString(),
      identities: [
        { platform: 'zoom', externalId: ROBIN.zoomUserId },
        { platform: 'slack', externalId: ROBIN.slackUser },
        { platform: 'teams', externalId: ROBIN.aadObjectId, kind: 'aad_object_id' },
      ],
    });
    expect(participant.status).toBe(201);
    const session = await api('POST', `/api/v1/programs/${program.body.id}/sessions`, { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(), meeting: { platform: 'zoom', meetingId: MEETING_ID } });
    expect(session.status).toBe(201);

    const join = zoomDelivery('participant-joined', { meetingId: MEETING_ID, at: new Date(), person: { user_name: ROBIN.name, participant_uuid: 'UUID-ROBIN-OUTAGE', id: ROBIN.zoomUserId } });
    const dm = readSlackFixture('event-message-im-crisis');
    dm.event_id = 'Ev0OUTAGE0001';
    dm.event.user = ROBIN.slackUser;
    dm.event.channel = `D${ROBIN.slackUser}`;
    const teamsMessage = messageActivity('message-personal', { serviceUrl: connector.url, text: 'help', from: { name: ROBIN.name, aadObjectId: ROBIN.aadObjectId }, conversationId: PERSONAL_CHAT });

    expect(await health()).toEqual({ status: 200, body: { status: 'ok', database: 'up' } });
    const killed = postmasterPid();
    process.kill(killed, 'SIGKILL');
    await waitFor(async () => (await health()).status === 503, 5000, '/healthz to report the database down');
    expect((await health()).body).toEqual({ status: 'unavailable', database: 'down' });

    // While it is down: nothing is acknowledged, so each platform will retry.
    const zoomDuring = await postZoom(app.url, join);
    const slackDuring = await postSlack(app.url, dm);
    const teamsDuring = await postTeams(app.url, teamsMessage);
    expect([zoomDuring.status, slackDuring.status, teamsDuring.status]).toEqual([503, 503, 503]);
    for (const body of [JSON.stringify(zoomDuring.body), slackDuring.text, JSON.stringify(teamsDuring.body)]) {
      expect(body).not.toMatch(/prisma|\.ts\b|select|insert|ECONN|postgres|\d{4,5}\b/i);
    }
    expect(slackReplies()).toHaveLength(0);
    expect(teamsReplies()).toHaveLength(0);

    // Rollcall restarts its PostgreSQL by itself.
    await waitFor(async () => (await health()).status === 200, 30_000, 'the supervisor to restart PostgreSQL');
    expect(postmasterPid()).not.toBe(killed);
    expect(fatal).toEqual([]);

    // The platforms retry: Zoom signs again, Slack says it is a retry, Teams resends the same activity.
    const zoomRetry = await waitFor(async () => ((await postZoom(app.url, join)).status === 200 ? true : undefined), 10_000, 'the Zoom retry stored');
    const slackRetry = await postSlack(app.url, dm, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' } });
    const teamsRetry = await postTeams(app.url, teamsMessage);
    expect([zoomRetry, slackRetry.status, teamsRetry.status]).toEqual([true, 200, 200]);
    // A second copy of each (a platform's further retry) is answered and not handled again.
    expect((await postZoom(app.url, join)).body).toEqual({ status: 'duplicate' });
    expect((await postSlack(app.url, dm, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    expect((await postTeams(app.url, teamsMessage)).status).toBe(200);

    await waitFor(() => (slackReplies().length > 0 && crisisPosts().length > 0 && teamsReplies().length > 0 ? true : undefined), 15_000, 'the answers');
    const attendance = await waitFor(async () => {
      const read = await api('GET', `/api/v1/sessions/${session.body.id}/attendance`);
      const row = read.body.attendance?.find((a: { participantId: string }) => a.participantId === participant.body.id);
      return row?.firstJoinAt ? row : undefined;
    }, 10_000, 'the join in the attendance');
    expect(attendance.status).toBe('present');

    // Whatever was still due runs now; then nothing was answered twice.
    await app.sweep();
    await app.evaluator.idle();
    expect(await app.database.prisma.presenceEvent.count({ where: { sessionId: session.body.id, kind: 'joined' } })).toBe(1);
    expect(slackReplies()).toHaveLength(1);
    expect(String(slackReplies()[0]!.body.text)).toContain('988');
    expect(crisisPosts()).toHaveLength(1);
    expect(await app.database.prisma.alert.count({ where: { participantId: participant.body.id, kind: 'crisis' } })).toBe(1);
    // One answer to "help" (a failure prints every message the chat received).
    expect(teamsReplies().map((c) => textOf(c.body as never).slice(0, 60))).toEqual([expect.stringMatching(/^I’m Rollcall, an automated attendance assistant/)]);
  });
});
