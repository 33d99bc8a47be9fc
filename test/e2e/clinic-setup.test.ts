import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations } from '../support/accessibility.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';

const CSV = new URL('../fixtures/dashboard/participants.csv', import.meta.url);
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ platforms: [] }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The page at both sizes: a screenshot of each, nothing wider than a phone, no axe violation. */
async function checkPage(page: Page, name: string): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    expect(await page.evaluate('document.documentElement.scrollWidth'), `${name} at ${viewport.width} px`).toBeLessThanOrEqual(viewport.width);
    await saveScreenshot(page, `setup-${name}-${viewport.name}`);
  }
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('setting up a clinic in the browser, from an empty database', () => {
  it('adds a program, its schedule, eight participants from a CSV and one by hand, through the dashboard alone', async () => {
    const prisma = app.database.prisma;
    const organizationId = app.organizationId;
    expect(await prisma.program.count({ where: { organizationId } })).toBe(0);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    // A refused form answers 400 by design (the browser logs that); anything else is a fault.
    page.on('console', (m) => m.type() === 'error' && !m.text().includes('status of 400') && errors.push(m.text()));

    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Programs' }).click();
    await page.getByRole('heading', { name: 'Set up your clinic' }).waitFor();
    await checkPage(page, 'programs-empty');

    // A program: a refused form first, its error on the field.
    await page.getByRole('button', { name: 'Add program' }).click();
    await expect.poll(() => page.getByLabel('Channel id').getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'add-program-errors');
    await page.getByLabel('Name').fill('Adult IOP – Evening');
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByLabel('Platform').selectOption('slack');
    await page.getByLabel('Channel id').fill('C0STAFF');
    await page.getByRole('button', { name: 'Add program' }).click();
    await page.getByRole('heading', { name: 'Schedule: Adult IOP – Evening' }).waitFor();

    // Its schedule: Monday, Wednesday and Thursday evenings on one Zoom meeting.
    for (const day of ['Monday', 'Wednesday', 'Thursday']) await page.getByLabel(day).check();
    await page.getByLabel('Start time').first().fill('18:00');
    await page.getByLabel('Length in minutes').first().fill('180');
    await page.getByLabel('Meeting id').first().fill('85512345678');
    await page.getByRole('button', { name: 'Add schedule' }).click();
    await page.getByText('Every Monday, Wednesday and Thursday, 18:00 to 21:00 (3 h)').waitFor();
    const planned = await page.locator('.upcoming li').count();
    expect(planned).toBeGreaterThan(3);
    await checkPage(page, 'schedule');
    // A holiday: the first one cancelled.
    await page.locator('.upcoming li').first().getByRole('button', { name: /^Cancel/ }).click();
    await page.getByText('Session cancelled.').waitFor();
    expect(await page.locator('.upcoming li').count()).toBe(planned - 1);

    // Eight participants from a CSV: previewed, then imported.
    await page.getByRole('link', { name: 'Import participants' }).click();
    await page.getByRole('heading', { name: /Import participants into/ }).waitFor();
    await checkPage(page, 'import');
    await page.getByLabel('CSV file').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('name,email,enrolled_on\nAvery Stone,not-an-email,2026-11-02\n,x@example.org,\n') });
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('Nothing was imported: 2 rows need a change.').waitFor();
    expect(await page.locator('tr[data-line="2"] .row-errors').textContent()).toContain('Email: Not an email address.');
    await checkPage(page, 'import-errors');
    await page.getByLabel('CSV file').setInputFiles(CSV.pathname);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('Every row can be imported.').waitFor();
    await checkPage(page, 'import-preview');
    expect(await prisma.participant.count({ where: { organizationId } })).toBe(0);
    await page.getByRole('button', { name: 'Import 8 participants' }).click();
    await page.getByText('8 participants imported.').waitFor();
    expect(await prisma.enrollment.count({ where: { organizationId, status: 'active' } })).toBe(8);

    // One by hand.
    await page.getByRole('link', { name: 'Add participant' }).click();
    await page.getByRole('heading', { name: /Add participant to/ }).waitFor();
    await checkPage(page, 'add-participant');
    await page.getByLabel('Name').fill('Jordan Lee');
    await page.getByLabel('Email').fill('jordan@example.org');
    await page.getByLabel('Slack member id').fill('U0JORDAN');
    await page.getByRole('button', { name: 'Add participant' }).click();
    await page.getByText('Participant added.').waitFor();
    await checkPage(page, 'participant');

    const people = await prisma.participant.findMany({ where: { organizationId }, include: { enrollments: true } });
    expect(people).toHaveLength(9);
    expect(people.every((p) => p.enrollments.length === 1)).toBe(true);
    expect(await prisma.auditLog.count({ where: { organizationId, action: { in: ['program.create', 'schedule.create', 'participant.import', 'participant.enroll'] } } })).toBe(1 + 1 + 1 + 9);

    // The clinic's name and a crisis contact, from the checklist's link to Settings.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Programs' }).click();
    await page.getByText('3 of 6 steps done.').waitFor();
    await page.getByRole('link', { name: 'Name the clinic' }).click();
    await page.getByLabel('Clinic name').fill('Maple Clinic');
    await page.getByLabel('Contact 1: who').fill('On-call clinician');
    await page.getByLabel('Contact 1: phone').fill('+1 555 0100');
    await page.getByRole('button', { name: 'Save clinic' }).click();
    await page.getByText('Clinic saved.').waitFor();
    await checkPage(page, 'settings');

    // What is left: connecting a chat platform.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Programs' }).click();
    await page.getByText('5 of 6 steps done.').waitFor();
    await checkPage(page, 'programs');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
