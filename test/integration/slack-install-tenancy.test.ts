import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/http/admin/auth.js';
import { hashToken as hashSessionToken } from '../../src/crypto/token-hash.js';
import { createConnectStates } from '../../src/services/installs/connect-state.js';
import { startFakeSlack, type FakeSlack, type FakeSlackInstallGrant } from '../support/fake-slack.js';
import { minutes, minutesAgo } from '../support/scenario.js';
import { postSlack, readSlackFixture, TEST_SLACK_SIGNING_SECRET } from '../support/slack-signing.js';
import { signInOverHttp } from '../support/dashboard-sign-in.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let slack: FakeSlack;
let app: TestApp;
let codes = 0;

const ACME: FakeSlackInstallGrant = { teamId: 'T0ACME0001', teamName: 'Acme Counseling', userId: 'U0ACMEOWNR', botToken: 'xoxb-acme-token', botUserId: 'U0ACMEBOT' };
const BIRCH: FakeSlackInstallGrant = { teamId: 'T0BIRCH001', teamName: 'Birch Recovery', userId: 'U0BIRCHOWN', botToken: 'xoxb-birch-token', botUserId: 'U0BIRCHBOT' };

beforeAll(async () => {
  slack = await startFakeSlack();
  app = await startTestApp({
    env: {
      SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
      SLACK_CLIENT_ID: '1234.5678',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 'state-secret-for-tests',
      SLACK_API_URL: slack.url,
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

/**
 * An install as a browser makes it: /slack/install (the state goes into a cookie and Slack's
 * authorize URL), Slack's consent (the fake grants a code for the workspace), then Slack's
 * redirect to /slack/oauth_redirect with the code and the state, cookie attached.
 */
async function install(grant: FakeSlackInstallGrant, options: { connect?: string; botToken?: string; from?: string } = {}) {
  const path = options.from ?? `/slack/install${options.connect !== undefined ? `?connect=${encodeURIComponent(options.connect)}` : ''}`;
  const start = await fetch(`${app.url}${path}`, { redirect: 'manual' });
  if (start.status !== 302) return { status: start.status, text: await start.text() };
  const authorize = new URL(start.headers.get('location') ?? '');
  expect(`${authorize.origin}${authorize.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
  const state = authorize.searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  const code = `code-${++codes}`;
  slack.grantInstall(code, { ...grant, botToken: options.botToken ?? grant.botToken });
  const callback = await fetch(`${app.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
  return { status: callback.status, text: await callback.text() };
}

const installationOf = (teamId: string) => app.database.prisma.installation.findUniqueOrThrow({ where: { platform_externalId: { platform: 'slack', externalId: teamId } } });

/** An admin API token of a clinic, as Settings would make one. */
async function apiOf(organizationId: string) {
  const token = randomBytes(16).toString('hex');
  await app.database.prisma.apiToken.create({ data: { organizationId, tokenHash: hashToken(token), label: 'test' } });
  return (method: string, route: string, body?: unknown) => app.api(method, route, body, token);
}

/** A clinic's huddle group: a running session in a Slack huddle, Sam (who will join) and Robin (who will not). */
async function huddleGroup(organizationId: string, ids: { channel: string; huddle: string; sam: string; robin: string; staff: string }) {
  const api = await apiOf(organizationId);
  const program = await api('POST', '/api/v1/programs', { name: 'Evening group', timezone: 'America/New_York', alertChannel: { platform: 'slack', channelId: ids.channel } });
  expect(program.status).toBe(201);
  await api('PATCH', `/api/v1/programs/${program.body.id}`, { staffUserIds: [ids.staff] });
  const enrolledAt = minutesAgo(60 * 24).toISOString();
  for (const [name, slackId] of [['Sam Ortiz', ids.sam], ['Robin Lee', ids.robin]] as const) {
    expect((await api('POST', `/api/v1/programs/${program.body.id}/participants`, { name, identities: [{ platform: 'slack', externalId: slackId }], enrolledAt })).status).toBe(201);
  }
  const start = minutesAgo(20);
  const session = await api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 3600_000).toISOString(),
    meeting: { platform: 'slack', meetingId: ids.huddle },
  });
  expect(session.status).toBe(201);
  return { api, start, sessionId: session.body.id as string, programId: program.body.id as string };
}

function huddleJoin(teamId: string, userId: string, at: Date, eventId: string) {
  const event = readSlackFixture('event-user-huddle-changed');
  event.team_id = teamId;
  event.authorizations[0].team_id = teamId;
  event.event_id = eventId;
  event.event.user.id = userId;
  event.event.event_ts = String(at.getTime() / 1000);
  return event;
}

function button(teamId: string, userId: string, channel: string, ts: string, value: string) {
  const payload = readSlackFixture('block-actions-button');
  payload.team = { id: teamId, domain: teamId.toLowerCase() };
  payload.user = { ...payload.user, id: userId, team_id: teamId };
  payload.channel = { id: channel, name: 'staff' };
  payload.container.channel_id = channel;
  payload.container.message_ts = ts;
  payload.message.ts = ts;
  payload.actions[0].action_id = 'rollcall:reach_out';
  payload.actions[0].value = value;
  return payload;
}

const reachOutValueOf = (message: { blocks?: unknown }) =>
  ((message.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[])
    .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
    .find((b) => b.action_id === 'rollcall:reach_out')!.value;

describe('installing from Slack', () => {
  it('gives each workspace its own clinic, named after it, through oauth.v2.access at SLACK_API_URL', async () => {
    expect((await install(ACME)).text).toContain('Acme Counseling');
    const birchPage = await install(BIRCH);
    expect(birchPage.status).toBe(200);
    expect(birchPage.text).toContain('Birch Recovery');

    const acme = await installationOf(ACME.teamId);
    const birch = await installationOf(BIRCH.teamId);
    expect(acme.organizationId).not.toBe(birch.organizationId);
    expect([acme.organizationId, birch.organizationId]).not.toContain(app.organizationId);
    expect((await app.database.prisma.organization.findUniqueOrThrow({ where: { id: acme.organizationId } })).name).toBe('Acme Counseling');
    expect((await app.database.prisma.organization.findUniqueOrThrow({ where: { id: birch.organizationId } })).name).toBe('Birch Recovery');
    expect(acme.data).toMatchObject({ installedBy: ACME.userId, name: 'Acme Counseling', botUserId: 'U0ACMEBOT' });
    expect(acme.encryptedTokens).not.toContain(ACME.botToken);
    expect(slack.calls.filter((c) => c.method === 'oauth.v2.access')).toHaveLength(2);
    expect(await app.database.prisma.auditLog.count({ where: { organizationId: acme.organizationId, action: 'installation.created', actor: `slack:${ACME.userId}` } })).toBe(1);

    // Reinstalling (a new token, say after adding a scope) keeps the clinic and its records.
    const again = await install(ACME, { botToken: 'xoxb-acme-token-2' });
    expect(again.text).toContain('Reinstalled for');
    expect((await installationOf(ACME.teamId)).organizationId).toBe(acme.organizationId);
    expect(await app.database.prisma.organization.count({ where: { name: 'Acme Counseling' } })).toBe(1);
  });

  it("acts on each workspace's deliveries only in its own clinic, and alerts go out with that clinic's own bot token", async () => {
    const acme = await installationOf(ACME.teamId);
    const birch = await installationOf(BIRCH.teamId);
    // Both clinics name their people with the same Slack user id (ids are per workspace, and may repeat).
    const a = await huddleGroup(acme.organizationId, { channel: 'C0ACMESTAF', huddle: 'C0ACMEHUDL', sam: 'U0SAMSAME1', robin: 'U0ROBINA01', staff: 'U0ACMESTF1' });
    const b = await huddleGroup(birch.organizationId, { channel: 'C0BIRCHSTF', huddle: 'C0BIRCHHDL', sam: 'U0SAMSAME1', robin: 'U0ROBINB01', staff: 'U0BIRCHST1' });

    // Sam joins Acme's huddle: presence lands in Acme's session only.
    expect((await postSlack(app.url, huddleJoin(ACME.teamId, 'U0SAMSAME1', new Date(a.start.getTime() + minutes(1)), 'Ev0TENANT01'))).status).toBe(200);
    await waitFor(async () => ((await app.database.prisma.presenceEvent.count({ where: { sessionId: a.sessionId } })) === 1 ? true : undefined), 8000, "Acme's presence");
    expect(await app.database.prisma.presenceEvent.count({ where: { sessionId: b.sessionId } })).toBe(0);

    // The meeting ran, Robin is not there: Acme's alert goes to Acme's channel with Acme's token.
    const post = await waitFor(() => slack.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0ACMESTAF' && String(c.body.text).startsWith('Not joined: Robin')), 8000, "Acme's alert");
    expect(post.token).toBe('xoxb-acme-token-2');
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0BIRCHSTF')).toHaveLength(0);

    // The same person joining from Birch's workspace is Birch's, and only Birch's alert goes out, with Birch's token.
    expect((await postSlack(app.url, huddleJoin(BIRCH.teamId, 'U0SAMSAME1', new Date(b.start.getTime() + minutes(1)), 'Ev0TENANT02'))).status).toBe(200);
    const birchPost = await waitFor(() => slack.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'C0BIRCHSTF' && String(c.body.text).startsWith('Not joined: Robin')), 8000, "Birch's alert");
    expect(birchPost.token).toBe(BIRCH.botToken);
    expect(await app.database.prisma.presenceEvent.count({ where: { sessionId: a.sessionId } })).toBe(1);

    // A button naming Acme's alert, pressed in Birch's workspace (a forged value), changes nothing.
    const acmeAlert = slack.messages('C0ACMESTAF').find((m) => m.text?.startsWith('Not joined: Robin'))!;
    const alertId = acmeAlert.metadata!.event_payload.alertId as string;
    expect((await postSlack(app.url, button(BIRCH.teamId, 'U0ACMESTF1', 'C0BIRCHSTF', acmeAlert.ts, reachOutValueOf(acmeAlert)), { form: true })).status).toBe(200);
    expect(await app.database.prisma.followUp.count({ where: { alertId } })).toBe(0);

    // Pressed in Acme's workspace by Acme's facilitator, it works.
    expect((await postSlack(app.url, button(ACME.teamId, 'U0ACMESTF1', 'C0ACMESTAF', acmeAlert.ts, reachOutValueOf(acmeAlert)), { form: true })).status).toBe(200);
    const followUp = await waitFor(async () => (await app.database.prisma.followUp.findFirst({ where: { alertId } })) ?? undefined, 5000, 'the follow-up');
    expect(followUp.organizationId).toBe(acme.organizationId);
  });

  it("answers /rollcall from each workspace with its own clinic's roster only", async () => {
    const command = (teamId: string, channel: string, userId: string) => ({ ...readSlackFixture('slash-command-rollcall'), team_id: teamId, team_domain: teamId.toLowerCase(), channel_id: channel, user_id: userId, text: 'today' });
    const acme = await postSlack(app.url, command(ACME.teamId, 'C0ACMESTAF', 'U0ACMESTF1'), { command: true });
    expect(acme.status).toBe(200);
    expect(acme.text).toContain('Robin');
    // Birch's channel id, asked from Acme's workspace: Acme has no program there.
    const crossed = await postSlack(app.url, command(ACME.teamId, 'C0BIRCHSTF', 'U0ACMESTF1'), { command: true });
    expect(crossed.text).toContain('No sessions today');
    const stranger = await postSlack(app.url, command('T0STRANGER', 'C0ACMESTAF', 'U0ACMESTF1'), { command: true });
    expect(stranger.text).not.toContain('Robin');
  });

  it('ignores deliveries from a workspace that never installed', async () => {
    const before = await app.database.prisma.presenceEvent.count();
    expect((await postSlack(app.url, huddleJoin('T0STRANGER', 'U0SAMSAME1', minutesAgo(5), 'Ev0TENANT03'))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await app.database.prisma.presenceEvent.count()).toBe(before);
  });
});

describe('connecting a workspace to an existing clinic', () => {
  const states = () => createConnectStates(app.config.encryptionKey);

  it('joins the clinic a valid Connect state names, once per platform', async () => {
    const clinic = await app.database.prisma.organization.create({ data: { name: 'Cedar Clinic' } });
    const state = states().sign({ organizationId: clinic.id, platform: 'slack' }, Date.now());
    const page = await install({ teamId: 'T0CEDAR001', teamName: 'Cedar workspace', userId: 'U0CEDAROWN', botToken: 'xoxb-cedar' }, { connect: state });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cedar Clinic');
    expect((await installationOf('T0CEDAR001')).organizationId).toBe(clinic.id);
    expect(await app.database.prisma.organization.count({ where: { name: 'Cedar workspace' } })).toBe(0);

    // A second workspace with a (fresh) state for the same clinic is refused: one Slack per clinic.
    const second = states().sign({ organizationId: clinic.id, platform: 'slack' }, Date.now());
    const refused = await install({ teamId: 'T0CEDAR002', teamName: 'Cedar two', userId: 'U0CEDAR2', botToken: 'xoxb-cedar-2' }, { connect: second });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('already connected to another workspace');
    expect(await app.database.prisma.installation.count({ where: { externalId: 'T0CEDAR002' } })).toBe(0);
    expect(await app.database.prisma.organization.count({ where: { name: 'Cedar two' } })).toBe(0);
    // The refused token is handed back to Slack.
    expect(slack.calls.some((c) => c.method === 'auth.revoke' && c.token === 'xoxb-cedar-2')).toBe(true);
  });

  it('never lets a third workspace attach itself to a clinic that did not invite it', async () => {
    const acme = await installationOf(ACME.teamId);
    const stranger: FakeSlackInstallGrant = { teamId: 'T0STRANGE1', teamName: 'Stranger Co', userId: 'U0STRANGER', botToken: 'xoxb-stranger' };
    const valid = states().sign({ organizationId: acme.organizationId, platform: 'slack' }, Date.now());

    // Forged (another key), expired, for another platform, or tampered: refused before Slack is asked.
    const forged = createConnectStates(Buffer.alloc(32, 7)).sign({ organizationId: acme.organizationId, platform: 'slack' }, Date.now());
    const expired = states().sign({ organizationId: acme.organizationId, platform: 'slack' }, Date.now() - 11 * 60_000);
    const zoomState = states().sign({ organizationId: acme.organizationId, platform: 'zoom' }, Date.now());
    for (const connect of [forged, expired, zoomState, `${valid}x`, '']) {
      const page = await install(stranger, { connect });
      expect(page.status).toBe(400);
      expect(page.text).toContain('Connect link has expired or is not valid');
    }
    // A genuine state for Acme: Acme already has its Slack workspace, so the stranger is refused.
    expect((await install(stranger, { connect: valid })).status).toBe(403);
    expect(await app.database.prisma.installation.count({ where: { externalId: 'T0STRANGE1' } })).toBe(0);

    // An installed workspace is never moved by a state for another clinic.
    const birch = await installationOf(BIRCH.teamId);
    const toAcme = states().sign({ organizationId: acme.organizationId, platform: 'slack' }, Date.now());
    const moved = await install(BIRCH, { connect: toAcme });
    expect(moved.status).toBe(403);
    expect(moved.text).toContain('already connected to another clinic');
    expect((await installationOf(BIRCH.teamId)).organizationId).toBe(birch.organizationId);
    // …and its working token is not revoked by the refusal.
    expect(slack.calls.some((c) => c.method === 'auth.revoke' && c.token === BIRCH.botToken)).toBe(false);
    expect(await app.database.prisma.installation.count({ where: { organizationId: acme.organizationId, platform: 'slack' } })).toBe(1);
  });
});

describe('"Connect Slack" in Settings', () => {
  it("signs a Connect state for the signed-in clinic and lists the workspace once it is installed", async () => {
    const { cookie } = await signInOverHttp(app.url, TEST_ADMIN_TOKEN);
    const before = await (await fetch(`${app.url}/settings`, { headers: { cookie } })).text();
    expect(before).toContain('Connections');
    expect(before).toContain('href="/settings/connect/slack"');
    // Teams and Zoom are not configured on this deployment: no button, and no route.
    expect(before).not.toContain('/settings/connect/teams');
    expect((await fetch(`${app.url}/settings/connect/teams`, { headers: { cookie }, redirect: 'manual' })).status).toBe(404);
    // Signed out, nobody gets a state.
    const signedOut = await fetch(`${app.url}/settings/connect/slack`, { redirect: 'manual' });
    expect(signedOut.headers.get('location') ?? '').not.toContain('/slack/install');

    const connect = await fetch(`${app.url}/settings/connect/slack`, { headers: { cookie }, redirect: 'manual' });
    expect(connect.status).toBe(303);
    const location = connect.headers.get('location') ?? '';
    expect(location).toMatch(/^\/slack\/install\?connect=/);
    const page = await install({ teamId: 'T0FIRSTORG', teamName: 'First clinic workspace', userId: 'U0FIRSTOWN', botToken: 'xoxb-first' }, { from: location });
    expect(page.status).toBe(200);
    expect((await installationOf('T0FIRSTORG')).organizationId).toBe(app.organizationId);
    expect(await app.database.prisma.auditLog.count({ where: { organizationId: app.organizationId, action: 'installation.connect_started' } })).toBe(1);

    const after = await (await fetch(`${app.url}/settings`, { headers: { cookie } })).text();
    expect(after).toContain('First clinic workspace');
    expect(after).not.toContain('href="/settings/connect/slack"');
  });
});

describe('who may connect', () => {
  it('lets owners and admins connect platforms, and refuses facilitators and viewers', async () => {
    const clinic = await app.database.prisma.organization.create({ data: { name: 'Dogwood Clinic' } });
    const sessionOf = async (role: 'admin' | 'facilitator' | 'viewer') => {
      const account = await app.database.prisma.staffAccount.create({ data: { organizationId: clinic.id, name: `A ${role}`, role, status: 'active', slackUserId: `U0${role.toUpperCase()}` } });
      const token = randomBytes(32).toString('base64url');
      await app.database.prisma.staffSignIn.create({
        data: { organizationId: clinic.id, tokenHash: hashSessionToken(token), method: 'slack', actor: `staff:${account.id}`, expiresAt: new Date(Date.now() + 3600_000), staffAccountId: account.id },
      });
      return `rollcall_session=${token}`;
    };
    const admin = await sessionOf('admin');
    expect(await (await fetch(`${app.url}/settings`, { headers: { cookie: admin } })).text()).toContain('href="/settings/connect/slack"');
    const allowed = await fetch(`${app.url}/settings/connect/slack`, { headers: { cookie: admin }, redirect: 'manual' });
    expect(allowed.status).toBe(303);
    // The state names the admin's clinic, not the deployment's first one.
    const state = new URL(allowed.headers.get('location')!, app.url).searchParams.get('connect');
    expect(createConnectStates(app.config.encryptionKey).verify(state, 'slack', Date.now())?.organizationId).toBe(clinic.id);

    for (const role of ['facilitator', 'viewer'] as const) {
      const cookie = await sessionOf(role);
      const connect = await fetch(`${app.url}/settings/connect/slack`, { headers: { cookie }, redirect: 'manual' });
      expect(connect.status).toBe(403);
      expect(connect.headers.get('location')).toBeNull();
      const settings = await fetch(`${app.url}/settings`, { headers: { cookie } });
      expect(settings.status).toBe(200);
      expect(await settings.text()).not.toContain('/settings/connect/');
    }
  });
});
