import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { resolvePolicy } from '../../src/core/policy.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { parseCsv, SEED_PATTERN, seedClinic, type Seed } from '../support/dashboard-seed.js';
import { minutesAgo, webhookZoomAccountFor } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';

let app: TestApp;
let seed: Seed;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let liveSessionId: string;
let otherParticipantId: string;
/** The seeded clinic's Zoom account: its deliveries reach only that clinic. */
let zoomAccount: string;
const LIVE_MEETING = '85599990001';

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  seed = await seedClinic(app.database.prisma, new Date());
  zoomAccount = await webhookZoomAccountFor(app, seed.organizationId);
  // A session running now, made through the admin API so the engine evaluates it.
  const created = await fetch(`${app.url}/api/v1/programs/${seed.programId}/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${seed.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ startsAt: minutesAgo(2).toISOString(), endsAt: new Date(Date.now() + 60 * 60_000).toISOString(), meeting: { platform: 'zoom', meetingId: LIVE_MEETING } }),
  });
  liveSessionId = ((await created.json()) as { id: string }).id;
  // Someone of another clinic (the admin token's own).
  const other = await app.database.prisma.participant.create({ data: { organizationId: app.organizationId, name: 'Someone Else' } });
  otherParticipantId = other.id;
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const url = (path: string) => `${app.url}${path}`;

describe('the staff dashboard in a browser', () => {
  it('signs in with the admin token, refusing a wrong one on its field', async () => {
    await page.goto(url('/'));
    await page.getByRole('link', { name: 'Sign in with the admin token' }).click();
    await page.waitForURL((u) => u.pathname === '/sign-in');
    await saveScreenshot(page, 'sign-in');
    await page.getByLabel('Admin token').fill('not-a-real-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByLabel('Admin token').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#token-error').textContent()).toContain('not valid');
    await page.getByLabel('Admin token').fill(seed.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/'));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Today');
    const cookie = (await context.cookies()).find((c) => c.name === 'rollcall_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it('updates Today when presence arrives, without a reload', async () => {
    const row = page.locator(`[data-session-id="${liveSessionId}"] tr[data-participant-id="${seed.participants['Avery Stone']}"]`);
    await row.waitFor();
    expect(await row.locator('.status').textContent()).toBe('Expected');
    await page.waitForSelector('#board[data-live="connected"]');
    // A marker on the page's window: a reload would lose it.
    await page.evaluate('window.notReloaded = true');
    const joined = zoomDelivery('participant-joined', {
      meetingId: LIVE_MEETING,
      accountId: zoomAccount,
      at: new Date(Math.floor(Date.now() / 1000) * 1000),
      person: { user_name: 'Avery S', participant_uuid: 'UUID-AVERY-1', email: 'avery@example.org' },
    });
    expect((await postZoom(app.url, joined)).status).toBe(200);
    await expect.poll(() => row.locator('.status').textContent(), { timeout: 10_000 }).toBe('Present');
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    await saveScreenshot(page, 'today');
  });

  it('shows the seeded statuses in the program grid, in words as well as colour', async () => {
    await page.goto(url('/programs'));
    await saveScreenshot(page, 'programs');
    await page.getByRole('link', { name: 'Adult IOP – Evening' }).click();
    await page.waitForURL(url(`/programs/${seed.programId}`));
    const words: Record<string, string> = { p: 'Present', l: 'Late', n: 'No-show', e: 'Excused', s: 'Excused' };
    for (const [name, pattern] of Object.entries(SEED_PATTERN)) {
      // Newest session first on the page: read the seeded sessions' cells in the seed's (oldest first) order.
      const row = page.locator(`tr[data-participant-id="${seed.participants[name]}"]`);
      const texts = await Promise.all(seed.sessionIds.slice(0, 5).map((id) => row.locator(`td[data-session-id="${id}"] .status`).textContent().then((t) => t ?? '')));
      expect(texts.map((t) => t.replace(/ \(staff.*$/, ''))).toEqual([...pattern].map((letter) => words[letter]));
    }
    // The staff decision says what was detected.
    expect(await page.locator(`tr[data-participant-id="${seed.participants['Casey Morgan, Jr.']}"] .staff-set`).first().textContent()).toContain('detected No-show');
    // Strikes: Casey's two unexcused no-shows (the staff-excused one does not count).
    expect(await page.locator(`tr[data-participant-id="${seed.participants['Casey Morgan, Jr.']}"] td.num`).textContent()).toBe('2');
    expect(await page.locator('svg[role="img"]').count()).toBe(2);
    await saveScreenshot(page, 'program');
    await page.locator('.table-scroll').first().screenshot({ path: 'test-results/screenshots/grid.png' });
  });

  it('downloads a CSV that matches the database', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^attendance-adult-iop-evening-.*\.csv$/);
    const [header, ...records] = parseCsv(await readFile((await download.path())!, 'utf8'));
    const col = (name: string) => header!.indexOf(name);
    const sessionRecords = records.filter((r) => r[col('record')] === 'session');
    const stored = await app.database.prisma.attendance.findMany({ where: { organizationId: seed.organizationId, sessionId: { in: seed.sessionIds } } });
    expect(stored).toHaveLength(15);
    for (const row of stored) {
      const record = sessionRecords.find((r) => r[col('session_id')] === row.sessionId && r[col('participant_id')] === row.participantId);
      expect(record, `${row.sessionId}/${row.participantId}`).toBeDefined();
      expect(record![col('present_minutes')]).toBe(String(row.minutesPresent));
      expect(record![col('detected_status')]).toBe(row.status);
      expect(record![col('staff_status')]).toBe(row.overrideStatus ?? '');
      expect(record![col('status')]).toBe(row.overrideStatus ?? row.status);
    }
    expect(records.some((r) => r[col('record')] === 'week' && r[col('required_minutes')] === '540')).toBe(true);
  });

  it('shows a participant timeline and a printable summary', async () => {
    const caseyId = seed.participants['Casey Morgan, Jr.']!;
    await page.goto(url(`/participants/${caseyId}`));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Casey Morgan, Jr.');
    expect(await page.getByText('absence reported: transport, excused').count()).toBe(1);
    expect(await page.getByText(/Someone on Slack changed the record on \w{3} \d{1,2} \w{3} to Excused/).count()).toBe(1);
    await saveScreenshot(page, 'participant');
    await page.getByRole('link', { name: 'Printable attendance summary' }).click();
    await page.waitForURL(/\/summary/);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav').isVisible()).toBe(false);
    await saveScreenshot(page, 'summary-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('works the follow-up queue', async () => {
    const reyes = await app.database.prisma.staffAccount.create({ data: { organizationId: seed.organizationId, name: 'Dr. Reyes', role: 'facilitator', status: 'active' } });
    await page.goto(url('/follow-ups'));
    const row = page.locator(`li[data-follow-up-id="${seed.followUpId}"]`);
    await row.getByLabel('Assign to').selectOption({ label: 'Dr. Reyes' });
    await row.getByRole('button', { name: /^Assign/ }).click();
    await page.getByText('Follow-up assigned.').waitFor();
    expect(await row.locator('[data-assignee]').textContent()).toBe('Dr. Reyes');
    await saveScreenshot(page, 'follow-ups');
    await row.getByRole('button', { name: /^Dismiss/ }).click();
    await page.getByText('Follow-up dismissed.').waitFor();
    expect(await row.count()).toBe(0);
    expect(await app.database.prisma.followUp.findUniqueOrThrow({ where: { id: seed.followUpId } })).toMatchObject({ state: 'dismissed', assignee: `staff:${reyes.id}` });
  });

  it('round-trips a policy edit and shows a bad value on its field', async () => {
    await page.goto(url(`/programs/${seed.programId}/settings`));
    await page.getByLabel('Weekly hours required').fill('7.5');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved.').waitFor();
    expect(await page.getByLabel('Weekly hours required').inputValue()).toBe('7.5');
    const stored = await app.database.prisma.program.findUniqueOrThrow({ where: { id: seed.programId } });
    expect(resolvePolicy(stored.policy).weeklyHoursRequired).toBe(7.5);
    await saveScreenshot(page, 'settings');

    await page.getByLabel('Late after minutes').fill('500');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('alert').waitFor();
    const field = page.getByLabel('Late after minutes');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#policy-lateAfterMinutes-error').textContent()).toMatch(/240/);
    expect(await field.inputValue()).toBe('500');
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);
    const after = await app.database.prisma.program.findUniqueOrThrow({ where: { id: seed.programId } });
    expect(resolvePolicy(after.policy).lateAfterMinutes).toBe(5);
    await saveScreenshot(page, 'settings-error');
  });

  it("answers 404 for another organization's participant", async () => {
    const response = await page.goto(url(`/participants/${otherParticipantId}`));
    expect(response!.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not found');
    expect(await page.content()).not.toContain('Someone Else');
    await saveScreenshot(page, 'not-found');
  });

  it('fits a tablet width and starts keyboard navigation at the skip link', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    for (const [name, path] of [
      ['today-768', '/'],
      ['program-768', `/programs/${seed.programId}`],
    ] as const) {
      await page.goto(url(path));
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
      await saveScreenshot(page, name);
    }
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs out, and the old session no longer opens a page', async () => {
    await page.goto(url('/'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    const sessions = await app.database.prisma.staffSignIn.findMany({ where: { organizationId: seed.organizationId } });
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
    await page.goto(url(`/programs/${seed.programId}`));
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
