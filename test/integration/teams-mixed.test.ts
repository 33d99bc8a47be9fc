import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createHttpApp } from '../../src/http/app.js';
import { mountPlatformRoutes } from '../../src/http/platform-routes.js';
import { teamsModule } from '../../src/platforms/teams/teams-app.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { at, minutes, minutesAgo } from '../support/scenario.js';
import { TEST_SLACK_SIGNING_SECRET } from '../support/slack-signing.js';
import { meetingActivity, postTeams, STAFF_CHANNEL_ID, teamsActivity, TEAMS_DEVELOPMENT_ENV } from '../support/teams-activities.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitFor } from '../support/wait-for.js';

let connector: FakeBotConnector;
let slack: FakeSlack;
let app: TestApp;

beforeAll(async () => {
  connector = await startFakeBotConnector();
  slack = await startFakeSlack();
  app = await startTestApp({ env: { ...TEAMS_DEVELOPMENT_ENV, SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url } });
  await postTeams(app.url, teamsActivity('bot-added-to-team', { serviceUrl: connector.url }));
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
  await connector?.close();
});

/** A program alerting `alertChannel`, Alex enrolled with `identity`, one session on `meeting`, started 20 minutes ago. */
async function program(name: string, alertChannel: { platform: string; channelId: string }, identity: { platform: string; externalId: string }, meeting: { platform: string; meetingId: string }) {
  const start = minutesAgo(20);
  const created = await app.api('POST', '/api/v1/programs', { name, timezone: 'America/New_York', alertChannel });
  await app.api('POST', `/api/v1/programs/${created.body.id}/participants`, { name: 'Alex Kim', enrolledAt: new Date(start.getTime() - 86_400_000).toISOString(), identities: [identity] });
  const session = await app.api('POST', `/api/v1/programs/${created.body.id}/sessions`, {
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + minutes(60)).toISOString(),
    meeting,
  });
  return { sessionId: session.body.id as string, start };
}

describe('the presence source and the chat destination are independent', () => {
  it('a Teams meeting\'s events alert a Slack channel', async () => {
    const meetingId = 'MCMxOTptZWV0aW5nX01peGVkVGVhbXM=';
    const aad = '7e8f9a0b-0000-4c1d-8e2f-200000000001';
    const { sessionId, start } = await program('Teams to Slack', { platform: 'slack', channelId: 'C0MIXED01' }, { platform: 'teams', externalId: aad }, { platform: 'teams', meetingId });
    await postTeams(app.url, meetingActivity('meeting-start', { serviceUrl: connector.url, meetingId, at: start }));
    const posted = await waitFor(() => slack.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0MIXED01' && String(c.body.text).startsWith('Not joined: Alex K.')), 8000, 'the Slack post');
    expect((posted.body.metadata as { event_payload: { sessionId: string } }).event_payload.sessionId).toBe(sessionId);
    await postTeams(app.url, meetingActivity('meeting-participant-join', { serviceUrl: connector.url, meetingId, at: at(start, minutes(19)), people: [{ name: 'Alex Kim', aadObjectId: aad }] }));
    await waitFor(() => slack.calls.find((c) => c.method === 'chat.update' && c.body.channel === 'C0MIXED01' && String(c.body.text).startsWith('Late join: Alex K.')), 8000, 'the Slack edit');
    expect(connector.messages(STAFF_CHANNEL_ID).some((m) => JSON.stringify(m.activity).includes(sessionId))).toBe(false);
  });

  it('a Zoom meeting\'s events alert a Teams channel', async () => {
    const meetingId = '86000000777';
    const { sessionId, start } = await program('Zoom to Teams', { platform: 'teams', channelId: STAFF_CHANNEL_ID }, { platform: 'zoom', externalId: 'zoom-user-alex-777' }, { platform: 'zoom', meetingId });
    await postZoom(app.url, zoomDelivery('meeting-started', { meetingId, at: start }));
    const alert = await waitFor(async () => (await app.database.prisma.alert.findFirst({ where: { sessionId, kind: 'not_joined', deliveryState: 'delivered' } })) ?? undefined, 8000, 'the alert');
    const message = connector.messages(STAFF_CHANNEL_ID).find((m) => m.id === alert.externalMessageId)!;
    expect(connector.cardOf(message).body[0].text).toBe('Not joined: Alex K.');
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: at(start, minutes(19)), person: { user_name: 'Alex Kim', participant_uuid: 'UUID-ALEX-777', id: 'zoom-user-alex-777' } }));
    await waitFor(() => connector.cardOf(message).body[0].text === 'Late join: Alex K.', 8000, 'the Teams edit');
    expect(slack.calls.some((c) => JSON.stringify(c.body).includes(sessionId))).toBe(false);
  });
});

describe('inbound authentication', () => {
  it('refuses an activity without a Bot Connector token once MICROSOFT_APP_ID is set', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'rollcall-teams-auth-')), MICROSOFT_APP_ID: '00000000-0000-0000-0000-00000000a990', MICROSOFT_APP_PASSWORD: 'not-a-real-secret' });
    const log = createLogger('silent');
    const teams = await teamsModule.attach({
      config,
      prisma: app.database.prisma,
      log,
      clock: systemClock,
      box: createSecretBox(config.encryptionKey),
      organizationId: app.organizationId,
      evaluator: app.evaluator,
      enqueueDeliveries: async () => {},
      enqueueParticipantMessages: async () => {},
      messengerFor: () => undefined,
      receive: async () => ({ stored: 0, duplicates: 0, sessionIds: [] }),
    });
    const web = createHttpApp({ log, isReady: () => true, isDatabaseUp: async () => true, mount: (web) => mountPlatformRoutes(web, [{ capabilities: teams }]) });
    const server = web.listen(0);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const meetingId = 'MCMxOTptZWV0aW5nX0F1dGg=';
      const response = await postTeams(url, meetingActivity('meeting-participant-join', { serviceUrl: connector.url, meetingId, at: new Date(), people: [{ name: 'Eve', aadObjectId: '33333333-0000-4000-8000-000000000e0e' }] }));
      expect(response.status).toBe(401);
      expect(await app.database.prisma.presenceEvent.count({ where: { meetingId } })).toBe(0);
      expect(teams.reportSource?.name).toBe('graph_attendance_report');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
