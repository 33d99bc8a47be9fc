import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/http/admin/auth.js';
import { at, createScenario, minutes, minutesAgo } from '../support/scenario.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { readZoomFixture } from '../support/zoom-signing.js';
import { signInOverHttp } from '../support/dashboard-sign-in.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const counts = async () => ({
  facts: await app.database.prisma.presenceEvent.count(),
  deadLetters: await app.database.prisma.deadLetter.count(),
});

const signIn = async (token: string) => (await signInOverHttp(app.url, token)).cookie;

async function otherOrganizationToken(): Promise<string> {
  const token = randomBytes(16).toString('hex');
  const organization = await app.database.prisma.organization.create({ data: { name: 'Another clinic' } });
  await app.database.prisma.apiToken.create({ data: { organizationId: organization.id, tokenHash: hashToken(token), label: 'other' } });
  return token;
}

describe('Zoom strings with control characters', () => {
  it('stores a signed join and leave with NUL in user_name and leave_reason, cleaned, and the attendance is right', async () => {
    const meetingId = '87000000001';
    const start = minutesAgo(20);
    const { api, sessionId, participants } = await createScenario(app, {
      meetingId,
      startsAt: start,
      minutes: 90,
      people: [{ name: 'Jordan Alvarez', identities: [{ platform: 'zoom', externalId: 'REG-NUL', kind: 'registrant_id' }] }],
    });
    const jordan = { user_name: 'Jordan\u0000 Alvarez\u0007', participant_uuid: 'UUID-NUL-1', registrant_id: 'REG-NUL' };
    const send = (fixture: string, offset: number, person: typeof jordan, leaveReason?: string) => postZoom(app.url, zoomDelivery(fixture, { meetingId, at: at(start, offset), person, leaveReason }));

    expect((await send('participant-joined', minutes(1), jordan)).status).toBe(200);
    const left = await send('participant-left', minutes(10), jordan, 'got disconnected from the meeting.\u0000 Reason : Network connection error.');
    expect(left).toMatchObject({ status: 200, body: { status: 'stored' } });
    // A lone UTF-16 surrogate is refused by jsonb just as NUL is.
    expect((await send('participant-joined', minutes(11), { ...jordan, user_name: 'Jordan Alvarez \ud800', participant_uuid: 'UUID-NUL-2' })).status).toBe(200);

    const facts = await app.database.prisma.presenceEvent.findMany({ where: { sessionId }, orderBy: { occurredAt: 'asc' } });
    expect(facts.map((f) => f.kind)).toEqual(['joined', 'left', 'joined']);
    expect((facts[0]!.person as { displayName: string }).displayName).toBe('Jordan Alvarez');
    expect(facts[1]!.leaveReason).toBe('got disconnected from the meeting. Reason : Network connection error.');
    expect(facts[1]!.connectionLost).toBe(true);
    expect((facts[2]!.person as { displayName: string }).displayName).toBe('Jordan Alvarez \ufffd');
    await app.evaluator.idle();
    const attendance = await api('GET', `/api/v1/sessions/${sessionId}/attendance`);
    const row = attendance.body.attendance.find((r: { participantId: string }) => r.participantId === participants['Jordan Alvarez']);
    expect(row).toMatchObject({ status: 'present', flags: ['reconnected', 'connection_lost'] });
  });

  it('caps a display name at 256 characters', async () => {
    const meetingId = '87000000002';
    const long = { user_name: 'A'.repeat(5000), participant_uuid: 'UUID-LONG-1' };
    expect((await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: new Date(), person: long }))).status).toBe(200);
    const fact = await app.database.prisma.presenceEvent.findFirstOrThrow({ where: { meetingId } });
    expect((fact.person as { displayName: string }).displayName).toHaveLength(256);
  });
});

describe('signed Zoom deliveries Rollcall cannot use', () => {
  const badJoin = () => {
    const body = JSON.parse(zoomDelivery('participant-joined', { meetingId: '87000000003', at: new Date(), person: { user_name: 'Sam Dead-Letter', participant_uuid: 'UUID-DL-1' } }));
    body.payload.object.participant.join_time = 'yesterday';
    return JSON.stringify(body);
  };

  it('keeps a payload that fails the schema as a dead letter, answers 200, and shows it to its organization only', async () => {
    const before = await counts();
    const body = badJoin();
    expect(await postZoom(app.url, body)).toMatchObject({ status: 200, body: { status: 'dead_letter' } });
    // Zoom retries when it missed the answer: the same bytes are kept once.
    expect((await postZoom(app.url, body)).status).toBe(200);
    expect(await counts()).toEqual({ facts: before.facts, deadLetters: before.deadLetters + 1 });

    const stored = await app.database.prisma.deadLetter.findFirstOrThrow({ where: { event: 'meeting.participant_joined' } });
    expect(stored).toMatchObject({ platform: 'zoom', organizationId: app.organizationId, bodyBytes: Buffer.byteLength(body) });
    expect(stored.reason).toContain('payload.object.participant.join_time');
    expect(stored.reason).not.toContain('yesterday');
    expect(stored.sealedBody).not.toContain('Sam');

    const listed = await app.api('GET', '/api/v1/dead-letters');
    expect(listed.status).toBe(200);
    const letter = listed.body.deadLetters.find((d: { id: string }) => d.id === stored.id);
    expect(letter).toMatchObject({ platform: 'zoom', event: 'meeting.participant_joined', reason: stored.reason, bodyBytes: stored.bodyBytes });
    expect(new Date(letter.receivedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(listed.body)).not.toContain('Sam Dead-Letter');
    const withBody = await app.api('GET', `/api/v1/dead-letters/${stored.id}?include=body`);
    expect(withBody).toMatchObject({ status: 200, body: { id: stored.id, body } });
    expect(await app.database.prisma.auditLog.count({ where: { action: 'dead_letter.read_body', entityId: stored.id } })).toBe(1);

    const other = await otherOrganizationToken();
    expect((await app.api('GET', '/api/v1/dead-letters', undefined, other)).body).toEqual({ deadLetters: [] });
    expect((await app.api('GET', `/api/v1/dead-letters/${stored.id}?include=body`, undefined, other)).status).toBe(404);

    const page = await (await fetch(`${app.url}/follow-ups`, { headers: { cookie: await signIn(TEST_ADMIN_TOKEN) } })).text();
    const row = new RegExp(`<li class="problem" data-problem-id="${stored.id}">([\\s\\S]*?)</li>`).exec(page)?.[1] ?? '';
    expect(row).toContain('Zoom sent an event Rollcall could not read');
    // The event and the field paths, folded away for whoever runs Rollcall.
    expect(row).toContain('meeting.participant_joined');
    expect(row).toContain('payload.object.participant.join_time');
    expect(row).toContain('check that session');
    expect(row).not.toContain('Sam Dead-Letter');
  });

  it('keeps signed invalid JSON as a dead letter too', async () => {
    const before = await counts();
    const truncated = readZoomFixture('participant-left').rawBody.subarray(0, 120).toString('utf8');
    expect(await postZoom(app.url, truncated)).toMatchObject({ status: 200, body: { status: 'dead_letter' } });
    expect(await counts()).toEqual({ facts: before.facts, deadLetters: before.deadLetters + 1 });
    const stored = await app.database.prisma.deadLetter.findFirstOrThrow({ where: { reason: 'body: not valid JSON' } });
    expect(stored).toMatchObject({ event: null, organizationId: app.organizationId });
    const listed = await app.api('GET', '/api/v1/dead-letters');
    expect(listed.body.deadLetters.map((d: { id: string }) => d.id)).toContain(stored.id);
  });

  it.each([
    ['a wrong secret', { secret: 'not-the-secret' }],
    ['no signature', { headers: { 'x-zm-signature': '' } }],
  ])('refuses an unusable body with %s: 401, nothing stored', async (_label, options) => {
    const before = await counts();
    expect((await postZoom(app.url, badJoin(), options)).status).toBe(401);
    expect((await postZoom(app.url, '{"event":', options)).status).toBe(401);
    expect(await counts()).toEqual(before);
  });
});
