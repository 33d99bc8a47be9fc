import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { hashToken } from '../../src/http/admin/auth.js';
import { createLogger } from '../../src/logger.js';
import { createZoomAccountKey } from '../../src/platforms/zoom/account-key.js';
import { accountIdAad, createZoomInstallations } from '../../src/platforms/zoom/installations.js';
import { createConnectStates } from '../../src/services/installs/connect-state.js';
import { INSTALL_REFUSAL_TEXT } from '../../src/services/installs/place-install.js';
import { fakeZoomEnv, FAKE_ZOOM_CLIENT_ID, FAKE_ZOOM_CLIENT_SECRET, installZoom, startFakeZoom, type FakeZoom } from '../support/fake-zoom.js';
import { createScenario, minutesAgo } from '../support/scenario.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { zoomAppContextHeader } from '../support/zoom-app-context.js';
import { readZoomFixture } from '../support/zoom-signing.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';

let zoom: FakeZoom;
let app: TestApp;
const ACCOUNT_A = 'ACCT-maple-0001';
const ACCOUNT_B = 'ACCT-birch-0002';
const STRANGER = 'ACCT-stranger-0003';
const NEVER_INSTALLED = 'ACCT-never-0004';

beforeAll(async () => {
  zoom = await startFakeZoom();
  app = await startTestApp({ env: fakeZoomEnv(zoom) });
});
afterAll(async () => {
  await app?.stop();
  await zoom?.close();
});

const prisma = () => app.database.prisma;
const accountKey = () => createZoomAccountKey(app.config.encryptionKey);
const connectStates = () => createConnectStates(app.config.encryptionKey);
const installationOf = (accountId: string) => prisma().installation.findUnique({ where: { platform_externalId: { platform: 'zoom', externalId: accountKey()(accountId) } } });

/** Installs as a given Zoom account through the real routes (/zoom/install → the fake's consent → the callback). */
async function installAs(account: { id: string; userId: string; company?: string }, connect?: string) {
  zoom.account = { ...account };
  return installZoom(app.url, zoom, { connect });
}

/** A delivery from a given Zoom account (Zoom's field names, only values changed). */
const fromAccount = (raw: string, accountId: string) => {
  const body = JSON.parse(raw);
  body.payload.account_id = accountId;
  return JSON.stringify(body);
};

/** An admin API token of a clinic, as Settings would make one. */
async function tokenFor(organizationId: string) {
  const token = randomBytes(16).toString('hex');
  await prisma().apiToken.create({ data: { organizationId, tokenHash: hashToken(token), label: 'zoom-clinics test' } });
  return { token, organizationId };
}

let clinicA = '';
let clinicB = '';

describe('a clinic per Zoom account', () => {
  it('founds a clinic for each account that installs, named from the account, with who installed it', async () => {
    const a = await installAs({ id: ACCOUNT_A, userId: 'ZMAPLEADMIN', company: 'Maple Counseling' });
    expect(a.status).toBe(200);
    const b = await installAs({ id: ACCOUNT_B, userId: 'ZBIRCHADMIN' });
    expect(b.status).toBe(200);
    const rowA = (await installationOf(ACCOUNT_A))!;
    const rowB = (await installationOf(ACCOUNT_B))!;
    clinicA = rowA.organizationId;
    clinicB = rowB.organizationId;
    expect(new Set([clinicA, clinicB, app.organizationId]).size).toBe(3);
    expect((await prisma().organization.findUniqueOrThrow({ where: { id: clinicA } })).name).toBe('Maple Counseling');
    // Zoom gave no company: the clinic is named for the platform until its owner renames it.
    expect((await prisma().organization.findUniqueOrThrow({ where: { id: clinicB } })).name).toBe('Zoom account');
    expect(rowA.data).toMatchObject({ installedBy: 'ZMAPLEADMIN', name: 'Maple Counseling' });
    expect(rowB.data).toMatchObject({ installedBy: 'ZBIRCHADMIN' });
    expect(await prisma().auditLog.count({ where: { organizationId: clinicA, action: 'zoom.install', actor: 'zoom:ZMAPLEADMIN' } })).toBe(1);
  });

  it('keeps a reinstalled account in its clinic, and gives each clinic only its own account for chat and reports', async () => {
    const again = await installAs({ id: ACCOUNT_A, userId: 'ZMAPLEADMIN', company: 'Renamed In Zoom' });
    expect(again.status).toBe(200);
    expect((await installationOf(ACCOUNT_A))!.organizationId).toBe(clinicA);
    expect(await prisma().organization.count({ where: { name: 'Renamed In Zoom' } })).toBe(0);
    const installations = createZoomInstallations({
      prisma: prisma(),
      box: createSecretBox(app.config.encryptionKey),
      log: createLogger('silent'),
      oauth: { oauthUrl: zoom.oauthUrl, apiUrl: zoom.apiUrl, clientId: FAKE_ZOOM_CLIENT_ID, clientSecret: FAKE_ZOOM_CLIENT_SECRET },
      accountKey: accountKey(),
    });
    expect(await installations.accountOf(clinicA)).toBe(ACCOUNT_A);
    expect(await installations.accountOf(clinicB)).toBe(ACCOUNT_B);
    // The first organization installed nothing: no stranger's account stands in for it.
    expect(await installations.accountOf(app.organizationId)).toBeNull();
    // A clinic left with a second, newer account by an earlier version keeps its first one.
    const box = createSecretBox(app.config.encryptionKey);
    const laterKey = accountKey()('ACCT-later-0009');
    const later = await prisma().installation.create({
      data: { organizationId: clinicA, platform: 'zoom', externalId: laterKey, encryptedTokens: box.seal('{}', 'zoom:ACCT-later-0009'), encryptedExternalId: box.seal('ACCT-later-0009', accountIdAad(laterKey)), data: {} },
    });
    expect(await installations.accountOf(clinicA)).toBe(ACCOUNT_A);
    await prisma().installation.delete({ where: { id: later.id } });
    // Tokens per account: refreshing one account's never touches the other's.
    expect(await installations.accessToken(ACCOUNT_A)).toMatch(/^zat-/);
    expect(await installations.accessToken(ACCOUNT_B)).toMatch(/^zat-/);
  });

  it("delivers the same meeting id, scheduled in both clinics, to each clinic's own session only; an account that never installed reaches only the first organization", async () => {
    const meetingId = '87200000001';
    const startsAt = minutesAgo(5);
    const person = (name: string) => [{ name, email: 'same.person@example.org' }];
    const inA = await createScenario(app, { meetingId, startsAt, minutes: 60, name: 'Maple group', people: person('Pat Maple'), inOrganizationOf: await tokenFor(clinicA) });
    const inB = await createScenario(app, { meetingId, startsAt, minutes: 60, name: 'Birch group', people: person('Pat Birch'), inOrganizationOf: await tokenFor(clinicB) });
    const inFirst = await createScenario(app, {
      meetingId,
      startsAt,
      minutes: 60,
      name: 'First group',
      people: person('Pat First'),
      inOrganizationOf: { token: TEST_ADMIN_TOKEN, organizationId: app.organizationId },
    });
    const join = (accountId: string, uuid: string, key: string) =>
      fromAccount(zoomDelivery('participant-joined', { meetingId, uuid, at: startsAt, person: { user_name: 'Pat', participant_uuid: key, email: 'same.person@example.org' } }), accountId);
    expect((await postZoom(app.url, join(ACCOUNT_A, 'UUID-A==', 'P-A'))).status).toBe(200);
    expect((await postZoom(app.url, join(ACCOUNT_B, 'UUID-B==', 'P-B'))).status).toBe(200);
    expect((await postZoom(app.url, join(NEVER_INSTALLED, 'UUID-X==', 'P-X'))).status).toBe(200);

    const facts = await prisma().presenceEvent.findMany({ where: { meetingId }, select: { personKey: true, sessionId: true, organizationId: true } });
    const byKey = Object.fromEntries(facts.map((f) => [f.personKey, f]));
    expect(byKey['P-A']).toMatchObject({ sessionId: inA.sessionId, organizationId: clinicA });
    expect(byKey['P-B']).toMatchObject({ sessionId: inB.sessionId, organizationId: clinicB });
    expect(byKey['P-X']).toMatchObject({ sessionId: inFirst.sessionId, organizationId: app.organizationId });

    // Each clinic's record shows its own participant present, from its own account's delivery only.
    for (const [scenario, name] of [
      [inA, 'Pat Maple'],
      [inB, 'Pat Birch'],
      [inFirst, 'Pat First'],
    ] as const) {
      await waitFor(
        async () => (await prisma().attendance.findFirst({ where: { sessionId: scenario.sessionId, participantId: scenario.participants[name], firstJoinAt: { not: null } } })) ?? undefined,
        10_000,
        `${name} present`,
      );
      expect(await prisma().presenceEvent.count({ where: { sessionId: scenario.sessionId } })).toBe(1);
    }
  });
});

describe("each clinic's alerts go out through its own Zoom account", () => {
  it("posts a clinic's alert to its own channel with its own account id, never the other clinic's", async () => {
    const meetingId = '87200000002';
    const startsAt = minutesAgo(20);
    const channels: Record<string, string> = { [ACCOUNT_A]: 'maple-staff@conference.xmpp.zoom.us', [ACCOUNT_B]: 'birch-staff@conference.xmpp.zoom.us' };
    for (const [account, clinic] of [
      [ACCOUNT_A, clinicA],
      [ACCOUNT_B, clinicB],
    ] as const) {
      await createScenario(app, {
        meetingId,
        startsAt,
        minutes: 60,
        people: [{ name: `Absent ${account}`, identities: [{ platform: 'zoom', externalId: `zoom-absent-${account}` }] }],
        inOrganizationOf: await tokenFor(clinic),
        alertChannel: { platform: 'zoom', channelId: channels[account]! },
      });
      expect((await postZoom(app.url, fromAccount(zoomDelivery('meeting-started', { meetingId, uuid: `STARTED-${account}==`, at: startsAt }), account))).status).toBe(200);
    }
    for (const account of [ACCOUNT_A, ACCOUNT_B]) {
      const alert = await waitFor(() => zoom.messages.find((m) => m.to_jid === channels[account]), 15_000, `the alert of ${account}`);
      expect(alert.account_id).toBe(account);
    }
    expect(zoom.messages.filter((m) => m.to_jid === channels[ACCOUNT_A]).every((m) => m.account_id === ACCOUNT_A)).toBe(true);
    expect(zoom.messages.filter((m) => m.to_jid === channels[ACCOUNT_B]).every((m) => m.account_id === ACCOUNT_B)).toBe(true);

    // A button of clinic A's alert pressed from account B (by someone even on A's staff list) changes nothing in A.
    const alertA = zoom.messages.find((m) => m.to_jid === channels[ACCOUNT_A])!;
    const excuse = (alertA.content.body as any[]).flatMap((b) => (b.type === 'actions' ? b.items : [])).find((i: any) => JSON.parse(i.value).action === 'excuse');
    const { alertId, sessionId } = JSON.parse(excuse.value);
    const program = await prisma().session.findUniqueOrThrow({ where: { id: sessionId }, select: { programId: true } });
    await prisma().program.update({ where: { id: program.programId }, data: { staffUserIds: ['ZCROSSSTAFF'] } });
    const click = JSON.parse(JSON.stringify(readZoomFixture('interactive-message-actions').json));
    Object.assign(click.payload, {
      accountId: ACCOUNT_B,
      userId: 'ZCROSSSTAFF',
      userJid: 'zcrossstaff@xmpp.zoom.us',
      userName: 'Cross',
      messageId: alertA.message_id,
      toJid: channels[ACCOUNT_A],
      actionItem: { text: 'Excuse', value: excuse.value },
      timestamp: Date.now(),
    });
    click.event_ts = Date.now();
    expect((await postZoom(app.url, JSON.stringify(click))).status).toBe(200);
    const refusal = await waitFor(() => zoom.messages.find((m) => m.visible_to_user === 'ZCROSSSTAFF'), 5000, 'the refusal');
    expect(JSON.stringify(refusal.content)).toContain('no longer exists');
    expect(refusal.account_id).toBe(ACCOUNT_B);
    expect(await prisma().auditLog.count({ where: { actor: 'zoom:ZCROSSSTAFF' } })).toBe(0);
    expect(await prisma().alert.findUniqueOrThrow({ where: { id: alertId } })).toMatchObject({ organizationId: clinicA });
  });
});

describe('connecting a Zoom account to an existing clinic', () => {
  it('joins the clinic a Connect state names, once; never moves an installed account; refuses a broken link', async () => {
    const clinicC = (await prisma().organization.create({ data: { name: 'Cedar Clinic' } })).id;
    const invite = (organizationId: string) => connectStates().sign({ organizationId, platform: 'zoom' }, Date.now());

    // A forged or expired link stops at the start: nothing is installed, no clinic founded.
    const organizations = await prisma().organization.count();
    const forged = await installAs({ id: STRANGER, userId: 'ZSTRANGER' }, `${invite(clinicC).split('.')[0]}.AAAA`);
    expect(forged.status).toBe(400);
    const expired = connectStates().sign({ organizationId: clinicC, platform: 'zoom' }, Date.now() - 11 * 60_000);
    expect((await installAs({ id: STRANGER, userId: 'ZSTRANGER' }, expired)).status).toBe(400);
    // A Slack invitation does not open the Zoom door.
    expect((await installAs({ id: STRANGER, userId: 'ZSTRANGER' }, connectStates().sign({ organizationId: clinicC, platform: 'slack' }, Date.now()))).status).toBe(400);
    expect(await installationOf(STRANGER)).toBeNull();
    expect(await prisma().organization.count()).toBe(organizations);

    // Clinic A already has its Zoom account: a third account invited into it is refused.
    const taken = await installAs({ id: STRANGER, userId: 'ZSTRANGER', company: 'Stranger Inc' }, invite(clinicA));
    expect(taken.status).toBe(409);
    expect(taken.text).toContain(INSTALL_REFUSAL_TEXT.platform_taken.slice(0, 30));
    expect(await installationOf(STRANGER)).toBeNull();
    expect(await prisma().organization.count({ where: { name: 'Stranger Inc' } })).toBe(0);

    // An account installed in clinic B stays there, even invited into clinic C.
    const moved = await installAs({ id: ACCOUNT_B, userId: 'ZBIRCHADMIN' }, invite(clinicC));
    expect(moved.status).toBe(409);
    expect((await installationOf(ACCOUNT_B))!.organizationId).toBe(clinicB);

    // Clinic C has no Zoom yet: the invited account joins it.
    const joined = await installAs({ id: STRANGER, userId: 'ZSTRANGER', company: 'Stranger Inc' }, invite(clinicC));
    expect(joined.status).toBe(200);
    expect((await installationOf(STRANGER))!.organizationId).toBe(clinicC);
    expect(await prisma().organization.count({ where: { name: 'Stranger Inc' } })).toBe(0);
    expect(await prisma().auditLog.count({ where: { organizationId: clinicC, action: 'zoom.install' } })).toBe(1);
  });
});

describe("the in-meeting panel shows only the clinic of the panel's account", () => {
  it('finds the session of the meeting in the clinic the account installed into, and refuses a meeting found in two clinics without one', async () => {
    const STAFF = 'ZSTAFF-SHARED';
    const uuid = 'PANEL-SHARED-UUID==';
    // Two clinics' sessions carry the same meeting instance (as a stored record could): the account decides.
    const sessions = await prisma().session.findMany({ where: { meetingId: '87200000001', organizationId: { in: [clinicA, clinicB] } }, include: { program: true } });
    expect(sessions).toHaveLength(2);
    for (const s of sessions) {
      await prisma().program.update({ where: { id: s.programId }, data: { staffUserIds: [STAFF] } });
      await prisma().session.update({ where: { id: s.id }, data: { meetingInstanceId: uuid } });
    }
    const open = (query: string) =>
      fetch(`${app.url}/zoom/panel${query}`, {
        headers: { 'x-zoom-app-context': zoomAppContextHeader({ typ: 'meeting', uid: STAFF, mid: uuid, ts: Date.now() }, FAKE_ZOOM_CLIENT_SECRET) },
      }).then((r) => r.text());
    const asA = await open(`?accountId=${ACCOUNT_A}`);
    expect(asA).toContain('Maple group');
    expect(asA).not.toContain('Birch group');
    const asB = await open(`?accountId=${ACCOUNT_B}`);
    expect(asB).toContain('Birch group');
    expect(asB).not.toContain('Maple group');
    const unknown = await open('');
    expect(unknown).not.toContain('Maple group');
    expect(unknown).not.toContain('Birch group');
    expect(unknown).toContain('facilitators');
  });
});
