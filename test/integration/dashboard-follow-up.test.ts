import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_ZONE, seedClinic, type Seed } from '../support/dashboard-seed.js';
import { createRecordingNotifier } from '../support/recording-notifier.js';
import { createShiftClock } from '../support/shift-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { signInOverHttp } from '../support/dashboard-sign-in.js';

const DAY = 86_400_000;
// The app's clock is three days behind the wall clock: a time written from the wall clock would show.
const clock = createShiftClock(new Date(Date.now() - 3 * DAY));
const chat = createRecordingNotifier();
let app: TestApp;
let seed: Seed;

beforeAll(async () => {
  app = await startTestApp({ clock, notifier: chat.notifier });
  seed = await seedClinic(app.database.prisma, clock.now());
});
afterAll(async () => {
  await app?.stop();
});

const signIn = (token: string) => signInOverHttp(app.url, token);

describe('a follow-up closed from the dashboard', () => {
  it('is closed on the app clock, by the signed-in actor, and its alert is edited at once', async () => {
    const { prisma } = app.database;
    const casey = seed.participants['Casey Morgan, Jr.']!;
    // The Strike alert behind the follow-up, already posted (as the outbox would have left it).
    const alert = await prisma.alert.create({
      data: {
        organizationId: seed.organizationId,
        programId: seed.programId,
        participantId: casey,
        subjectKey: casey,
        topic: 'strikes',
        kind: 'strike',
        detail: { rule: 'ladder:1', action: 'outreach', strikes: 1, windowDays: 30, followUpId: seed.followUpId },
        platform: 'slack',
        channelId: 'C0STAFF',
        externalMessageId: 'msg-strike',
        deliveredVersion: 1,
        deliveryState: 'delivered',
        dedupeKey: `test-strike:${casey}`,
      },
    });
    await prisma.followUp.update({ where: { id: seed.followUpId }, data: { alertId: alert.id } });
    const { cookie, csrf } = await signIn(seed.token);

    const before = clock.now();
    const response = await fetch(`${app.url}/follow-ups/${seed.followUpId}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, action: 'complete' }),
    });
    const after = clock.now();
    expect(response.headers.get('location')).toBe('/follow-ups?done=complete');

    const followUp = await prisma.followUp.findUniqueOrThrow({ where: { id: seed.followUpId } });
    expect(followUp).toMatchObject({ state: 'done', closedBy: 'dashboard:admin_token:seed' });
    expect(followUp.closedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(followUp.closedAt!.getTime()).toBeLessThanOrEqual(after.getTime());
    // The sweep re-sends only alerts left unchanged for 20 s: an edit within 10 s was enqueued by the change itself.
    const edit = await waitFor(() => chat.calls.find((c) => c.op === 'update' && c.messageId === 'msg-strike'), 10_000, 'the edit of the Strike alert');
    const at = DateTime.fromJSDate(followUp.closedAt!, { zone: SEED_ZONE }).toFormat('HH:mm');
    expect(edit.message).toMatchObject({ state: 'resolved', actions: [] });
    expect(edit.message.lines).toEqual(expect.arrayContaining(['Resolved: handled.', `Marked done by dashboard:admin_token:seed at ${at}.`]));
    // The delivery records what it sent just after the chat API answered.
    const delivered = await waitFor(async () => {
      const row = await prisma.alert.findUniqueOrThrow({ where: { id: alert.id } });
      return row.deliveredVersion === 2 ? row : undefined;
    }, 5000, 'the edit recorded as delivered');
    expect(delivered).toMatchObject({ state: 'resolved', version: 2 });
  });
});
