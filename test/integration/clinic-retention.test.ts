import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../../src/services/leaving/inactivity.js';
import { seedClinic, type Seed } from '../support/dashboard-seed.js';
import { signInOverHttp } from '../support/dashboard-sign-in.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;
let app: TestApp;
let clinic: Seed;
let installationId: string;
const log = pino({ level: 'silent' });
const run = (now: Date) => runRetention({ prisma: app.database.prisma, log, retentionDays: 30 }, now);

beforeAll(async () => {
  app = await startTestApp();
  clinic = await seedClinic(app.database.prisma, new Date(), { name: 'Cedar Clinic' });
  installationId = (await app.database.prisma.installation.create({ data: { organizationId: clinic.organizationId, platform: 'slack', externalId: 'TCEDAR', encryptedTokens: 'sealed' } })).id;
});

afterAll(async () => {
  await app?.stop();
});

const organization = () => app.database.prisma.organization.findUnique({ where: { id: clinic.organizationId } });
const uninstall = () => app.database.prisma.installation.update({ where: { id: installationId }, data: { encryptedTokens: null } });
const reinstall = () => app.database.prisma.installation.update({ where: { id: installationId }, data: { encryptedTokens: 'sealed-again' } });
const actions = async () => (await app.database.prisma.auditLog.findMany({ where: { organizationId: clinic.organizationId, action: { startsWith: 'organization.deletion' } }, orderBy: { createdAt: 'asc' } })).map((a) => a.action);

describe('a clinic with no platform installed', () => {
  it('is the daily job of pg-boss', async () => {
    const rows = await app.database.prisma.$queryRaw<{ name: string; cron: string }[]>`SELECT name, cron FROM pgboss.schedule WHERE name = 'organizations.retention'`;
    expect(rows).toEqual([{ name: 'organizations.retention', cron: '23 3 * * *' }]);
  });

  it('is left alone while a platform is installed, and the first organization is never counted down', async () => {
    const t0 = new Date();
    expect(await run(t0)).toEqual({ started: [], cancelled: [], warned: [], deleted: [] });
    expect((await organization())!.platformsGoneAt).toBeNull();
    expect((await app.database.prisma.organization.findUnique({ where: { id: app.organizationId } }))!.platformsGoneAt).toBeNull();
  });

  it('is warned 7 days and 1 day before, shown a banner, and a reinstall cancels the countdown', async () => {
    await uninstall();
    const t0 = new Date();
    expect((await run(t0)).started).toEqual([clinic.organizationId]);
    expect((await organization())!.platformsGoneAt).toEqual(t0);
    // The banner, on every signed-in page: Today, Programs, Follow-ups, the Leaving page.
    const owner = await signInOverHttp(app.url, clinic.token);
    const today = await (await fetch(`${app.url}/`, { headers: { cookie: owner.cookie } })).text();
    expect(today).toContain('Rollcall is not installed on any platform for this clinic.');
    expect(today).toMatch(/will be deleted on .+ \(in 30 days\)/);
    for (const page of ['/programs', '/follow-ups', '/settings/leaving']) {
      const text = await (await fetch(`${app.url}${page}`, { headers: { cookie: owner.cookie } })).text();
      expect({ page, banner: (text.match(/Rollcall is not installed on any platform/g) ?? []).length, days: text.includes('(in 30 days)') }).toEqual({ page, banner: 1, days: true });
    }

    expect(await run(new Date(t0.getTime() + 20 * DAY))).toEqual({ started: [], cancelled: [], warned: [], deleted: [] });
    expect((await run(new Date(t0.getTime() + 23 * DAY))).warned).toEqual([{ organizationId: clinic.organizationId, days: 7 }]);
    expect((await run(new Date(t0.getTime() + 24 * DAY))).warned).toEqual([]);
    expect((await run(new Date(t0.getTime() + 29.5 * DAY))).warned).toEqual([{ organizationId: clinic.organizationId, days: 1 }]);
    expect((await organization())!.deletionWarnedDays).toBe(1);

    await reinstall();
    expect((await run(new Date(t0.getTime() + 29.9 * DAY))).cancelled).toEqual([clinic.organizationId]);
    expect(await organization()).toMatchObject({ platformsGoneAt: null, deletionWarnedDays: null });
    expect((await run(new Date(t0.getTime() + 31 * DAY))).deleted).toEqual([]);
    expect(await actions()).toEqual(['organization.deletion_scheduled', 'organization.deletion_warned', 'organization.deletion_warned', 'organization.deletion_cancelled']);
    const banner = await (await fetch(`${app.url}/`, { headers: { cookie: owner.cookie } })).text();
    expect(banner).not.toContain('Rollcall is not installed on any platform');
  });

  it('is deleted with every row once the retention period has passed, and nothing else is', async () => {
    const prisma = app.database.prisma;
    const other = await seedClinic(prisma, new Date(), { name: 'Oak Clinic' });
    await prisma.installation.create({ data: { organizationId: other.organizationId, platform: 'zoom', externalId: 'hmac1:oak', encryptedTokens: 'sealed' } });
    const otherParticipants = await prisma.participant.count({ where: { organizationId: other.organizationId } });
    const firstParticipants = await prisma.participant.count({ where: { organizationId: app.organizationId } });
    await uninstall();
    const t1 = new Date(Date.now() + 40 * DAY);
    expect((await run(t1)).started).toEqual([clinic.organizationId]);
    expect((await run(new Date(t1.getTime() + 30 * DAY - 1000))).deleted).toEqual([]);
    expect((await run(new Date(t1.getTime() + 30 * DAY))).deleted).toEqual([clinic.organizationId]);
    expect(await organization()).toBeNull();
    for (const table of ['participant', 'attendance', 'session', 'program', 'auditLog', 'apiToken', 'installation'] as const) {
      expect(await (prisma[table] as unknown as { count(a: object): Promise<number> }).count({ where: { organizationId: clinic.organizationId } })).toBe(0);
    }
    expect(await prisma.participant.count({ where: { organizationId: other.organizationId } })).toBe(otherParticipants);
    expect(await prisma.participant.count({ where: { organizationId: app.organizationId } })).toBe(firstParticipants);
    expect(await prisma.organization.count({ where: { id: app.organizationId } })).toBe(1);
  });
});
