import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatabaseProxy, type DatabaseProxy } from '../support/database-proxy.js';
import { fakeZoomEnv, installZoom, startFakeZoom, type FakeZoom } from '../support/fake-zoom.js';
import { createScenario, minutesAgo, zoomClinicOf } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';
import { readZoomFixture } from '../support/zoom-signing.js';

const ACCOUNT = 'zOutageAcct7Hq2Lm9Pw4';
/** The clinic the account founded when it installed. */
let clinic: { token: string; organizationId: string };
let zoom: FakeZoom;
let proxy: DatabaseProxy;
let app: TestApp;

beforeAll(async () => {
  zoom = await startFakeZoom();
  zoom.account.id = ACCOUNT;
  // The app reaches its database through a proxy this test can cut, never the shared server itself.
  proxy = await startDatabaseProxy(await createTestDatabase());
  app = await startTestApp({ databaseUrl: proxy.url, env: fakeZoomEnv(zoom) });
  const installed = await installZoom(app.url, zoom);
  if (installed.status !== 200) throw new Error(`install failed: ${installed.text}`);
  clinic = await zoomClinicOf(app, ACCOUNT);
});
afterAll(async () => {
  proxy?.restore();
  await app?.stop();
  await proxy?.close();
  await zoom?.close();
});

const GENERIC = { error: { code: 'unavailable', message: 'temporarily unavailable, please retry' } };

describe('Zoom deliveries while the database is unreachable', () => {
  it('answers 503 with a generic body, then stores the retried join and answers the retried chat message once', async () => {
    const meetingId = '89000000001';
    const start = minutesAgo(10);
    const { sessionId } = await createScenario(app, {
      meetingId,
      startsAt: start,
      minutes: 60,
      people: [{ name: 'Alex Kim', identities: [{ platform: 'zoom', externalId: 'zoom-alex-outage' }] }],
      inOrganizationOf: clinic,
    });
    const join = JSON.parse(zoomDelivery('participant-joined', { meetingId, at: new Date(start.getTime() + 60_000), person: { user_name: 'Alex Kim', participant_uuid: 'UUID-OUTAGE', id: 'zoom-alex-outage' } }));
    join.payload.account_id = ACCOUNT;
    const joinBody = JSON.stringify(join);
    const dm = structuredClone(readZoomFixture('bot-notification').json) as Record<string, any>;
    Object.assign(dm.payload, { accountId: ACCOUNT, userId: 'zOutageUser1', userJid: 'zoutageuser1@xmpp.zoom.us', toJid: 'zoutageuser1@xmpp.zoom.us', cmd: 'hello', timestamp: Date.now() });
    const dmBody = JSON.stringify(dm);
    const replies = () => zoom.messages.filter((m) => m.to_jid === 'zoutageuser1@xmpp.zoom.us');

    // pg-boss 10 leaves a job's complete/fail promise unhandled when the database drops mid-job
    // (reported separately): cut only while no job is due, so this test sees the webhook alone.
    await app.evaluator.idle();
    await waitFor(async () => {
      const [row] = await app.database.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND start_after <= now()`;
      return row!.n === 0n;
    }, 10_000, 'no job due');
    proxy.cut();
    for (const body of [joinBody, dmBody]) {
      const answer = await postZoom(app.url, body);
      expect(answer).toEqual({ status: 503, body: GENERIC });
    }
    // An unusable delivery cannot be kept either: 503, so Zoom retries it too.
    expect(await postZoom(app.url, '{"event": "meeting.participant_joined", "payload": ')).toEqual({ status: 503, body: GENERIC });
    proxy.restore();

    // Zoom's retries: the same bytes, signed anew.
    expect(await waitFor(async () => {
      const answer = await postZoom(app.url, joinBody);
      return answer.status === 200 && answer;
    }, 10_000, 'the retried join stored')).toMatchObject({ body: { status: 'stored' } });
    expect(await postZoom(app.url, joinBody)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expect(await app.database.prisma.presenceEvent.count({ where: { sessionId, personKey: 'UUID-OUTAGE' } })).toBe(1);

    expect(await postZoom(app.url, dmBody)).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect(await postZoom(app.url, dmBody)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    await waitFor(() => replies().length > 0, 5000, 'the reply');
    await waitForDrain(app);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]!.account_id).toBe(ACCOUNT);
  });
});
