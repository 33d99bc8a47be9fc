import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations } from '../support/accessibility.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { seedClinic, type Seed } from '../support/dashboard-seed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { setSmsConsent } from '../../src/services/sms-consent.js';
import { writeAudit } from '../../src/services/audit.js';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

let app: TestApp;
let browser: Browser;
let seed: Seed;
let caseyId: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ platforms: [] }), launchBrowser()]);
  const prisma = app.database.prisma;
  seed = await seedClinic(prisma, new Date());
  caseyId = seed.participants['Casey Morgan, Jr.']!;
  // What the page has beyond the shared seed: a planned session, a phone that stopped texts, a proposal, a note.
  const startsAt = new Date(Date.now() + 2 * 86_400_000);
  await prisma.session.create({ data: { organizationId: seed.organizationId, programId: seed.programId, startsAt, endsAt: new Date(startsAt.getTime() + 180 * 60_000), meetingPlatform: 'zoom', meetingId: '85512345678' } });
  await prisma.participant.update({ where: { id: caseyId }, data: { phone: '+14155550123' } });
  await setSmsConsent(prisma, { organizationId: seed.organizationId, participantId: caseyId, consent: true, source: 'intake_form', actor: 'system', at: new Date(Date.now() - 5 * 86_400_000) });
  await setSmsConsent(prisma, { organizationId: seed.organizationId, participantId: caseyId, consent: false, source: 'stop_keyword', actor: `sms:${caseyId}`, at: new Date(Date.now() - 86_400_000) });
  await writeAudit(prisma, { organizationId: seed.organizationId, actor: 'system', action: 'follow_up.propose', entityType: 'FollowUp', entityId: seed.followUpId, data: { kind: 'outreach', rule: 'ladder:1', participantId: caseyId } });
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
    await saveScreenshot(page, `participant-${name}-${viewport.name}`);
    expect(await accessibilityViolations(page), `${name} at ${viewport.width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('the participant page in a browser', () => {
  it('reads in words at desktop and phone sizes, and takes a note and an id from its forms', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().includes('status of 409') && errors.push(m.text()));
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Admin token').fill(seed.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/`);

    await page.goto(`${app.url}/participants/${caseyId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Casey Morgan, Jr.');
    const comingUp = page.locator('section[aria-labelledby="coming-heading"] li');
    expect(await comingUp.count()).toBe(1);
    expect(await page.locator('section[aria-labelledby="history-heading"] tbody tr').count()).toBe(5);
    expect(await page.getByText('Stopped texts on').textContent()).toContain('by replying STOP');
    expect(await page.getByText('+1 415 555 0123').count()).toBeGreaterThan(0);
    expect(await page.getByText('Rollcall proposed outreach (1 strike)').count()).toBe(1);
    expect(await page.getByText('Casey Morgan, Jr. stopped texts by replying STOP').count()).toBe(1);
    await checkPage(page, 'record');

    // A note, from the form.
    await page.getByRole('textbox', { name: 'Note', exact: true }).fill('Prefers a call after 5 pm.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('status').filter({ hasText: 'Note added.' }).waitFor();
    expect(await page.locator('.notes .note-text').first().textContent()).toBe('Prefers a call after 5 pm.');

    // An id the participant already has: refused on its field, then a new one added.
    await page.getByLabel('Platform').selectOption('zoom');
    await page.getByLabel('Kind of id').selectOption('email');
    await page.getByLabel('Id, email or name').fill('casey@example.org');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByLabel('Id, email or name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#identity-value-error').textContent()).toBe('They already have this id.');
    await checkPage(page, 'identity-refused');
    await page.getByLabel('Kind of id').selectOption('account');
    await page.getByLabel('Id, email or name').fill('zoomCasey01');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Id added.' }).waitFor();
    expect(await page.getByText('Zoom account id: zoomCasey01').count()).toBe(1);
    expect(await app.database.prisma.identity.count({ where: { participantId: caseyId, value: 'zoomCasey01' } })).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
    // Four axe runs and two form round trips: more than the default on a loaded machine.
  }, 120_000);
});
