import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { accessibilityViolations } from '../support/accessibility.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { seedClinic } from '../support/dashboard-seed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([
    // Every platform configured: the landing page shows all its buttons.
    startTestApp({
      env: {
        SLACK_CLIENT_ID: '111.222',
        SLACK_CLIENT_SECRET: 'slack-client-secret',
        SLACK_STATE_SECRET: 'slack-state-secret',
        SLACK_SIGNING_SECRET: 'slack-signing-secret',
        ZOOM_CLIENT_ID: 'zoom-client',
        ZOOM_CLIENT_SECRET: 'zoom-client-secret',
        OPERATOR_NAME: 'Example Health IT',
        SUPPORT_EMAIL: 'support@example.org',
      },
      platforms: [],
    }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the public pages in a browser', () => {
  for (const viewport of VIEWPORTS) {
    it(`shows the landing page and the legal pages on a ${viewport.name}, without accessibility violations`, async () => {
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, bypassCSP: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${app.url}/`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Rollcall');
      for (const name of ['Add to Slack', 'Add to Zoom', 'Sign in with Slack', 'Sign in with Zoom', 'Sign in with the admin token']) {
        expect(await page.getByRole('link', { name }).count()).toBe(1);
      }
      expect(await page.getByRole('link', { name: 'Add to Teams' }).count()).toBe(0);
      // Nothing wider than the screen.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
      await saveScreenshot(page, `landing-${viewport.name}`);
      expect(await accessibilityViolations(page)).toEqual([]);
      for (const [path, heading] of [['/privacy', 'Privacy policy'], ['/terms', 'Terms of use'], ['/support', 'Support']] as const) {
        await page.goto(`${app.url}${path}`);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
        expect(await page.getByText('Example Health IT').count()).toBeGreaterThan(0);
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
        await saveScreenshot(page, `${path.slice(1)}-${viewport.name}`);
        expect(await accessibilityViolations(page)).toEqual([]);
      }
      // The favicon answers (no console 404).
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("shows an owner the Leaving page, refuses a wrong name on its field, and deletes the clinic", async () => {
    const seed = await seedClinic(app.database.prisma, new Date(), { name: 'Willow Clinic' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Admin token').fill(seed.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/`);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: "Export this clinic's record or delete the clinic" }).click();
    await page.waitForURL(`${app.url}/settings/leaving`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: "Download the clinic's record (zip)" }).click();
    expect((await download).suggestedFilename()).toMatch(/^rollcall-clinic-\d{4}-\d{2}-\d{2}\.zip$/);
    await page.getByLabel(/Type the clinic's name/).fill('Willow');
    await page.getByRole('button', { name: 'Delete Willow Clinic and all its data' }).click();
    await expect.poll(() => page.getByLabel(/Type the clinic's name/).getAttribute('aria-invalid')).toBe('true');
    await saveScreenshot(page, 'leaving-wrong-name');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel(/Type the clinic's name/).fill('Willow Clinic');
    await page.getByRole('button', { name: 'Delete Willow Clinic and all its data' }).click();
    await page.getByText('Your clinic and all of its data have been deleted.').waitFor();
    expect(await app.database.prisma.organization.count({ where: { id: seed.organizationId } })).toBe(0);
    await context.close();
  });
});
