import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatabaseProxy, type DatabaseProxy } from '../support/database-proxy.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { messageActivity, postTeams, STAFF_CHANNEL_ID, TEAMS_DEVELOPMENT_ENV, teamsActivity } from '../support/teams-activities.js';
import { createTestDatabase } from '../support/test-database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';

let proxy: DatabaseProxy;
let connector: FakeBotConnector;
let app: TestApp;
const QUINN = { name: 'Quinn Reyes', aadObjectId: '7e8f9a0b-0000-4c1d-8e2f-4000000000c1' };
const PERSONAL_CHAT = 'a:1outagePersonalChat';

beforeAll(async () => {
  connector = await startFakeBotConnector();
  // The app reaches its own database through a proxy the test can cut; the shared server stays up.
  proxy = await startDatabaseProxy(await createTestDatabase());
  app = await startTestApp({ databaseUrl: proxy.url, env: TEAMS_DEVELOPMENT_ENV, platforms: ['teams'] });
  expect((await postTeams(app.url, teamsActivity('bot-added-to-team', { serviceUrl: connector.url }))).status).toBe(200);
});
afterAll(async () => {
  proxy?.restore();
  await app?.stop();
  await proxy?.close();
  await connector?.close();
});

const repliesIn = (conversationId: string) => connector.calls.filter((c) => c.op === 'reply' && c.conversationId === conversationId);

describe('Teams while the database is unreachable', () => {
  it('answers 503 with a generic body, then handles Teams\' retry of the same activity once', async () => {
    const program = await app.api('POST', '/api/v1/programs', { name: 'Outage group', timezone: 'America/New_York', alertChannel: { platform: 'teams', channelId: STAFF_CHANNEL_ID } });
    const participant = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, {
      name: QUINN.name,
      enrolledAt: new Date(Date.now() - 86_400_000).toISOString(),
      identities: [{ platform: 'teams', externalId: QUINN.aadObjectId }],
    });
    expect(participant.status).toBe(201);
    const crisis = messageActivity('message-personal', { serviceUrl: connector.url, text: 'I want to kill myself', from: QUINN, conversationId: PERSONAL_CHAT });

    // Enrolment's own jobs finish first, so the outage hits the request under test alone.
    await waitForDrain(app);
    proxy.cut();
    const during = await postTeams(app.url, crisis);
    expect(during.status).toBe(503);
    expect(during.body).toEqual({ error: { code: 'unavailable', message: 'temporarily unavailable; retry later' } });
    // Nothing of the failure reaches the caller: no Prisma message, source path, SQL or port.
    expect(JSON.stringify(during.body)).not.toMatch(/prisma|\.ts|select|insert|5432|ECONN|postgres/i);
    expect(repliesIn(PERSONAL_CHAT)).toHaveLength(0);

    proxy.restore();
    // Teams retries the same activity (same id); once stored it is handled, and a further copy is not.
    const retried = await waitFor(async () => {
      const answer = await postTeams(app.url, crisis);
      return answer.status === 200 ? answer : undefined;
    }, 15_000, 'the retry to be handled');
    expect(retried.status).toBe(200);
    expect((await postTeams(app.url, crisis)).status).toBe(200);
    expect(repliesIn(PERSONAL_CHAT)).toHaveLength(1);
    expect(String(repliesIn(PERSONAL_CHAT)[0]!.body.text)).toContain('988');
    const alerts = await waitFor(async () => {
      const found = await app.database.prisma.alert.findMany({ where: { participantId: participant.body.id, kind: 'crisis' } });
      return found.length > 0 ? found : undefined;
    }, 8000, 'the crisis alert');
    expect(alerts).toHaveLength(1);
  });
});
