import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createLogger } from '../../src/logger.js';
import { hashToken } from '../../src/http/admin/auth.js';
import { createZoomInstallations } from '../../src/platforms/zoom/installations.js';
import { createZoomAccountKey } from '../../src/platforms/zoom/account-key.js';
import { createZoomPastParticipantsSource } from '../../src/platforms/zoom/past-participants.js';
import { reconcileSession } from '../../src/services/reconciliation.js';
import { fakeZoomEnv, FAKE_ZOOM_CLIENT_ID, FAKE_ZOOM_CLIENT_SECRET, installZoom, startFakeZoom, type FakeZoom } from '../support/fake-zoom.js';
import { createScenario, minutesAgo } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitFor } from '../support/wait-for.js';
import { readZoomFixture } from '../support/zoom-signing.js';

let zoom: FakeZoom;
let app: TestApp;
const ACCOUNT = 'ACCT-install-1';
const log = createLogger('silent');
/** The clinic the account founded when it installed. */
let clinic = '';
/** Admin API access to that clinic, as its Settings would issue. */
async function clinicScope() {
  const token = randomBytes(16).toString('hex');
  await app.database.prisma.apiToken.create({ data: { organizationId: clinic, tokenHash: hashToken(token), label: 'zoom-install test' } });
  return { token, organizationId: clinic };
}

beforeAll(async () => {
  zoom = await startFakeZoom();
  zoom.account.id = ACCOUNT;
  app = await startTestApp({ env: fakeZoomEnv(zoom) });
});
afterAll(async () => {
  await app?.stop();
  await zoom?.close();
});

const installations = () =>
  createZoomInstallations({
    prisma: app.database.prisma,
    box: createSecretBox(app.config.encryptionKey),
    log,
    oauth: { oauthUrl: zoom.oauthUrl, apiUrl: zoom.apiUrl, clientId: FAKE_ZOOM_CLIENT_ID, clientSecret: FAKE_ZOOM_CLIENT_SECRET },
    accountKey: accountKey(),
  });
/** What the database holds in place of a Zoom account id. */
const accountKey = () => createZoomAccountKey(app.config.encryptionKey);

/** A delivery from a given Zoom account (Zoom's field names, only values changed). */
const fromAccount = (raw: string, accountId: string) => {
  const body = JSON.parse(raw);
  body.payload.account_id = accountId;
  return JSON.stringify(body);
};

describe('installing Rollcall from the Zoom Marketplace', () => {
  it('refuses a callback whose state is not bound to this browser, or forged', async () => {
    const start = await fetch(`${app.url}/zoom/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${zoom.oauthUrl}/oauth/authorize`);
    expect(location.searchParams.get('client_id')).toBe(FAKE_ZOOM_CLIENT_ID);
    expect(location.searchParams.get('redirect_uri')).toBe(`${app.config.publicUrl}/zoom/oauth/callback`);
    const state = location.searchParams.get('state')!;
    expect(start.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const noCookie = await fetch(`${app.url}/zoom/oauth/callback?code=${zoom.issueCode()}&state=${encodeURIComponent(state)}`);
    expect(noCookie.status).toBe(400);
    const forged = await fetch(`${app.url}/zoom/oauth/callback?code=${zoom.issueCode()}&state=${encodeURIComponent(`${state.split('.')[0]}.AAAA`)}`, {
      headers: { cookie: (start.headers.get('set-cookie') ?? '').split(';')[0]! },
    });
    expect(forged.status).toBe(400);
    expect(await app.database.prisma.installation.count({ where: { platform: 'zoom' } })).toBe(0);
  });

  it('exchanges the code, stores the account linked to the clinic with tokens sealed, and refreshes them once across concurrent callers', async () => {
    zoom.accessTokenSeconds = 60; // inside the refresh margin: the next use refreshes
    const installed = await installZoom(app.url, zoom);
    expect(installed.status).toBe(200);
    const exchange = zoom.calls.find((c) => c.path === '/oauth/token' && c.body.grant_type === 'authorization_code')!;
    expect(exchange.authorization).toBe(`Basic ${Buffer.from(`${FAKE_ZOOM_CLIENT_ID}:${FAKE_ZOOM_CLIENT_SECRET}`).toString('base64')}`);
    expect(exchange.body.redirect_uri).toBe(`${app.config.publicUrl}/zoom/oauth/callback`);
    const row = await app.database.prisma.installation.findUniqueOrThrow({ where: { platform_externalId: { platform: 'zoom', externalId: accountKey()(ACCOUNT) } } });
    // A new account founds its own clinic (Zoom gave no company name), never the deployment's first one.
    clinic = row.organizationId;
    expect(clinic).not.toBe(app.organizationId);
    expect((await app.database.prisma.organization.findUniqueOrThrow({ where: { id: clinic } })).name).toBe('Zoom account');
    expect(row.data).toMatchObject({ installedBy: zoom.account.userId });
    const firstRefresh = zoom.currentRefreshToken()!;
    expect(row.encryptedTokens).not.toContain('zat-');
    expect(row.encryptedTokens).not.toContain(firstRefresh);
    expect(await app.database.prisma.auditLog.count({ where: { action: 'zoom.install', entityId: accountKey()(ACCOUNT), actor: `zoom:${zoom.account.userId}` } })).toBe(1);

    // Two instances want a token at once: one refresh (Zoom would reject the second use of the old refresh token).
    zoom.accessTokenSeconds = 3600;
    const [a, b] = await Promise.all([installations().accessToken(ACCOUNT), installations().accessToken(ACCOUNT)]);
    expect(a).toBe(b);
    const refreshes = zoom.calls.filter((c) => c.path === '/oauth/token' && c.body.grant_type === 'refresh_token');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.body.refresh_token).toBe(firstRefresh);
    expect(zoom.currentRefreshToken()).not.toBe(firstRefresh);
    const after = await app.database.prisma.installation.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.encryptedTokens).not.toBe(row.encryptedTokens);
    expect(after.encryptedTokens).not.toContain(zoom.currentRefreshToken()!);
    // Fresh now: used as is.
    expect(await installations().accessToken(ACCOUNT)).toBe(a);
    expect(zoom.calls.filter((c) => c.path === '/oauth/token' && c.body.grant_type === 'refresh_token')).toHaveLength(1);
  });

  it("matches an installed account's events only to its own clinic's sessions", async () => {
    const meetingId = '87100000001';
    const startsAt = minutesAgo(10);
    const other = await createScenario(app, { meetingId, startsAt, minutes: 60, people: [{ name: 'Other Person', email: 'other@example.org' }] });
    const ours = await createScenario(app, {
      meetingId,
      startsAt,
      minutes: 60,
      name: 'Ours 87100000001',
      people: [{ name: 'Our Person', email: 'ours@example.org' }],
      inOrganizationOf: await clinicScope(),
    });
    const join = zoomDelivery('participant-joined', { meetingId, at: startsAt, person: { user_name: 'Our Person', participant_uuid: 'P-OURS', email: 'ours@example.org' } });
    expect((await postZoom(app.url, fromAccount(join, ACCOUNT))).status).toBe(200);
    const stored = await app.database.prisma.presenceEvent.findFirstOrThrow({ where: { meetingId, personKey: 'P-OURS' } });
    expect(stored.sessionId).toBe(ours.sessionId);
    expect(await app.database.prisma.presenceEvent.count({ where: { sessionId: other.sessionId } })).toBe(0);
  });
});

describe('reconciliation from Zoom past participants', () => {
  it('pages through the report of the meeting instance (double-encoding its UUID) and merges what the webhooks missed', async () => {
    const meetingId = '87100000002';
    const startsAt = minutesAgo(70);
    const at = (m: number) => new Date(startsAt.getTime() + m * 60_000);
    const uuid = '/ab//cd+ef==';
    const { sessionId, participants } = await createScenario(app, {
      meetingId,
      startsAt,
      minutes: 60,
      people: [
        { name: 'Alex Kim', email: 'alex@example.org' },
        { name: 'Sam Lee', email: 'sam@example.org', identities: [{ platform: 'zoom', externalId: 'reg-sam', kind: 'registrant_id' }] },
        { name: 'Kai Park', email: 'kai@example.org' },
      ],
      inOrganizationOf: await clinicScope(),
    });
    const alex = { user_name: 'Alex Kim', participant_uuid: 'P-ALEX-R', email: 'alex@example.org' };
    await postZoom(app.url, fromAccount(zoomDelivery('participant-joined', { meetingId, uuid, at: at(0), person: alex }), ACCOUNT));
    await postZoom(app.url, fromAccount(zoomDelivery('participant-left', { meetingId, uuid, at: at(60), person: alex }), ACCOUNT));
    // Over when created: final at once; wait until the live events are in the record.
    await waitFor(async () => {
      const rows = await app.database.prisma.attendance.findMany({ where: { sessionId, final: true } });
      return rows.length === 3 && rows.some((r) => r.participantId === participants['Alex Kim'] && r.status === 'present');
    }, 10_000, 'the live record');
    await app.evaluator.idle();
    const zoomTime = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
    zoom.setPastParticipants(uuid, [
      { id: '', user_id: '16778240', name: 'Alex Kim', user_email: 'alex@example.org', join_time: zoomTime(at(0)), leave_time: zoomTime(at(60)), duration: 3600, registrant_id: '' },
      { id: '', user_id: '16778241', name: 'S. Lee', user_email: '', join_time: zoomTime(at(3)), leave_time: zoomTime(at(60)), duration: 3420, registrant_id: 'reg-sam' },
      { id: '', user_id: '16778242', name: 'Someone Else', user_email: '', join_time: zoomTime(at(1)), leave_time: zoomTime(at(5)), duration: 240 },
    ]);
    const session = await app.database.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.meetingInstanceId).toBe(uuid);
    const inst = installations();
    const source = createZoomPastParticipantsSource({ apiUrl: zoom.apiUrl, log, accountOf: inst.accountOf, accessToken: inst.accessToken });
    const before = zoom.calls.length;
    const report = await source.fetch({ ...session });
    expect(report.status).toBe('ready');
    // The app's own reconciliation job may read the same report meanwhile: look for this fetch's two pages.
    const pages = zoom.calls.slice(before).filter((c) => c.path.startsWith('/past_meetings/'));
    expect(pages.some((c) => c.rawUrl.includes(`/past_meetings/${encodeURIComponent(encodeURIComponent(uuid))}/participants`) && !c.rawUrl.includes('next_page_token'))).toBe(true);
    expect(pages.some((c) => c.rawUrl.includes('next_page_token=2'))).toBe(true);
    if (report.status !== 'ready') return;
    expect(report.stays).toHaveLength(3);
    expect(report.stays[1]).toMatchObject({ personKey: '16778241', person: { displayName: 'S. Lee', registrantId: 'reg-sam' } });

    const result = await reconcileSession({ prisma: app.database.prisma, clock: systemClock, log, evaluator: app.evaluator }, source, session, report.stays);
    const sam = result.changes.find((c) => c.participantId === participants['Sam Lee']);
    expect(sam).toMatchObject({ before: { status: 'no_show' }, after: { status: 'present' } });
    expect(result.changes.find((c) => c.participantId === participants['Kai Park'])).toBeUndefined();
  });

  it('is not ready while Zoom has no report yet, and unavailable for a clinic that never installed', async () => {
    const inst = installations();
    const source = createZoomPastParticipantsSource({ apiUrl: zoom.apiUrl, log, accountOf: inst.accountOf, accessToken: inst.accessToken });
    const base = { id: '00000000-0000-4000-8000-000000000000', meetingId: '87100000003', meetingInstanceId: 'not-yet==', startsAt: new Date(), endsAt: new Date() };
    expect(await source.fetch({ ...base, organizationId: clinic })).toEqual({ status: 'not_ready' });
    const elsewhere = await app.database.prisma.organization.create({ data: { name: 'No Zoom clinic' } });
    expect(await source.fetch({ ...base, organizationId: elsewhere.id })).toMatchObject({ status: 'unavailable' });
  });
});

describe('app_deauthorized', () => {
  it("deletes the account's tokens and its users' Zoom data at once, keeps the clinic's attendance record, and audits it", async () => {
    const prisma = app.database.prisma;
    const before = { attendance: await prisma.attendance.count({ where: { organizationId: clinic } }) };
    expect(before.attendance).toBeGreaterThan(0);
    // A Zoom identity learned by linking, a Zoom recording, and an alert still waiting for Team Chat.
    const participant = await prisma.participant.findFirstOrThrow({ where: { organizationId: clinic } });
    await prisma.identity.create({ data: { organizationId: clinic, participantId: participant.id, platform: 'zoom', kind: 'user_id', value: 'learned-zoom-user' } });
    const program = await prisma.program.findFirstOrThrow({ where: { organizationId: clinic } });
    await prisma.material.create({ data: { organizationId: clinic, programId: program.id, kind: 'recording', title: 'r', url: 'https://example.zoom.us/rec/share/x', externalKey: 'zoom-recording:deauth==', createdBy: 'zoom:recording.completed' } });
    const pending = await prisma.alert.create({
      data: { organizationId: clinic, programId: program.id, subjectKey: participant.id, participantId: participant.id, topic: 'deauth-test', kind: 'crisis', platform: 'zoom', channelId: 'staff@conference.xmpp.zoom.us', dedupeKey: 'deauth-test' },
    });
    await app.boss.send('alert.deliver', { alertId: pending.id }, { singletonKey: pending.id, startAfter: 3600 });
    // A participant message waiting for Zoom chat, and one already sent there.
    const waiting = await prisma.participantOutboxMessage.create({
      data: { organizationId: clinic, participantId: participant.id, dedupeKey: 'deauth-waiting', purpose: 'reminder', platform: 'zoom', platformUserId: 'zoom-user-1', message: { text: 'x', choices: [] } },
    });
    await app.boss.send('participant.deliver', { id: waiting.id }, { singletonKey: waiting.id, startAfter: 3600 });
    const sent = await prisma.participantOutboxMessage.create({
      data: { organizationId: clinic, participantId: participant.id, dedupeKey: 'deauth-sent', purpose: 'intake', platform: 'zoom', platformUserId: 'zoom-user-1', state: 'sent', message: { text: 'y', choices: [] } },
    });

    const body = structuredClone(readZoomFixture('app-deauthorized').json) as Record<string, any>;
    body.payload.account_id = ACCOUNT;
    body.event_ts = Date.now();
    expect((await postZoom(app.url, JSON.stringify(body))).status).toBe(200);

    expect(await prisma.installation.count({ where: { platform: 'zoom', externalId: accountKey()(ACCOUNT) } })).toBe(0);
    const facts = await prisma.presenceEvent.findMany({ where: { accountId: accountKey()(ACCOUNT) } });
    expect(facts.length).toBeGreaterThan(0);
    expect(facts.every((f) => f.person === null)).toBe(true);
    expect(await prisma.identity.count({ where: { organizationId: clinic, platform: 'zoom', kind: 'user_id' } })).toBe(0);
    expect(await prisma.material.count({ where: { organizationId: clinic, externalKey: { startsWith: 'zoom-recording:' } } })).toBe(0);
    expect(await prisma.alert.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ deliveryState: 'failed', lastDeliveryError: 'zoom app deauthorized' });
    const jobs = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'alert.deliver' AND data->>'alertId' = ${pending.id}`;
    expect(Number(jobs[0]!.n)).toBe(0);
    expect(await prisma.participantOutboxMessage.count({ where: { id: waiting.id } })).toBe(0);
    const messageJobs = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'participant.deliver' AND data->>'id' = ${waiting.id}`;
    expect(Number(messageJobs[0]!.n)).toBe(0);
    expect((await prisma.participantOutboxMessage.findUniqueOrThrow({ where: { id: sent.id } })).platformUserId).toBeNull();
    expect(await prisma.attendance.count({ where: { organizationId: clinic } })).toBe(before.attendance);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'zoom.deauthorize', entityId: accountKey()(ACCOUNT) } });
    expect(audit.actor).toBe('zoom:deauthorization');
    // No token any more: reconciliation has nothing to ask with.
    const inst = installations();
    expect(await inst.accessToken(ACCOUNT)).toBeNull();
    // Zoom is told the data is gone (the user did not ask to retain it).
    const notice = await waitFor(() => zoom.calls.find((c) => c.path === '/oauth/data/compliance'), 3000, 'the compliance notice');
    expect(notice.body).toMatchObject({ account_id: ACCOUNT, client_id: FAKE_ZOOM_CLIENT_ID, compliance_completed: true, deauthorization_event_received: { account_id: ACCOUNT } });
    // A retried delivery is answered 200 and deletes nothing more.
    expect((await postZoom(app.url, JSON.stringify(body))).status).toBe(200);
  });
});
