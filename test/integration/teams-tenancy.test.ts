import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/http/admin/auth.js';
import { createConnectStates } from '../../src/services/installs/connect-state.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { messageActivity, postTeams, teamsActivity, type TeamsPerson, TEAMS_DEVELOPMENT_ENV } from '../support/teams-activities.js';
import { signInOverHttp } from '../support/dashboard-sign-in.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let connector: FakeBotConnector;
let app: TestApp;

interface Tenant {
  tenantId: string;
  channel: string;
  teamName?: string;
}

/** Two tenants other than the deployment's home tenant, each with its own staff team. */
const OAK: Tenant = { tenantId: '0a000000-0000-4000-8000-0000000000a1', channel: '19:oakstaff000@thread.tacv2', teamName: 'Oak Counseling staff' };
const PINE: Tenant = { tenantId: '0b000000-0000-4000-8000-0000000000b2', channel: '19:pinestaff00@thread.tacv2', teamName: 'Pine Recovery staff' };
const OAK_ADMIN: TeamsPerson = { name: 'Olu Admin', aadObjectId: 'a0000000-0000-4000-8000-00000000aa01' };
const PINE_ADMIN: TeamsPerson = { name: 'Pat Admin', aadObjectId: 'b0000000-0000-4000-8000-00000000bb01' };

beforeAll(async () => {
  connector = await startFakeBotConnector();
  app = await startTestApp({ env: TEAMS_DEVELOPMENT_ENV, platforms: ['teams'] });
});
afterAll(async () => {
  await app?.stop();
  await connector?.close();
});

/** A fixture activity moved into another tenant: its tenant ids, its team and channel ids, who sent it. */
function inTenant(activity: any, tenant: Tenant, from?: TeamsPerson) {
  activity.channelData.tenant = { id: tenant.tenantId };
  activity.conversation.tenantId = tenant.tenantId;
  if (activity.conversation.conversationType === 'channel') {
    activity.conversation.id = activity.conversation.id.replace(/^19:[^;]+/, tenant.channel);
    activity.channelData.channel = { id: tenant.channel };
    activity.channelData.team = { ...activity.channelData.team, id: tenant.channel, ...(tenant.teamName ? { name: tenant.teamName } : {}) };
    if (activity.channelData.settings) activity.channelData.settings = { selectedChannel: { id: tenant.channel } };
  } else {
    activity.conversation.id = `a:1personal-${tenant.tenantId}-${from?.aadObjectId ?? 'x'}`;
  }
  if (from) activity.from = { id: `29:1${from.name.replace(/\W/g, '')}`, name: from.name, aadObjectId: from.aadObjectId };
  return activity;
}

const addedToTeam = (tenant: Tenant, from: TeamsPerson) => inTenant(teamsActivity('bot-added-to-team', { serviceUrl: connector.url }), tenant, from);
const channelMessage = (tenant: Tenant, from: TeamsPerson, text: string) => inTenant(messageActivity('message-channel-link', { serviceUrl: connector.url, text, from }), tenant, from);
const personalMessage = (tenant: Tenant, from: TeamsPerson, text: string) => inTenant(messageActivity('message-personal', { serviceUrl: connector.url, text, from }), tenant, from);
const installationOf = (tenantId: string) => app.database.prisma.installation.findUnique({ where: { platform_externalId: { platform: 'teams', externalId: tenantId } } });
const repliesIn = (conversationId: string) => connector.calls.filter((c) => c.conversationId === conversationId && (c.op === 'send' || c.op === 'reply')).map((c) => String(c.body?.text ?? ''));

async function apiOf(organizationId: string) {
  const token = randomBytes(16).toString('hex');
  await app.database.prisma.apiToken.create({ data: { organizationId, tokenHash: hashToken(token), label: 'test' } });
  return (method: string, route: string, body?: unknown) => app.api(method, route, body, token);
}

describe('Teams tenants', () => {
  it('founds a clinic per tenant on its first install, named after the team, and keeps it on reinstall', async () => {
    expect((await postTeams(app.url, addedToTeam(OAK, OAK_ADMIN))).status).toBe(200);
    const pineInstall = inTenant(teamsActivity('installation-update-add-personal', { serviceUrl: connector.url }), PINE, PINE_ADMIN);
    expect((await postTeams(app.url, pineInstall)).status).toBe(200);

    const oak = await installationOf(OAK.tenantId);
    const pine = await installationOf(PINE.tenantId);
    expect(oak && pine).toBeTruthy();
    expect(oak!.organizationId).not.toBe(pine!.organizationId);
    expect([oak!.organizationId, pine!.organizationId]).not.toContain(app.organizationId);
    expect((await app.database.prisma.organization.findUniqueOrThrow({ where: { id: oak!.organizationId } })).name).toBe(OAK.teamName);
    // A personal install carries no team: the clinic is named for what it is until its owner renames it.
    expect((await app.database.prisma.organization.findUniqueOrThrow({ where: { id: pine!.organizationId } })).name).toBe('Teams tenant');
    expect(oak!.data).toMatchObject({ installedBy: OAK_ADMIN.aadObjectId, name: OAK.teamName });

    // Someone else in Oak adding the app personally changes neither the clinic nor who installed it.
    const colleague: TeamsPerson = { name: 'Cam Colleague', aadObjectId: 'a0000000-0000-4000-8000-00000000aa02' };
    expect((await postTeams(app.url, inTenant(teamsActivity('installation-update-add-personal', { serviceUrl: connector.url }), OAK, colleague))).status).toBe(200);
    expect(await installationOf(OAK.tenantId)).toMatchObject({ organizationId: oak!.organizationId, data: { installedBy: OAK_ADMIN.aadObjectId } });
    const chats = await app.database.prisma.chatConversation.findMany({ where: { tenantId: OAK.tenantId } });
    expect(chats.map((c) => c.organizationId)).toEqual([oak!.organizationId, oak!.organizationId]);
  });

  it("lets each tenant's messages see only its own clinic", async () => {
    const oak = (await installationOf(OAK.tenantId))!;
    const pine = (await installationOf(PINE.tenantId))!;
    // The same program name in both clinics, each with its own facilitator.
    const oakApi = await apiOf(oak.organizationId);
    const pineApi = await apiOf(pine.organizationId);
    const oakProgram = await oakApi('POST', '/api/v1/programs', { name: 'Evening group', timezone: 'America/New_York', alertChannel: { platform: 'slack', channelId: 'C-NOT-YET' }, staffUserIds: [OAK_ADMIN.aadObjectId] });
    const pineProgram = await pineApi('POST', '/api/v1/programs', { name: 'Evening group', timezone: 'America/New_York', alertChannel: { platform: 'slack', channelId: 'C-NOT-YET' }, staffUserIds: [OAK_ADMIN.aadObjectId] });
    expect([oakProgram.status, pineProgram.status]).toEqual([201, 201]);

    expect((await postTeams(app.url, channelMessage(OAK, OAK_ADMIN, 'link Evening group'))).status).toBe(200);
    await waitFor(async () => ((await app.database.prisma.program.findUniqueOrThrow({ where: { id: oakProgram.body.id } })).alertChannelId === OAK.channel ? true : undefined), 5000, "Oak's program linked");
    expect(await app.database.prisma.program.findUniqueOrThrow({ where: { id: pineProgram.body.id } })).toMatchObject({ alertPlatform: 'slack', alertChannelId: 'C-NOT-YET' });
    expect(await app.database.prisma.auditLog.count({ where: { organizationId: pine.organizationId, action: 'program.link_channel' } })).toBe(0);
  });

  it('ignores every activity from a tenant that never installed, storing nothing', async () => {
    const stranger = { tenantId: '0c000000-0000-4000-8000-0000000000c3', channel: '19:strangers0@thread.tacv2' };
    const intruder: TeamsPerson = { name: 'Ivy Intruder', aadObjectId: 'c0000000-0000-4000-8000-00000000cc01' };
    const before = { organizations: await app.database.prisma.organization.count(), chats: await app.database.prisma.chatConversation.count() };
    expect((await postTeams(app.url, channelMessage(stranger, intruder, 'link Evening group'))).status).toBe(200);
    expect((await postTeams(app.url, personalMessage(stranger, intruder, 'I will miss tonight'))).status).toBe(200);
    expect(await installationOf(stranger.tenantId)).toBeNull();
    expect(await app.database.prisma.organization.count()).toBe(before.organizations);
    expect(await app.database.prisma.chatConversation.count()).toBe(before.chats);
    expect(repliesIn(`a:1personal-${stranger.tenantId}-${intruder.aadObjectId}`)).toEqual([]);
  });
});

describe('connect <code>', () => {
  const states = () => createConnectStates(app.config.encryptionKey);

  it("brings a freshly installed tenant into the clinic whose code its installer writes, and nothing else moves", async () => {
    const cedar = await app.database.prisma.organization.create({ data: { name: 'Cedar Clinic' } });
    const code = states().sign({ organizationId: cedar.id, platform: 'teams' }, Date.now());
    const pine = (await installationOf(PINE.tenantId))!;

    // Not the installer: refused. A Slack code, a tampered one: refused.
    const colleague: TeamsPerson = { name: 'Pia Colleague', aadObjectId: 'b0000000-0000-4000-8000-00000000bb02' };
    expect((await postTeams(app.url, personalMessage(PINE, colleague, `connect ${code}`))).status).toBe(200);
    const slackCode = states().sign({ organizationId: cedar.id, platform: 'slack' }, Date.now());
    expect((await postTeams(app.url, personalMessage(PINE, PINE_ADMIN, `connect ${slackCode}`))).status).toBe(200);
    expect((await installationOf(PINE.tenantId))!.organizationId).toBe(pine.organizationId);
    expect(repliesIn(`a:1personal-${PINE.tenantId}-${colleague.aadObjectId}`).join()).toContain('Only the person who installed');

    // Pine's clinic holds a program (made in the test above): its records never move.
    expect((await postTeams(app.url, personalMessage(PINE, PINE_ADMIN, `connect ${code}`))).status).toBe(200);
    expect((await installationOf(PINE.tenantId))!.organizationId).toBe(pine.organizationId);
    expect(repliesIn(`a:1personal-${PINE.tenantId}-${PINE_ADMIN.aadObjectId}`).join()).toContain('already connected to another clinic');

    // A new tenant, just installed (its clinic empty), connects.
    const elm = { tenantId: '0d000000-0000-4000-8000-0000000000d4', channel: '19:elmstaff000@thread.tacv2', teamName: 'Elm team' };
    const elmAdmin: TeamsPerson = { name: 'Eli Admin', aadObjectId: 'd0000000-0000-4000-8000-00000000dd01' };
    expect((await postTeams(app.url, addedToTeam(elm, elmAdmin))).status).toBe(200);
    const founded = (await installationOf(elm.tenantId))!.organizationId;
    expect((await postTeams(app.url, channelMessage(elm, elmAdmin, `connect ${code}`))).status).toBe(200);
    await waitFor(async () => ((await installationOf(elm.tenantId))!.organizationId === cedar.id ? true : undefined), 5000, 'Elm connected to Cedar');
    expect(await app.database.prisma.chatConversation.findMany({ where: { tenantId: elm.tenantId }, select: { organizationId: true } })).toEqual([{ organizationId: cedar.id }]);
    expect(await app.database.prisma.auditLog.count({ where: { organizationId: cedar.id, action: 'installation.connected', actor: `teams:${elmAdmin.aadObjectId}` } })).toBe(1);
    expect(await app.database.prisma.auditLog.count({ where: { organizationId: founded, action: 'installation.moved' } })).toBe(1);

    // Cedar now has its Teams tenant: another tenant's code for Cedar is refused.
    const fir = { tenantId: '0e000000-0000-4000-8000-0000000000e5', channel: '19:firstaff000@thread.tacv2', teamName: 'Fir team' };
    const firAdmin: TeamsPerson = { name: 'Fay Admin', aadObjectId: 'e0000000-0000-4000-8000-00000000ee01' };
    expect((await postTeams(app.url, addedToTeam(fir, firAdmin))).status).toBe(200);
    const again = states().sign({ organizationId: cedar.id, platform: 'teams' }, Date.now());
    expect((await postTeams(app.url, channelMessage(fir, firAdmin, `connect ${again}`))).status).toBe(200);
    expect((await installationOf(fir.tenantId))!.organizationId).not.toBe(cedar.id);
  });
});

describe('"Connect Teams" in Settings', () => {
  it('shows a code for the signed-in clinic that its tenant installer writes to the bot', async () => {
    const { cookie } = await signInOverHttp(app.url, TEST_ADMIN_TOKEN);
    expect(await (await fetch(`${app.url}/settings`, { headers: { cookie } })).text()).toContain('href="/settings/connect/teams"');
    const page = await fetch(`${app.url}/settings/connect/teams`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const code = /connect ([\w-]+\.[\w-]+)/.exec(await page.text())?.[1];
    expect(code).toBeTruthy();

    const birch = { tenantId: '0f000000-0000-4000-8000-0000000000f6', channel: '19:birchstaf0@thread.tacv2', teamName: 'Birch team' };
    const birchAdmin: TeamsPerson = { name: 'Bea Admin', aadObjectId: 'f0000000-0000-4000-8000-00000000ff01' };
    expect((await postTeams(app.url, addedToTeam(birch, birchAdmin))).status).toBe(200);
    expect((await postTeams(app.url, channelMessage(birch, birchAdmin, `connect ${code}`))).status).toBe(200);
    await waitFor(async () => ((await installationOf(birch.tenantId))?.organizationId === app.organizationId ? true : undefined), 5000, 'Birch in the first clinic');
    expect(await (await fetch(`${app.url}/settings`, { headers: { cookie } })).text()).toContain('Birch team');
  });
});
