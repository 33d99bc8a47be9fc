import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZoomAccountKey } from '../../src/platforms/zoom/account-key.js';
import { seedClinic, type Seed } from '../support/dashboard-seed.js';
import { FAKE_MICROSOFT_CLIENT_ID, FAKE_MICROSOFT_CLIENT_SECRET, startFakeMicrosoftLogin, type FakeMicrosoftLogin } from '../support/fake-microsoft-login.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { FAKE_ZOOM_CLIENT_ID, FAKE_ZOOM_CLIENT_SECRET, startFakeZoom, type FakeZoom } from '../support/fake-zoom.js';
import { finishProviderSignIn, signInWithMicrosoft, signInWithSlack, signInWithZoom, startProviderSignIn } from '../support/provider-sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let slack: FakeSlack;
let zoom: FakeZoom;
let microsoft: FakeMicrosoftLogin;
let maple: Seed;
let birch: Seed;

const form = (cookie: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  return { method: 'POST', redirect: 'manual' as const, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body };
};
const page = async (path: string, cookie: string) => {
  const response = await fetch(`${app.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: response.status, text: await response.text() };
};

beforeAll(async () => {
  [slack, zoom, microsoft] = await Promise.all([startFakeSlack(), startFakeZoom(), startFakeMicrosoftLogin()]);
  app = await startTestApp({
    platforms: [],
    env: {
      SLACK_CLIENT_ID: 'slack-client',
      SLACK_CLIENT_SECRET: 'slack-secret',
      SLACK_STATE_SECRET: 'slack-state-secret',
      SLACK_API_URL: slack.url,
      SLACK_OAUTH_URL: 'https://slack.example.test',
      ZOOM_CLIENT_ID: FAKE_ZOOM_CLIENT_ID,
      ZOOM_CLIENT_SECRET: FAKE_ZOOM_CLIENT_SECRET,
      ZOOM_OAUTH_URL: zoom.oauthUrl,
      ZOOM_API_URL: zoom.apiUrl,
      MICROSOFT_CLIENT_ID: FAKE_MICROSOFT_CLIENT_ID,
      MICROSOFT_CLIENT_SECRET: FAKE_MICROSOFT_CLIENT_SECRET,
      MICROSOFT_LOGIN_URL: microsoft.url,
    },
  });
  const prisma = app.database.prisma;
  maple = await seedClinic(prisma, new Date(), { name: 'Maple Clinic' });
  birch = await seedClinic(prisma, new Date(), { name: 'Birch Clinic' });
  const accountKey = createZoomAccountKey(app.config.encryptionKey);
  // The installs themselves are other routes' work (tests of their own); these rows are what they leave.
  for (const [seed, suffix] of [[maple, 'A'], [birch, 'B']] as const) {
    await prisma.installation.createMany({
      data: [
        { organizationId: seed.organizationId, platform: 'slack', externalId: `T0${suffix}`, data: { installedBy: `U0OWNER${suffix}`, name: `${suffix} workspace` } },
        { organizationId: seed.organizationId, platform: 'teams', externalId: `tenant-${suffix}`, data: { installedBy: `oid-owner-${suffix}`, name: `${suffix} tenant` } },
        { organizationId: seed.organizationId, platform: 'zoom', externalId: accountKey(`ZACCT-${suffix}`), data: { installedBy: `ZOWNER${suffix}`, name: `${suffix} account` } },
      ],
    });
  }
});
afterAll(async () => {
  await app?.stop();
  await Promise.all([slack?.close(), zoom?.close(), microsoft?.close()]);
});

describe('Sign in with Slack', () => {
  it('makes the installer the owner, keeps a colleague pending until approved, and names the person in the audit log', async () => {
    const owner = await signInWithSlack(app.url, slack, { userId: 'U0OWNERA', teamId: 'T0A', name: 'Olive Owner', email: 'olive@maple.example' });
    expect(owner.status).toBe(303);
    expect(owner.cookie).not.toBeNull();
    expect(owner.text).toContain('Maple Clinic');
    expect(owner.text).toContain('Olive Owner');
    expect(slack.calls.filter((c) => c.method.startsWith('openid.connect.')).map((c) => c.method)).toEqual(['openid.connect.token', 'openid.connect.userInfo']);
    const prisma = app.database.prisma;
    const olive = await prisma.staffAccount.findFirstOrThrow({ where: { slackUserId: 'U0OWNERA' } });
    expect(olive).toMatchObject({ organizationId: maple.organizationId, role: 'owner', status: 'active' });

    const colleague = await signInWithSlack(app.url, slack, { userId: 'U0PAT', teamId: 'T0A', name: 'Pat Pending' });
    expect(colleague.status).toBe(403);
    expect(colleague.cookie).toBeNull();
    expect(colleague.text).toContain('waiting for approval by Maple Clinic’s owner');
    const pat = await prisma.staffAccount.findFirstOrThrow({ where: { slackUserId: 'U0PAT' } });
    expect(pat).toMatchObject({ organizationId: maple.organizationId, status: 'pending' });

    // The owner sees Pat waiting and approves Pat as a facilitator of the clinic's program.
    const staffPage = await page('/settings/staff', owner.cookie!);
    expect(staffPage.text).toContain('Pat Pending');
    const approve = await fetch(`${app.url}/settings/staff/${pat.id}`, form(owner.cookie!, { _csrf: owner.csrf, action: 'approve', role: 'facilitator' }));
    expect(approve.status).toBe(303);
    const assign = await fetch(`${app.url}/settings/staff/${pat.id}`, form(owner.cookie!, { _csrf: owner.csrf, action: 'assign', programId: [maple.programId, birch.programId] }));
    expect(assign.status).toBe(303);
    // Another clinic's program cannot be assigned.
    expect(await prisma.programAssignment.findMany({ where: { staffAccountId: pat.id } })).toEqual([expect.objectContaining({ programId: maple.programId })]);

    const again = await signInWithSlack(app.url, slack, { userId: 'U0PAT', teamId: 'T0A', name: 'Pat Pending' });
    expect(again.status).toBe(303);
    expect(again.text).toContain('Pat Pending');
    const audit = await prisma.auditLog.findMany({ where: { organizationId: maple.organizationId, entityType: 'StaffAccount', entityId: pat.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['staff.requested_access', `staff:${pat.id}`],
      ['staff.approve', `staff:${olive.id}`],
      ['staff.assign', `staff:${olive.id}`],
    ]);
    const signIn = await prisma.auditLog.findFirst({ where: { organizationId: maple.organizationId, action: 'dashboard.sign_in', actor: `staff:${pat.id}` } });
    expect(signIn).not.toBeNull();
  });

  it('tells someone whose workspace never installed Rollcall, and signs no one in', async () => {
    const stranger = await signInWithSlack(app.url, slack, { userId: 'U0X', teamId: 'T0NOWHERE', name: 'Stranger' });
    expect(stranger.status).toBe(403);
    expect(stranger.cookie).toBeNull();
    expect(stranger.text).toContain('Rollcall isn’t installed in your Slack workspace');
    expect(await app.database.prisma.staffAccount.count({ where: { slackUserId: 'U0X' } })).toBe(0);
  });

  it('finds an Enterprise Grid org-wide install by the enterprise id when the team has none of its own', async () => {
    await app.database.prisma.installation.create({ data: { organizationId: birch.organizationId, platform: 'slack', externalId: 'E0GRID', data: { installedBy: 'U0SOMEONE' } } });
    const member = await signInWithSlack(app.url, slack, { userId: 'U0GRID', teamId: 'T0GRIDTEAM', enterpriseId: 'E0GRID', name: 'Gil Grid' });
    expect(member.text).toContain('waiting for approval by Birch Clinic’s owner');
    // A team with an install of its own is that install's clinic.
    const own = await signInWithSlack(app.url, slack, { userId: 'U0GRID2', teamId: 'T0A', enterpriseId: 'E0GRID', name: 'Gil Two' });
    expect(own.text).toContain('waiting for approval by Maple Clinic’s owner');
  });

  it('refuses a callback without the browser’s state cookie, with a forged state, or from another provider', async () => {
    const started = await startProviderSignIn(app.url, 'slack');
    const code = slack.issueOpenIdCode({ userId: 'U0OWNERA', teamId: 'T0A', name: 'Olive Owner', nonce: started.nonce });
    expect((await finishProviderSignIn(app.url, 'slack', { ...started, stateCookie: 'rollcall_auth=other' }, code)).status).toBe(400);
    expect((await finishProviderSignIn(app.url, 'slack', { ...started, state: `${started.state}x` }, code)).status).toBe(400);
    expect((await finishProviderSignIn(app.url, 'zoom', started, code)).status).toBe(400);
    // A code minted for another sign-in (another nonce) is refused too.
    const wrongNonce = slack.issueOpenIdCode({ userId: 'U0OWNERA', teamId: 'T0A', name: 'Olive Owner', nonce: 'someone-elses' });
    expect((await finishProviderSignIn(app.url, 'slack', await startProviderSignIn(app.url, 'slack'), wrongNonce)).status).toBe(502);
  });
});

describe('Sign in with Microsoft', () => {
  it('verifies the id token against the issuer’s keys, with PKCE, and finds the clinic by the tenant', async () => {
    const owner = await signInWithMicrosoft(app.url, microsoft, { tid: 'tenant-B', oid: 'oid-owner-B', name: 'Bea Birch', email: 'bea@birch.example' });
    expect(owner.status).toBe(303);
    expect(owner.text).toContain('Birch Clinic');
    expect(microsoft.tokenRequests.at(-1)).toMatchObject({ grant_type: 'authorization_code', code_verifier: expect.any(String) });
    expect(await app.database.prisma.staffAccount.findFirstOrThrow({ where: { microsoftUserId: 'oid-owner-B' } })).toMatchObject({ organizationId: birch.organizationId, role: 'owner', status: 'active' });

    const colleague = await signInWithMicrosoft(app.url, microsoft, { tid: 'tenant-B', oid: 'oid-colleague', name: 'Cal Colleague' });
    expect(colleague.status).toBe(403);
    expect(colleague.text).toContain('waiting for approval by Birch Clinic’s owner');
  });

  it('refuses an id token signed with a key the issuer does not publish, or from another issuer', async () => {
    const forged = await signInWithMicrosoft(app.url, microsoft, { tid: 'tenant-A', oid: 'oid-owner-A', name: 'Mallory' }, { foreignKey: true });
    expect(forged.status).toBe(502);
    const otherIssuer = await signInWithMicrosoft(app.url, microsoft, { tid: 'tenant-A', oid: 'oid-owner-A', name: 'Mallory' }, { issuer: 'https://evil.example/tenant-A/v2.0' });
    expect(otherIssuer.status).toBe(502);
    expect(await app.database.prisma.staffAccount.count({ where: { microsoftUserId: 'oid-owner-A' } })).toBe(0);
  });
});

describe('Sign in with Zoom', () => {
  it('finds the clinic by the account’s keyed hash and makes the installer the owner', async () => {
    const owner = await signInWithZoom(app.url, zoom, { accountId: 'ZACCT-A', userId: 'ZOWNERA' });
    // Maple already has an owner (Olive, by Slack): the Zoom installer waits like anyone else.
    expect(owner.status).toBe(403);
    const birchOwner = await signInWithZoom(app.url, zoom, { accountId: 'ZACCT-B', userId: 'ZOWNERB' });
    expect(birchOwner.status).toBe(403);
    const unknown = await signInWithZoom(app.url, zoom, { accountId: 'ZACCT-NONE', userId: 'ZNOBODY' });
    expect(unknown.text).toContain('Rollcall isn’t installed in your Zoom workspace');
    expect(await app.database.prisma.staffAccount.findFirstOrThrow({ where: { zoomUserId: 'ZOWNERA' } })).toMatchObject({ organizationId: maple.organizationId, status: 'pending' });
  });

  it('signs the installer in as owner of a clinic with no owner yet', async () => {
    const prisma = app.database.prisma;
    const cedar = await seedClinic(prisma, new Date(), { name: 'Cedar Clinic' });
    await prisma.installation.create({ data: { organizationId: cedar.organizationId, platform: 'zoom', externalId: createZoomAccountKey(app.config.encryptionKey)('ZACCT-C'), data: { installedBy: 'ZOWNERC' } } });
    const owner = await signInWithZoom(app.url, zoom, { accountId: 'ZACCT-C', userId: 'ZOWNERC' });
    expect(owner.status).toBe(303);
    expect(owner.text).toContain('Cedar Clinic');
    expect(await prisma.staffAccount.findFirstOrThrow({ where: { zoomUserId: 'ZOWNERC' } })).toMatchObject({ organizationId: cedar.organizationId, role: 'owner', status: 'active' });
  });
});
