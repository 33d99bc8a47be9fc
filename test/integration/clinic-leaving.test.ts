import { randomBytes } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/crypto/token-hash.js';
import type { Db } from '../../src/db/database.js';
import { csrfTokenFor } from '../../src/services/staff-sign-ins.js';
import { parseCsv, seedClinic, type Seed } from '../support/dashboard-seed.js';
import { signInOverHttp } from '../support/dashboard-sign-in.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';

let app: TestApp;
let maple: Seed;
let birch: Seed;

beforeAll(async () => {
  app = await startTestApp();
  const now = new Date();
  maple = await seedClinic(app.database.prisma, now, { name: 'Maple Clinic' });
  birch = await seedClinic(app.database.prisma, now, { name: 'Birch Clinic' });
  // Rows of tables the seed leaves empty, and rows with no foreign key to the organization.
  for (const seed of [maple, birch]) {
    const prisma = app.database.prisma;
    await prisma.installation.create({ data: { organizationId: seed.organizationId, platform: 'slack', externalId: `T${seed.organizationId.slice(0, 8)}`, encryptedTokens: 'sealed-secret-tokens', data: { name: 'ws' } } });
    // A session-less alert: no cascade reaches it from the organization.
    await prisma.alert.create({ data: { organizationId: seed.organizationId, subjectKey: 'tech', topic: 'tech_help', kind: 'tech_help', platform: 'slack', channelId: 'C0STAFF' } });
    await prisma.presenceEvent.create({ data: { organizationId: seed.organizationId, platform: 'zoom', dedupeKey: `k-${seed.organizationId}`, kind: 'joined', occurredAt: now, meetingId: '1' } });
    const staff = await prisma.staffAccount.create({ data: { organizationId: seed.organizationId, name: 'Dana Admin', role: 'admin', status: 'active', slackUserId: 'U0ADMIN' } });
    await prisma.programAssignment.create({ data: { programId: seed.programId, staffAccountId: staff.id } });
  }
});

afterAll(async () => {
  await app?.stop();
});

/** Every table with an organizationId column, read from the catalog: a table added later is checked too. */
async function rowsPerTable(prisma: Db, organizationId: string): Promise<Record<string, number>> {
  const tables = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'organizationId' ORDER BY table_name`;
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table_name}" WHERE "organizationId" = $1::uuid`, organizationId);
    counts[table_name] = Number(row!.n);
  }
  const [org] = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "Organization" WHERE id = ${organizationId}::uuid`;
  counts.Organization = Number(org!.n);
  const [assignments] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "ProgramAssignment" a JOIN "StaffAccount" s ON s.id = a."staffAccountId" WHERE s."organizationId" = ${organizationId}::uuid`;
  counts.ProgramAssignment = Number(assignments!.n);
  return counts;
}

/** A signed-in session of a staff account with a role (what Slack/Microsoft/Zoom sign-in will create). */
async function signInAs(organizationId: string, role: 'owner' | 'admin' | 'facilitator' | 'viewer') {
  const prisma = app.database.prisma;
  const account = await prisma.staffAccount.create({ data: { organizationId, name: `Someone ${role}`, role, status: 'active' } });
  const token = randomBytes(32).toString('base64url');
  await prisma.staffSignIn.create({
    data: { organizationId, staffAccountId: account.id, tokenHash: hashToken(token), method: 'slack', actor: `staff:${account.id}`, expiresAt: new Date(Date.now() + 3_600_000) },
  });
  return { cookie: `rollcall_session=${token}`, csrf: csrfTokenFor(token) };
}

const post = (path: string, session: { cookie: string }, form: Record<string, string>) =>
  fetch(`${app.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

describe('exporting a clinic', () => {
  it("downloads the owner's clinic as a zip of CSVs and JSON with only its rows and no secrets, and audits it", async () => {
    const owner = await signInOverHttp(app.url, maple.token);
    const response = await post('/settings/leaving/export', owner, { _csrf: owner.csrf });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="rollcall-clinic-\d{4}-\d{2}-\d{2}\.zip"$/);
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { organizationId: string; files: { file: string; rows: number }[] };
    expect(manifest.organizationId).toBe(maple.organizationId);
    expect(JSON.parse(strFromU8(files['organization.json']!))).toMatchObject({ id: maple.organizationId, name: 'Maple Clinic' });
    for (const name of ['Participant.csv', 'Attendance.csv', 'Session.csv', 'Program.csv', 'AuditLog.csv', 'StaffAccount.csv', 'ProgramAssignment.csv', 'Installation.csv', 'ApiToken.csv', 'PresenceEvent.csv']) {
      expect(Object.keys(files)).toContain(name);
    }
    const participants = parseCsv(strFromU8(files['Participant.csv']!));
    const header = participants[0]!;
    const rows = participants.slice(1);
    expect(rows).toHaveLength(Object.keys(maple.participants).length);
    expect(new Set(rows.map((r) => r[header.indexOf('organizationId')]))).toEqual(new Set([maple.organizationId]));
    expect(rows.map((r) => r[header.indexOf('name')]).sort()).toEqual(Object.keys(maple.participants).sort());
    const attendance = parseCsv(strFromU8(files['Attendance.csv']!));
    expect(attendance.length - 1).toBe(manifest.files.find((f) => f.file === 'Attendance.csv')!.rows);
    expect(attendance.length - 1).toBeGreaterThan(0);
    const assignments = parseCsv(strFromU8(files['ProgramAssignment.csv']!));
    expect(assignments.slice(1).map((r) => r[assignments[0]!.indexOf('programId')])).toEqual([maple.programId]);
    // Nothing of the other clinic, no secret anywhere.
    const everything = Object.values(files).map((f) => strFromU8(f)).join('\n');
    expect(everything).not.toContain(birch.organizationId);
    for (const id of Object.values(birch.participants)) expect(everything).not.toContain(id);
    expect(everything).not.toContain('sealed-secret-tokens');
    expect(everything).not.toContain(hashToken(maple.token));
    expect(parseCsv(strFromU8(files['Installation.csv']!))[0]).not.toContain('encryptedTokens');
    expect(parseCsv(strFromU8(files['ApiToken.csv']!))[0]).not.toContain('tokenHash');
    const audit = await app.database.prisma.auditLog.findFirst({ where: { organizationId: maple.organizationId, action: 'organization.export' } });
    expect(audit).toMatchObject({ entityId: maple.organizationId, actor: 'dashboard:admin_token:seed' });
  });

  it('is refused to anyone but an owner, and to a form without the CSRF token', async () => {
    const admin = await signInAs(maple.organizationId, 'admin');
    expect((await post('/settings/leaving/export', admin, { _csrf: admin.csrf })).status).toBe(403);
    expect((await fetch(`${app.url}/settings/leaving`, { headers: { cookie: admin.cookie } })).status).toBe(403);
    const owner = await signInAs(maple.organizationId, 'owner');
    expect((await post('/settings/leaving/export', owner, { _csrf: 'forged' })).status).toBe(403);
    expect((await post('/settings/leaving/export', owner, { _csrf: owner.csrf })).status).toBe(200);
  });
});

describe('deleting a clinic', () => {
  it("keeps everything when the typed name is not the clinic's", async () => {
    const owner = await signInAs(birch.organizationId, 'owner');
    const before = await rowsPerTable(app.database.prisma, birch.organizationId);
    const response = await post('/settings/leaving/delete', owner, { _csrf: owner.csrf, confirmName: 'birch clinic' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("That is not the clinic&#39;s name");
    expect(await rowsPerTable(app.database.prisma, birch.organizationId)).toEqual(before);
    const admin = await signInAs(birch.organizationId, 'admin');
    expect((await post('/settings/leaving/delete', admin, { _csrf: admin.csrf, confirmName: 'Birch Clinic' })).status).toBe(403);
  });

  it('removes every row of the clinic, in every table, and nothing of another clinic', async () => {
    const prisma = app.database.prisma;
    const mapleBefore = await rowsPerTable(prisma, maple.organizationId);
    const birchBefore = await rowsPerTable(prisma, birch.organizationId);
    expect(birchBefore.Participant).toBeGreaterThan(0);
    expect(birchBefore.AuditLog).toBeGreaterThan(0);
    expect(birchBefore.PresenceEvent).toBeGreaterThan(0);
    expect(birchBefore.ProgramAssignment).toBeGreaterThan(0);
    const owner = await signInAs(birch.organizationId, 'owner');
    const page = await fetch(`${app.url}/settings/leaving`, { headers: { cookie: owner.cookie } });
    const pageText = await page.text();
    expect(pageText).toContain("Type the clinic's name, <strong>Birch Clinic</strong>, to confirm");
    expect(pageText).toContain('Still installed: Slack.');
    // Not while a platform is still installed: its deliveries would have no clinic to go to.
    const withOwner = await rowsPerTable(prisma, birch.organizationId);
    const refused = await post('/settings/leaving/delete', owner, { _csrf: owner.csrf, confirmName: 'Birch Clinic' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Rollcall is still installed for this clinic.');
    expect(await rowsPerTable(prisma, birch.organizationId)).toEqual(withOwner);
    // Slack's app_uninstalled removes the tokens (src/platforms/slack/installation-store.ts).
    await prisma.installation.updateMany({ where: { organizationId: birch.organizationId, platform: 'slack' }, data: { encryptedTokens: null } });
    const response = await post('/settings/leaving/delete', owner, { _csrf: owner.csrf, confirmName: ' Birch Clinic ' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/?clinic_deleted=1');
    const after = await rowsPerTable(prisma, birch.organizationId);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    expect(await rowsPerTable(prisma, maple.organizationId)).toEqual(mapleBefore);
    // The session went with the clinic.
    const again = await fetch(`${app.url}/settings/leaving`, { redirect: 'manual', headers: { cookie: owner.cookie } });
    expect(again.status).toBe(303);
    expect(await (await fetch(`${app.url}/?clinic_deleted=1`)).text()).toContain('Your clinic and all of its data have been deleted.');
  });

  it("never deletes the deployment's first organization", async () => {
    const admin = await signInOverHttp(app.url, TEST_ADMIN_TOKEN);
    const page = await (await fetch(`${app.url}/settings/leaving`, { headers: { cookie: admin.cookie } })).text();
    expect(page).toContain('This is the first clinic of this Rollcall');
    expect(page).not.toContain('action="/settings/leaving/delete"');
    const name = (await app.database.prisma.organization.findUniqueOrThrow({ where: { id: app.organizationId } })).name;
    const response = await post('/settings/leaving/delete', admin, { _csrf: admin.csrf, confirmName: name });
    expect(response.status).toBe(409);
    expect(await app.database.prisma.organization.count({ where: { id: app.organizationId } })).toBe(1);
  });
});

describe('the public face', () => {
  it('shows the landing page signed out and Today signed in, and serves the legal pages and the favicon', async () => {
    const landing = await fetch(`${app.url}/`);
    expect(landing.status).toBe(200);
    const html = await landing.text();
    expect(html).toContain('Attendance for virtual group programs');
    expect(html).toContain('href="/sign-in">Sign in with the admin token</a>');
    expect(landing.headers.get('content-security-policy')).toContain("script-src 'self'");
    const owner = await signInOverHttp(app.url, maple.token);
    expect(await (await fetch(`${app.url}/`, { headers: { cookie: owner.cookie } })).text()).toContain('<h1>Today</h1>');
    for (const [path, heading] of [['/privacy', 'Privacy policy'], ['/terms', 'Terms of use'], ['/support', 'Support']] as const) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(`<h1>${heading}</h1>`);
    }
    const favicon = await fetch(`${app.url}/favicon.ico`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await favicon.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
  });
});
