import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPrisma } from '../../src/db/database.js';
import { DeliveryError } from '../../src/services/notifier.js';
import { startAppProcess } from '../support/app-process.js';
import { createRecordingNotifier, type RecordedCall } from '../support/recording-notifier.js';
import { hashToken } from '../../src/http/admin/auth.js';
import { at, createScenario } from '../support/scenario.js';
import { startTestApp, TEST_ADMIN_TOKEN } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';

const jordan = { user_name: 'Jordan Alvarez', participant_uuid: 'UUID-J', registrant_id: 'REG-J' };
const people = [{ name: 'Jordan Alvarez', identities: [{ platform: 'zoom', externalId: 'REG-J', kind: 'registrant_id' }] }, { name: 'Alex Kim' }];

/** A session whose no-show deadline (start + 15 min) falls `leadMs` from now, on a whole second. */
const startForDeadlineIn = (leadMs: number) => new Date(Math.ceil((Date.now() - 15 * 60_000 + leadMs) / 1000) * 1000);

const notJoinedPosts = (calls: RecordedCall[], sessionId: string) =>
  calls.filter((c) => c.op === 'post' && c.message.kind === 'not_joined' && c.message.metadata.sessionId === sessionId);

describe('durability', () => {
  it('fires a deadline once after the process holding it was killed with SIGKILL', async () => {
    const databaseUrl = await createTestDatabase();
    const first = await startAppProcess(databaseUrl);
    const prisma = createPrisma(databaseUrl);
    const api = async (method: string, route: string, body?: unknown, token = TEST_ADMIN_TOKEN) => {
      const response = await fetch(`${first.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    let second: Awaited<ReturnType<typeof startTestApp>> | undefined;
    try {
      const start = startForDeadlineIn(4000);
      // The child process's encryption key is its own: its first organization takes the (installation-less) deliveries.
      const firstOrganization = { token: TEST_ADMIN_TOKEN, organizationId: (await prisma.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(TEST_ADMIN_TOKEN) } })).organizationId };
      const { sessionId } = await createScenario({ api, database: { prisma } } as any, { meetingId: '86000000001', startsAt: start, minutes: 60, people, inOrganizationOf: firstOrganization });
      await postZoom(first.url, zoomDelivery('meeting-started', { meetingId: '86000000001', at: start }));
      await postZoom(first.url, zoomDelivery('participant-joined', { meetingId: '86000000001', at: at(start, 60_000), person: jordan }));
      // The killed process had stored the facts and armed the deadline, and posted nothing yet.
      await waitFor(async () => (await prisma.attendance.findFirst({ where: { sessionId, status: 'present' } })) ?? undefined, 5000, 'evaluation');
      expect(await prisma.alert.count({ where: { sessionId } })).toBe(0);
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));

      const recorder = createRecordingNotifier();
      second = await startTestApp({ databaseUrl, notifier: recorder.notifier });
      await waitFor(() => notJoinedPosts(recorder.calls, sessionId).length > 0, 12_000, 'the no-show alert after restart');
      await second.sweep();
      await waitForDrain(second);
      expect(notJoinedPosts(recorder.calls, sessionId)).toHaveLength(1);
      const alerts = await prisma.alert.findMany({ where: { sessionId } });
      expect(alerts.map((a) => [a.kind, a.deliveryState])).toEqual([['not_joined', 'delivered']]);
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
      await second?.stop();
      await prisma.$disconnect();
    }
  });

  it('fires each deadline once with two instances on one database', async () => {
    const databaseUrl = await createTestDatabase();
    const a = createRecordingNotifier();
    const b = createRecordingNotifier();
    // Instances of one deployment share ENCRYPTION_KEY (the Zoom account keys depend on it).
    const env = { ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    const one = await startTestApp({ databaseUrl, notifier: a.notifier, env });
    const two = await startTestApp({ databaseUrl, notifier: b.notifier, env });
    try {
      const start = startForDeadlineIn(1500);
      const { sessionId } = await createScenario(one, { meetingId: '86000000002', startsAt: start, minutes: 60, people });
      const started = zoomDelivery('meeting-started', { meetingId: '86000000002', at: start });
      const joined = zoomDelivery('participant-joined', { meetingId: '86000000002', at: at(start, 60_000), person: jordan });
      // Zoom's retry of one delivery lands on the other instance at the same time.
      await Promise.all([postZoom(one.url, started), postZoom(two.url, started)]);
      await Promise.all([postZoom(one.url, joined), postZoom(two.url, joined)]);
      expect(await one.database.prisma.presenceEvent.count({ where: { sessionId } })).toBe(2);
      await waitFor(() => notJoinedPosts([...a.calls, ...b.calls], sessionId).length > 0, 8000, 'the no-show alert');
      await Promise.all([one.sweep(), two.sweep()]);
      await Promise.all([waitForDrain(one), waitForDrain(two)]);
      expect(notJoinedPosts([...a.calls, ...b.calls], sessionId)).toHaveLength(1);
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  it('retries a chat API that answers 500 or 429, and posts once', async () => {
    const recorder = createRecordingNotifier();
    const app = await startTestApp({ notifier: recorder.notifier });
    try {
      recorder.failNext(new DeliveryError('chat API answered 500', true), new DeliveryError('chat API answered 429', true, 1));
      const start = new Date(Math.floor((Date.now() - 20 * 60_000) / 1000) * 1000);
      const { sessionId } = await createScenario(app, { meetingId: '86000000003', startsAt: start, minutes: 60, people: [people[1]!] });
      await postZoom(app.url, zoomDelivery('meeting-started', { meetingId: '86000000003', at: start }));
      await waitFor(() => notJoinedPosts(recorder.calls, sessionId).length > 0, 8000, 'the alert after two failures');
      // The post is seen by the chat side a moment before its transaction records it.
      const alert = await waitFor(
        async () => (await app.database.prisma.alert.findFirst({ where: { sessionId, kind: 'not_joined', deliveryState: 'delivered' } })) ?? undefined,
        5000,
        'the delivery recorded',
      );
      expect(alert.deliveryAttempts).toBeGreaterThanOrEqual(3);
      expect(notJoinedPosts(recorder.calls, sessionId)).toHaveLength(1);
    } finally {
      await app.stop();
    }
  });

  it('gives up on a permanent refusal without posting', async () => {
    const recorder = createRecordingNotifier();
    const app = await startTestApp({ notifier: recorder.notifier });
    try {
      recorder.failNext(new DeliveryError('channel_not_found', false));
      const start = new Date(Math.floor((Date.now() - 20 * 60_000) / 1000) * 1000);
      const { sessionId } = await createScenario(app, { meetingId: '86000000004', startsAt: start, minutes: 60, people: [people[1]!] });
      await postZoom(app.url, zoomDelivery('meeting-started', { meetingId: '86000000004', at: start }));
      const alert = await waitFor(
        async () => (await app.database.prisma.alert.findFirst({ where: { sessionId, deliveryState: 'failed' } })) ?? undefined,
        5000,
        'the failed delivery',
      );
      expect(alert.lastDeliveryError).toBe('channel_not_found');
      expect(recorder.calls).toHaveLength(0);
    } finally {
      await app.stop();
    }
  });
});
