import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordingNotifier } from '../support/recording-notifier.js';
import { at, createScenario, minutes, minutesAgo } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery, type ZoomPerson } from '../support/zoom-events.js';
import { waitFor } from '../support/wait-for.js';
import { readZoomFixture, TEST_ZOOM_SECRET } from '../support/zoom-signing.js';

let app: TestApp;
const recorder = createRecordingNotifier();

beforeAll(async () => {
  app = await startTestApp({ notifier: recorder.notifier });
});
afterAll(async () => {
  await app?.stop();
});

const jordan = { user_name: 'Jordan Alvarez', participant_uuid: 'UUID-JORDAN-1', registrant_id: 'REG-J' };
const sam = { user_name: 'Sam L', participant_uuid: 'UUID-SAM-1', email: 'sam.lee@example.org' };
const riley = { user_name: 'Riley Chen', participant_uuid: 'UUID-RILEY-1' };
const alex = { user_name: 'Alex Kim', participant_uuid: 'UUID-ALEX-1', id: 'zoom-user-alex' };
const stranger = { user_name: 'iPhone 12', participant_uuid: 'UUID-PHONE-1' };

const people = [
  { name: 'Jordan Alvarez', identities: [{ platform: 'zoom', externalId: 'REG-J', kind: 'registrant_id' }] },
  { name: 'Sam Lee', email: 'sam.lee@example.org' },
  { name: 'Riley Chen' },
  { name: 'Alex Kim', identities: [{ platform: 'zoom', externalId: 'zoom-user-alex' }] },
];

const presenceCount = () => app.database.prisma.presenceEvent.count();

describe('POST /zoom/webhook: the door', () => {
  it('answers the endpoint.url_validation challenge', async () => {
    const { rawBody, json } = readZoomFixture('url-validation');
    const response = await postZoom(app.url, rawBody.toString('utf8'));
    const plainToken = (json as { payload: { plainToken: string } }).payload.plainToken;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ plainToken, encryptedToken: createHmac('sha256', TEST_ZOOM_SECRET).update(plainToken).digest('hex') });
  });

  it.each([
    ['a wrong secret', { secret: 'not-the-secret' }],
    ['a timestamp 301 seconds old', { nowMs: Date.now() - 301_000 }],
    ['no signature headers', { headers: { 'x-zm-signature': '', 'x-zm-request-timestamp': '' } }],
  ])('refuses %s with 401 and stores nothing', async (_label, options) => {
    const before = await presenceCount();
    const body = zoomDelivery('participant-joined', { meetingId: '111', at: new Date(), person: jordan });
    const response = await postZoom(app.url, body, options);
    expect(response.status).toBe(401);
    expect(await presenceCount()).toBe(before);
  });

  it('refuses a body re-serialized after signing', async () => {
    const before = await presenceCount();
    const signed = zoomDelivery('participant-joined', { meetingId: '111', at: new Date(), person: jordan });
    const { signedZoomHeaders } = await import('../support/zoom-signing.js');
    const headers = signedZoomHeaders(signed, { nowMs: Date.now() });
    const response = await fetch(`${app.url}/zoom/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(JSON.parse(signed), null, 2),
    });
    expect(response.status).toBe(401);
    expect(await presenceCount()).toBe(before);
  });

  // A signed but malformed event is a 200 and a dead letter: zoom-dead-letters.test.ts.

  it('keeps an event for no known session without an error to Zoom', async () => {
    const body = zoomDelivery('participant-joined', { meetingId: '999000999', at: new Date(), person: jordan });
    const response = await postZoom(app.url, body);
    expect(response.status).toBe(200);
    const stored = await app.database.prisma.presenceEvent.findFirst({ where: { meetingId: '999000999' } });
    expect(stored).toMatchObject({ sessionId: null, organizationId: null, kind: 'joined' });
  });
});

describe('a live session fed by Zoom', () => {
  it('turns joins and leaves into attendance and alerts, and edits an alert in place when its subject changes', async () => {
    const meetingId = '85000000001';
    const start = minutesAgo(20);
    const { api, sessionId, participants } = await createScenario(app, { meetingId, startsAt: start, minutes: 90, people });
    const send = async (fixture: string, offset: number, person?: ZoomPerson, leaveReason?: string) => {
      const response = await postZoom(app.url, zoomDelivery(fixture, { meetingId, at: at(start, offset), person, leaveReason }));
      expect(response.status).toBe(200);
    };
    await send('meeting-started', 0);
    await send('participant-joined', minutes(1), jordan);
    await send('participant-joined', minutes(2), riley);
    await send('participant-joined', minutes(3), stranger);
    await send('participant-joined', minutes(7), sam);
    await send('participant-left-connection-lost', minutes(10), riley);
    await send('participant-joined', minutes(12), { ...riley, participant_uuid: 'UUID-RILEY-2' });
    await app.evaluator.idle();

    const attendance = await api('GET', `/api/v1/sessions/${sessionId}/attendance`);
    const byName = Object.fromEntries(attendance.body.attendance.map((row: { name: string }) => [row.name, row]));
    expect(byName['Jordan Alvarez']).toMatchObject({ status: 'present', flags: [] });
    expect(byName['Sam Lee']).toMatchObject({ status: 'late', flags: ['late'] });
    expect(byName['Riley Chen']).toMatchObject({ status: 'present', flags: ['reconnected', 'connection_lost'] });
    expect(byName['Alex Kim']).toMatchObject({ status: 'not_joined', minutesPresent: 0 });
    // Live minutes so far: Jordan joined at start + 1 min, the session is 20 minutes old.
    expect(byName['Jordan Alvarez'].minutesPresent).toBeGreaterThanOrEqual(18);
    expect(byName['Jordan Alvarez'].minutesPresent).toBeLessThanOrEqual(19);

    const sessionCalls = () => recorder.calls.filter((c) => c.message.metadata.sessionId === sessionId);
    // The channel as staff see it: each message in its latest version.
    const channelView = () => {
      const latest = new Map<string, (typeof recorder.calls)[number]>();
      for (const call of sessionCalls()) latest.set(call.messageId, call);
      return [...latest.values()];
    };
    const activeTexts = () => channelView().filter((c) => c.message.state === 'active').map((c) => c.message.text).sort();
    // The events above replay twenty minutes at once, so early evaluations may briefly see people
    // as not yet joined; what matters is what the channel settles on, and that nothing is posted twice.
    const settled = [/^Late join: Sam L\./, /^Not joined: Alex K\./, /^Unrecognized participant/];
    const matchesSettled = (texts: string[]) => texts.length === settled.length && settled.every((pattern, i) => pattern.test(texts[i]!));
    // Deliveries trail the evaluations: wait until the channel shows what the facts say.
    const texts = await waitFor(() => matchesSettled(activeTexts()) && activeTexts(), 15_000, 'the settled channel').catch((error: Error) => {
      throw new Error(`${error.message} (at the timeout: ${activeTexts().join(' | ')})`);
    });
    expect(texts).toHaveLength(3);
    const postsPerAlert = new Map<string, number>();
    for (const call of sessionCalls().filter((c) => c.op === 'post')) postsPerAlert.set(call.message.alertId, (postsPerAlert.get(call.message.alertId) ?? 0) + 1);
    expect([...postsPerAlert.values()].every((n) => n === 1)).toBe(true);
    const notJoined = channelView().find((c) => c.message.kind === 'not_joined' && c.message.state === 'active')!;
    expect(notJoined.message.metadata).toEqual({ kind: 'not_joined', sessionId, participantId: participants['Alex Kim'] });
    expect(notJoined.channel).toMatchObject({ platform: 'slack', channelId: 'C-STAFF' });
    // Minimum necessary: no full names, no emails in what staff chat shows.
    for (const call of sessionCalls()) expect(JSON.stringify(call.message)).not.toMatch(/Alvarez|Kim\b|Chen|example\.org/);

    // Alex arrives: the same message becomes "Late join", edited rather than posted again.
    const postsBefore = sessionCalls().filter((c) => c.op === 'post').length;
    await send('participant-joined', minutes(20), alex);
    const edit = await waitFor(() => sessionCalls().find((c) => c.op === 'update' && c.messageId === notJoined.messageId && c.message.kind === 'late_join'), 5000, 'the edit');
    expect(edit.message.text).toMatch(/^Late join: Alex K\./);
    expect(sessionCalls().filter((c) => c.op === 'post')).toHaveLength(postsBefore);
  });

  it('learns a linked alias, counts two devices of one person once, and resolves the unrecognized alert', async () => {
    const meetingId = '85000000002';
    const start = minutesAgo(30);
    const { api, sessionId, participants } = await createScenario(app, { meetingId, startsAt: start, minutes: 60, people: [{ name: 'Riley Chen' }] });
    const post = (fixture: string, offset: number, person: ZoomPerson) =>
      postZoom(app.url, zoomDelivery(fixture, { meetingId, at: at(start, offset), person }));
    await post('meeting-started', 0, riley);
    await post('participant-joined', minutes(0), riley);
    await post('participant-joined', minutes(10), stranger);
    await post('participant-left', minutes(20), stranger);
    await app.evaluator.idle();
    const identity = await waitFor(() => recorder.calls.find((c) => c.message.metadata.sessionId === sessionId && c.message.kind === 'unrecognized_participant'));
    expect(identity.message.text).toMatch(/^Unrecognized participant/);
    expect(JSON.stringify(identity.message)).toContain('iPhone 12');

    const link = await api('POST', `/api/v1/sessions/${sessionId}/link`, { personKey: stranger.participant_uuid, participantId: participants['Riley Chen'] });
    expect(link.status).toBe(200);
    const alias = await app.database.prisma.identity.findFirst({ where: { participantId: participants['Riley Chen'], kind: 'alias' } });
    expect(alias?.value).toBe('iphone 12');
    const audit = await app.database.prisma.auditLog.findFirst({ where: { action: 'identity.link', entityId: participants['Riley Chen'] } });
    expect(audit?.actor).toBe('admin-api:scenario');

    const attendance = await api('GET', `/api/v1/sessions/${sessionId}/attendance`);
    // Both devices overlap from minute 10 to 20: thirty minutes of presence, not forty.
    expect(attendance.body.attendance[0].minutesPresent).toBe(30);
    const resolved = await waitFor(() => recorder.calls.find((c) => c.op === 'update' && c.messageId === identity.messageId));
    expect(resolved.message.state).toBe('resolved');
    expect(resolved.message.actions).toEqual([]);
  });
});

describe('the waiting room', () => {
  it('alerts after the threshold and resolves the alert in place when the person is admitted', async () => {
    const meetingId = '85000000006';
    const start = minutesAgo(10);
    const { sessionId } = await createScenario(app, { meetingId, startsAt: start, minutes: 60, people: [people[0]!] });
    const morgan = { ...jordan, participant_uuid: 'UUID-JORDAN-WAIT' };
    await postZoom(app.url, zoomDelivery('meeting-started', { meetingId, at: start }));
    // Waiting since three minutes ago: past the two-minute threshold.
    await postZoom(app.url, zoomDelivery('participant-joined-waiting-room', { meetingId, at: at(start, minutes(7)), person: morgan }));
    const alert = await waitFor(() => recorder.calls.find((c) => c.message.metadata.sessionId === sessionId && c.message.kind === 'waiting_room'), 5000, 'waiting room alert');
    expect(alert.message.text).toMatch(/^Waiting room: Jordan A\./);
    await postZoom(app.url, zoomDelivery('participant-admitted', { meetingId, at: at(start, minutes(10)), person: morgan }));
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: at(start, minutes(10)), person: morgan }));
    const resolved = await waitFor(() => recorder.calls.find((c) => c.op === 'update' && c.messageId === alert.messageId), 5000, 'resolution');
    expect(resolved.message.state).toBe('resolved');
    expect(resolved.message.text).toMatch(/resolved: admitted/);
  });
});

describe('deliveries as Zoom sends them', () => {
  it('stores a retried delivery once, sequentially and concurrently', async () => {
    const meetingId = '85000000003';
    const start = minutesAgo(5);
    const { api, sessionId } = await createScenario(app, { meetingId, startsAt: start, minutes: 60, people });
    const body = zoomDelivery('participant-joined', { meetingId, at: at(start, minutes(1)), person: jordan });
    const first = await postZoom(app.url, body);
    const again = await postZoom(app.url, body);
    expect([first.body.status, again.body.status]).toEqual(['stored', 'duplicate']);
    const burst = zoomDelivery('participant-joined', { meetingId, at: at(start, minutes(2)), person: sam });
    const answers = await Promise.all(Array.from({ length: 6 }, () => postZoom(app.url, burst)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.status === 'stored')).toHaveLength(1);
    expect(await app.database.prisma.presenceEvent.count({ where: { sessionId, kind: 'joined' } })).toBe(2);
  });

  it('derives state from event times, not arrival order', async () => {
    const meetingId = '85000000004';
    const start = minutesAgo(50);
    const { api, sessionId } = await createScenario(app, { meetingId, startsAt: start, minutes: 60, people: [people[0]!] });
    // The leave arrives first, then the join it closes, then the meeting start.
    await postZoom(app.url, zoomDelivery('participant-left', { meetingId, at: at(start, minutes(40)), person: jordan }));
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: at(start, minutes(8)), person: jordan }));
    await postZoom(app.url, zoomDelivery('meeting-started', { meetingId, at: start }));
    await app.evaluator.idle();
    const attendance = await api('GET', `/api/v1/sessions/${sessionId}/attendance`);
    expect(attendance.body.attendance[0]).toMatchObject({ status: 'late', flags: ['late', 'left_early'], minutesPresent: 32 });
  });

  it('finalizes a session that has ended: no-show, short stay, left early', async () => {
    const meetingId = '85000000005';
    const start = minutesAgo(70);
    const { api, sessionId } = await createScenario(app, { meetingId, startsAt: start, minutes: 60, people });
    await postZoom(app.url, zoomDelivery('meeting-started', { meetingId, at: start }));
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: start, person: jordan }));
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: start, person: sam }));
    await postZoom(app.url, zoomDelivery('participant-left', { meetingId, at: at(start, minutes(20)), person: sam }));
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: at(start, minutes(1)), person: riley }));
    await postZoom(app.url, zoomDelivery('meeting-ended', { meetingId, at: at(start, minutes(60)) }));
    await app.evaluator.idle();
    const attendance = await api('GET', `/api/v1/sessions/${sessionId}/attendance`);
    const byName = Object.fromEntries(attendance.body.attendance.map((row: { name: string }) => [row.name, row]));
    expect(attendance.status, JSON.stringify(attendance.body)).toBe(200);
    expect(byName['Jordan Alvarez'], JSON.stringify(attendance.body)).toBeDefined();
    expect(byName['Jordan Alvarez']).toMatchObject({ status: 'present', flags: [], minutesPresent: 60 });
    expect(byName['Sam Lee']).toMatchObject({ status: 'present', flags: ['left_early', 'short_stay'], minutesPresent: 20 });
    expect(byName['Riley Chen']).toMatchObject({ status: 'present', minutesPresent: 59 });
    expect(byName['Alex Kim']).toMatchObject({ status: 'no_show' });
    const stored = await app.database.prisma.attendance.findMany({ where: { sessionId } });
    expect(stored.every((row) => row.final)).toBe(true);
    expect((await app.database.prisma.session.findUnique({ where: { id: sessionId } }))?.finalizedAt).not.toBeNull();
  });

  it('lets alerts of a session that ended long ago expire instead of posting them late', async () => {
    const meetingId = '85000000007';
    const start = minutesAgo(200);
    const { sessionId } = await createScenario(app, { meetingId, startsAt: start, minutes: 60, people: [people[3]!] });
    await postZoom(app.url, zoomDelivery('meeting-started', { meetingId, at: start }));
    await app.evaluator.idle();
    const alert = await waitFor(
      // The session summary expires too, possibly first: look for the no-show itself.
      async () => (await app.database.prisma.alert.findFirst({ where: { sessionId, kind: 'no_show', deliveryState: 'expired' } })) ?? undefined,
      5000,
      'the expired no-show alert',
    );
    expect(alert.externalMessageId).toBeNull();
    expect(recorder.calls.filter((c) => c.message.metadata.sessionId === sessionId)).toEqual([]);
  });
});
