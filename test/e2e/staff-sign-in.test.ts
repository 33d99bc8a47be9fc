import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { seedClinic, type Seed } from '../support/dashboard-seed.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOpenIdPerson } from '../support/fake-slack.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SLACK_HOST = 'https://slack.example.test';

let app: TestApp;
let slack: FakeSlack;
let browser: Browser;
let seed: Seed;

/**
 * A browser whose trip to Slack's authorize page is answered at the network layer: Slack "signs in"
 * this person (a code from the fake Web API, for the nonce the app sent) and redirects back.
 */
async function browserSignedInToSlackAs(person: Omit<FakeSlackOpenIdPerson, 'nonce'>): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(8000);
  await context.route(`${SLACK_HOST}/**`, async (route) => {
    const authorize = new URL(route.request().url());
    expect(authorize.pathname).toBe('/openid/connect/authorize');
    expect(authorize.searchParams.get('scope')).toBe('openid profile email');
    const code = slack.issueOpenIdCode({ ...person, nonce: authorize.searchParams.get('nonce')! });
    // The redirect URI is PUBLIC_URL's; the test app listens on a port of its own.
    const redirect = new URL(authorize.searchParams.get('redirect_uri')!);
    expect(redirect.pathname).toBe('/auth/slack/callback');
    const back = new URL(redirect.pathname, app.url);
    back.search = new URLSearchParams({ code, state: authorize.searchParams.get('state')! }).toString();
    await route.fulfill({ status: 302, headers: { location: back.toString() } });
  });
  return context;
}

beforeAll(async () => {
  slack = await startFakeSlack();
  [app, browser] = await Promise.all([
    startTestApp({ platforms: [], env: { SLACK_CLIENT_ID: 'slack-client', SLACK_CLIENT_SECRET: 'slack-secret', SLACK_STATE_SECRET: 'slack-state-secret', SLACK_API_URL: slack.url, SLACK_OAUTH_URL: SLACK_HOST } }),
    launchBrowser(),
  ]);
  seed = await seedClinic(app.database.prisma, new Date(), { name: 'Maple Clinic' });
  await app.database.prisma.installation.create({ data: { organizationId: seed.organizationId, platform: 'slack', externalId: 'T0MAPLE', data: { installedBy: 'U0OLIVE', name: 'Maple' } } });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await slack?.close();
});

describe('Sign in with Slack in a browser', () => {
  it('signs the owner in, who approves a pending colleague; the colleague then sees their clinic', async () => {
    const colleague = await (await browserSignedInToSlackAs({ userId: 'U0PAT', teamId: 'T0MAPLE', name: 'Pat Lee', email: 'pat@maple.example' })).newPage();
    await colleague.goto(`${app.url}/`);
    await colleague.getByRole('link', { name: 'Sign in with Slack' }).click();
    await colleague.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    expect(await colleague.locator('main').textContent()).toContain('waiting for approval by Maple Clinic’s owner');
    await saveScreenshot(colleague, 'staff-sign-in-pending');

    const owner = await (await browserSignedInToSlackAs({ userId: 'U0OLIVE', teamId: 'T0MAPLE', name: 'Olive Stone' })).newPage();
    await owner.goto(`${app.url}/sign-in`);
    await owner.getByRole('link', { name: 'Sign in with Slack' }).click();
    await owner.waitForURL(`${app.url}/`);
    expect(await owner.locator('header .who').textContent()).toMatch(/Maple Clinic\s*·\s*Olive Stone/);
    await owner.getByRole('link', { name: 'Staff' }).click();
    await owner.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    await saveScreenshot(owner, 'staff-page-pending-colleague');
    await owner.getByLabel('Role for Pat Lee').selectOption('facilitator');
    await owner.getByRole('button', { name: 'Approve Pat Lee' }).click();
    await owner.getByText('Nobody is waiting.').waitFor();
    await owner.getByRole('checkbox', { name: 'Adult IOP – Evening' }).check();
    await owner.getByRole('button', { name: 'Save programs' }).click();
    await owner.getByRole('status').waitFor();
    expect(await owner.getByRole('checkbox', { name: 'Adult IOP – Evening' }).isChecked()).toBe(true);
    await saveScreenshot(owner, 'staff-page-approved');

    await colleague.getByRole('link', { name: 'Try again' }).click();
    await colleague.waitForURL(`${app.url}/`);
    expect(await colleague.locator('header .who').textContent()).toMatch(/Maple Clinic\s*·\s*Pat Lee/);
    expect(await colleague.getByRole('link', { name: 'Staff' }).count()).toBe(0);
    await saveScreenshot(colleague, 'staff-colleague-first-view');
    await colleague.getByRole('link', { name: 'Programs' }).click();
    await colleague.getByRole('link', { name: 'Adult IOP – Evening' }).waitFor();
    await saveScreenshot(colleague, 'staff-colleague-programs');
  });
});
