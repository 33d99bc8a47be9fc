import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../src/core/policy.js';
import { seedClinic, type Seed } from '../support/dashboard-seed.js';
import { signInOverHttp } from '../support/dashboard-sign-in.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { signInWithSlack, type ProviderSignIn } from '../support/provider-sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let slack: FakeSlack;
let maple: Seed;
let birch: Seed;
/** A second program of Maple's, which the facilitator is not assigned to. */
let mapleDay: string;
let owner: ProviderSignIn;

const post = (path: string, cookie: string, fields: Record<string, string>) =>
  fetch(`${app.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
const get = async (path: string, cookie: string) => {
  const response = await fetch(`${app.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: response.status, text: await response.text() };
};

/** Signs in a colleague from Maple's workspace, approved by the owner with this role (and these programs). */
async function colleague(userId: string, name: string, role: string, programIds: string[] = []): Promise<ProviderSignIn> {
  await signInWithSlack(app.url, slack, { userId, teamId: 'T0MAPLE', name });
  const account = await app.database.prisma.staffAccount.findFirstOrThrow({ where: { slackUserId: userId } });
  expect((await post(`/settings/staff/${account.id}`, owner.cookie!, { _csrf: owner.csrf, action: 'approve', role })).status).toBe(303);
  if (programIds.length) {
    const body = new URLSearchParams({ _csrf: owner.csrf, action: 'assign' });
    for (const id of programIds) body.append('programId', id);
    await fetch(`${app.url}/settings/staff/${account.id}`, { method: 'POST', redirect: 'manual', headers: { cookie: owner.cookie!, 'content-type': 'application/x-www-form-urlencoded' }, body });
  }
  const signedIn = await signInWithSlack(app.url, slack, { userId, teamId: 'T0MAPLE', name });
  expect(signedIn.status).toBe(303);
  return signedIn;
}

beforeAll(async () => {
  slack = await startFakeSlack();
  app = await startTestApp({ platforms: [], env: { SLACK_CLIENT_ID: 'slack-client', SLACK_CLIENT_SECRET: 'slack-secret', SLACK_STATE_SECRET: 'slack-state-secret', SLACK_API_URL: slack.url } });
  const prisma = app.database.prisma;
  maple = await seedClinic(prisma, new Date(), { name: 'Maple Clinic' });
  birch = await seedClinic(prisma, new Date(), { name: 'Birch Clinic' });
  // Birch's rows carry words Maple's never do, so a leak shows in any page.
  await prisma.program.update({ where: { id: birch.programId }, data: { name: 'Birch Secret Program' } });
  for (const id of Object.values(birch.participants)) await prisma.participant.update({ where: { id }, data: { name: `Birchonly ${id.slice(0, 4)}` } });
  mapleDay = (await prisma.program.create({ data: { organizationId: maple.organizationId, name: 'Maple Day Program', timezone: 'UTC', policy: resolvePolicy({}), alertPlatform: 'slack', alertChannelId: 'C0DAY' } })).id;
  await prisma.installation.create({ data: { organizationId: maple.organizationId, platform: 'slack', externalId: 'T0MAPLE', data: { installedBy: 'U0OLIVE' } } });
  await prisma.installation.create({ data: { organizationId: birch.organizationId, platform: 'slack', externalId: 'T0BIRCH', data: { installedBy: 'U0BEA' } } });
  owner = await signInWithSlack(app.url, slack, { userId: 'U0OLIVE', teamId: 'T0MAPLE', name: 'Olive Owner' });
  expect(owner.status).toBe(303);
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

describe('a clinic sees only itself', () => {
  it('shows Maple’s owner only Maple in every dashboard page and the CSV export', async () => {
    const birchParticipant = Object.values(birch.participants)[0]!;
    for (const path of ['/', '/today/board', '/programs', `/programs/${maple.programId}`, '/follow-ups', '/settings', '/settings/staff', '/settings/tokens', `/participants/${Object.values(maple.participants)[0]}`]) {
      const shown = await get(path, owner.cookie!);
      expect(shown.status, path).toBe(200);
      expect(shown.text, path).not.toContain('Birch');
      expect(shown.text, path).not.toContain(birch.programId);
    }
    expect((await get('/', owner.cookie!)).text).toMatch(/Maple Clinic<\/span> · <span class="person">Olive Owner/);
    for (const path of [`/programs/${birch.programId}`, `/programs/${birch.programId}/report.csv`, `/programs/${birch.programId}/settings`, `/participants/${birchParticipant}`, `/participants/${birchParticipant}/summary`]) {
      expect((await get(path, owner.cookie!)).status, path).toBe(404);
    }
    const csv = await get(`/programs/${maple.programId}/report.csv`, owner.cookie!);
    expect(csv.status).toBe(200);
    expect(csv.text).not.toContain('Birchonly');
    expect(await post(`/follow-ups/${birch.followUpId}`, owner.cookie!, { _csrf: owner.csrf, action: 'complete' }).then((r) => r.headers.get('location'))).toBe('/follow-ups?done=gone');
  });

  it('streams only Maple’s sessions to Maple', async () => {
    const controller = new AbortController();
    try {
      const response = await fetch(`${app.url}/today/events`, { headers: { cookie: owner.cookie! }, signal: controller.signal });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value);
      await app.evaluator.evaluate(birch.sessionIds[0]!);
      await app.evaluator.evaluate(maple.sessionIds[0]!);
      while (!text.includes('event: session')) text += decoder.decode((await reader.read()).value);
      expect(text).toContain(maple.sessionIds[0]);
      expect(text).not.toContain(birch.sessionIds[0]);
    } finally {
      controller.abort();
    }
  });
});

describe('API tokens per clinic', () => {
  it('creates a token shown once, scopes the admin API to the clinic, records last use and the token as actor, and revokes it', async () => {
    const created = await post('/settings/tokens', owner.cookie!, { _csrf: owner.csrf, label: 'EHR sync' });
    expect(created.status).toBe(201);
    const token = /<code class="new-token">([^<]+)<\/code>/.exec(await created.text())![1]!;
    const listed = await get('/settings/tokens', owner.cookie!);
    expect(listed.text).toContain('EHR sync');
    expect(listed.text).toContain('Olive Owner');
    expect(listed.text).not.toContain(token);
    const prisma = app.database.prisma;
    const row = await prisma.apiToken.findFirstOrThrow({ where: { organizationId: maple.organizationId, label: 'EHR sync' } });
    expect(row.tokenHash).not.toContain(token);
    expect(row.lastUsedAt).toBeNull();

    const programs = await app.api('GET', '/api/v1/programs', undefined, token);
    expect(programs.status).toBe(200);
    expect(JSON.stringify(programs.body)).not.toContain(birch.programId);
    expect(JSON.stringify(programs.body)).toContain(maple.programId);
    expect((await app.api('GET', `/api/v1/programs/${birch.programId}`, undefined, token)).status).toBe(404);
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();
    const changed = await app.api('PATCH', `/api/v1/programs/${mapleDay}`, { name: 'Maple Day Program (renamed)' }, token);
    expect(changed.status).toBe(200);
    expect(await prisma.auditLog.findFirst({ where: { organizationId: maple.organizationId, entityId: mapleDay, actor: `api-token:${row.id}` } })).not.toBeNull();
    expect((await app.api('PATCH', `/api/v1/follow-ups/${maple.followUpId}`, { note: 'Called back' }, token)).status).toBe(200);

    // A token made in Settings is for the API only: it does not sign in to the dashboard as an owner.
    const form = await fetch(`${app.url}/sign-in`);
    const formCookie = form.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const refused = await fetch(`${app.url}/sign-in`, { method: 'POST', redirect: 'manual', headers: { cookie: formCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, token, next: '/' }) });
    expect(refused.status).toBe(401);

    expect((await post(`/settings/tokens/${row.id}/revoke`, owner.cookie!, { _csrf: owner.csrf })).status).toBe(303);
    expect((await app.api('GET', '/api/v1/programs', undefined, token)).status).toBe(401);
    // Revoked, the token is still named by its label where pages show who did what.
    const { participantId } = await prisma.followUp.findUniqueOrThrow({ where: { id: maple.followUpId } });
    expect((await get(`/participants/${participantId}`, owner.cookie!)).text).toContain('API token “EHR sync” added a note to the outreach');
    expect(await prisma.auditLog.count({ where: { organizationId: maple.organizationId, entityId: row.id, action: { in: ['api_token.create', 'api_token.revoke'] }, actor: { startsWith: 'staff:' } } })).toBe(2);
  });
});

describe('roles', () => {
  it('shows a facilitator only the programs they are assigned to, and lets them act on those alone', async () => {
    const fay = await colleague('U0FAY', 'Fay Facilitator', 'facilitator', [maple.programId]);
    const programs = await get('/programs', fay.cookie!);
    expect(programs.text).toContain(maple.programId);
    expect(programs.text).not.toContain(mapleDay);
    expect((await get(`/programs/${mapleDay}`, fay.cookie!)).status).toBe(404);
    expect((await get(`/programs/${mapleDay}/report.csv`, fay.cookie!)).status).toBe(404);
    expect((await get(`/programs/${maple.programId}`, fay.cookie!)).status).toBe(200);
    expect((await get('/settings/staff', fay.cookie!)).status).toBe(403);
    expect((await get('/settings/tokens', fay.cookie!)).status).toBe(403);
    expect((await post(`/programs/${maple.programId}/channel`, fay.cookie!, { _csrf: fay.csrf, platform: 'slack', channelId: 'C0HIJACK' })).status).toBe(403);
    // Her live stream names only sessions of her program.
    const now = Date.now();
    const daySession = await app.database.prisma.session.create({
      data: { organizationId: maple.organizationId, programId: mapleDay, startsAt: new Date(now - 3_600_000), endsAt: new Date(now + 3_600_000), meetingPlatform: 'zoom', meetingId: '81000000001' },
    });
    const controller = new AbortController();
    try {
      const response = await fetch(`${app.url}/today/events`, { headers: { cookie: fay.cookie! }, signal: controller.signal });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value);
      await app.evaluator.evaluate(daySession.id);
      await app.evaluator.evaluate(maple.sessionIds[1]!);
      while (!text.includes('event: session')) text += decoder.decode((await reader.read()).value);
      expect(text).toContain(maple.sessionIds[1]);
      expect(text).not.toContain(daySession.id);
    } finally {
      controller.abort();
    }
    const followUps = await get('/follow-ups', fay.cookie!);
    expect(followUps.text).toContain(maple.followUpId);
    const fayAccount = await app.database.prisma.staffAccount.findFirstOrThrow({ where: { organizationId: maple.organizationId, name: 'Fay Facilitator' } });
    const done = await post(`/follow-ups/${maple.followUpId}`, fay.cookie!, { _csrf: fay.csrf, action: 'assign', assignee: `staff:${fayAccount.id}` });
    expect(done.headers.get('location')).toBe('/follow-ups?done=assign');
    // The participant's page says who did it by name.
    const { participantId } = await app.database.prisma.followUp.findUniqueOrThrow({ where: { id: maple.followUpId } });
    expect((await get(`/participants/${participantId}`, owner.cookie!)).text).toContain('Fay Facilitator assigned the outreach');
  });

  it('lets a viewer read but not change anything', async () => {
    const vic = await colleague('U0VIC', 'Vic Viewer', 'viewer');
    expect((await get(`/programs/${maple.programId}`, vic.cookie!)).status).toBe(200);
    expect((await post(`/follow-ups/${maple.followUpId}`, vic.cookie!, { _csrf: vic.csrf, action: 'complete' })).status).toBe(403);
    expect((await post(`/programs/${maple.programId}/channel`, vic.cookie!, { _csrf: vic.csrf, platform: 'slack', channelId: 'C0X' })).status).toBe(403);
    expect((await app.database.prisma.followUp.findUniqueOrThrow({ where: { id: maple.followUpId } })).state).toBe('open');
  });

  it('lets an admin manage staff but not make owners, and never leaves the clinic without an owner', async () => {
    const ada = await colleague('U0ADA', 'Ada Admin', 'admin');
    const prisma = app.database.prisma;
    const vic = await prisma.staffAccount.findFirstOrThrow({ where: { slackUserId: 'U0VIC' } });
    const olive = await prisma.staffAccount.findFirstOrThrow({ where: { slackUserId: 'U0OLIVE' } });
    expect((await post(`/settings/staff/${vic.id}`, ada.cookie!, { _csrf: ada.csrf, action: 'role', role: 'owner' })).status).toBe(409);
    expect((await post(`/settings/staff/${olive.id}`, ada.cookie!, { _csrf: ada.csrf, action: 'remove' })).status).toBe(409);
    expect((await post(`/settings/staff/${olive.id}`, owner.cookie!, { _csrf: owner.csrf, action: 'role', role: 'admin' })).status).toBe(409);
    // Removing signs the person out at once.
    const vicSession = await signInWithSlack(app.url, slack, { userId: 'U0VIC', teamId: 'T0MAPLE', name: 'Vic Viewer' });
    expect((await post(`/settings/staff/${vic.id}`, ada.cookie!, { _csrf: ada.csrf, action: 'remove' })).status).toBe(303);
    expect((await get('/programs', vicSession.cookie!)).status).toBe(303);
    const back = await signInWithSlack(app.url, slack, { userId: 'U0VIC', teamId: 'T0MAPLE', name: 'Vic Viewer' });
    expect(back.status).toBe(403);
    expect(back.text).toContain('removed');
    // Another clinic's staff member cannot be changed from Maple.
    await signInWithSlack(app.url, slack, { userId: 'U0BEA', teamId: 'T0BIRCH', name: 'Bea Birch' });
    const bea = await prisma.staffAccount.findFirstOrThrow({ where: { slackUserId: 'U0BEA' } });
    expect((await post(`/settings/staff/${bea.id}`, owner.cookie!, { _csrf: owner.csrf, action: 'remove' })).status).toBe(404);
  });

  it('keeps the admin-token sign-in for the first organization, as owner', async () => {
    const admin = await signInOverHttp(app.url, 'test-admin-token-0123456789');
    expect((await get('/settings/staff', admin.cookie)).status).toBe(200);
  });
});
