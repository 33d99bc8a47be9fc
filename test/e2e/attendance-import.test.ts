import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { accessibilityViolations } from '../support/accessibility.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/reports/${name}`, import.meta.url));

let app: TestApp;
let browser: Browser;
let programId: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ platforms: [] }), launchBrowser()]);
  programId = (await app.api('POST', '/api/v1/programs', { name: 'Adult IOP', timezone: 'America/New_York', alertChannel: { platform: 'slack', channelId: 'C0STAFF' } })).body.id;
  for (const name of ['Jordan Lee', 'Sam Rivera', 'Casey Morgan']) await app.api('POST', `/api/v1/programs/${programId}/participants`, { name, enrolledAt: '2026-11-01T00:00:00-04:00' });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('Import attendance in a browser', () => {
  for (const viewport of [
    { name: 'desktop', width: 1280, height: 800 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    it(`uploads two reports and shows what each will do on a ${viewport.name}, accessibly and without sideways scrolling`, async () => {
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${app.url}/sign-in`);
      await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${app.url}/`);
      await page.goto(`${app.url}/programs/${programId}`);
      await page.getByRole('link', { name: 'Import attendance' }).click({ timeout: 5000 });
      await page.getByRole('heading', { name: 'Import attendance' }).waitFor({ timeout: 5000 });
      expect(await accessibilityViolations(page)).toEqual([]);
      await saveScreenshot(page, `attendance-import-${viewport.name}`);
      await page.getByLabel(/Report files/).setInputFiles([fixture('zoom-participants.csv'), fixture('teams-attendance.csv')]);
      await page.getByRole('button', { name: 'Preview' }).click({ timeout: 5000 });
      await expect.poll(() => page.getByRole('heading', { name: 'What will be imported' }).count()).toBe(1);
      expect(await page.locator('main').textContent()).toContain('2 reports: 2 new sessions');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
      await saveScreenshot(page, `attendance-import-preview-${viewport.name}`);
      await context.close();
    });
  }
});
