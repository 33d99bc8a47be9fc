import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../src/jobs/queues.js';
import { createRecordingNotifier, type RecordedCall } from '../support/recording-notifier.js';
import { at, createScenario } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';

const jordan = { user_name: 'Jordan Alvarez', participant_uuid: 'UUID-J', registrant_id: 'REG-J' };
const people = [{ name: 'Jordan Alvarez', identities: [{ platform: 'zoom', externalId: 'REG-J', kind: 'registrant_id' }] }, { name: 'Alex Kim' }];

const notJoined = (calls: RecordedCall[], sessionId: string) =>
  calls.filter((c) => c.op === 'post' && c.message.kind === 'not_joined' && c.message.metadata.sessionId === sessionId);

// A web instance (ROLLCALL_ROLE=web) takes the webhooks; an instance of the default role works the jobs.
const webCalls = createRecordingNotifier();
const workerCalls = createRecordingNotifier();
let web: TestApp;
let worker: TestApp;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  const env = { ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  web = await startTestApp({ databaseUrl, notifier: webCalls.notifier, env: { ...env, ROLLCALL_ROLE: 'web' } });
  worker = await startTestApp({ databaseUrl, notifier: workerCalls.notifier, env });
});
afterAll(async () => {
  await web?.stop();
  await worker?.stop();
});

describe('a web instance', () => {
  it('acknowledges and stores, hands evaluation to the queue, and the instance that works jobs evaluates and alerts', async () => {
    // The no-show deadline (start + 15 min) falls two seconds from now.
    const start = new Date(Math.ceil((Date.now() - 15 * 60_000 + 2000) / 1000) * 1000);
    const { sessionId } = await createScenario(web, { meetingId: '86000000071', startsAt: start, minutes: 60, people });
    expect((await postZoom(web.url, zoomDelivery('meeting-started', { meetingId: '86000000071', at: start }))).status).toBe(200);
    expect((await postZoom(web.url, zoomDelivery('participant-joined', { meetingId: '86000000071', at: at(start, 60_000), person: jordan }))).status).toBe(200);

    const prisma = worker.database.prisma;
    await waitFor(async () => (await prisma.attendance.findFirst({ where: { sessionId, status: 'present' } })) ?? undefined, 8000, 'Jordan present');
    await waitFor(() => notJoined(workerCalls.calls, sessionId).length > 0, 10_000, 'Alex not joined, posted by the worker');
    await web.idle();
    await waitForDrain(worker);

    const [evaluations] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = ${QUEUES.evaluate.name} AND state = 'completed'`;
    expect(evaluations!.n).toBeGreaterThan(0);
    expect(notJoined(workerCalls.calls, sessionId)).toHaveLength(1);
    // The web instance worked no job: it posted nothing.
    expect(webCalls.calls).toHaveLength(0);
  });
});
