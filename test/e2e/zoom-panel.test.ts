import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeZoomEnv, FAKE_ZOOM_CLIENT_SECRET, startFakeZoom, type FakeZoom } from '../support/fake-zoom.js';
import { createScenario, minutesAgo } from '../support/scenario.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { zoomAppContextHeader } from '../support/zoom-app-context.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitFor } from '../support/wait-for.js';

let zoom: FakeZoom;
let app: TestApp;
let browser: Browser;
const STAFF = 'zStaffPanel01';

beforeAll(async () => {
  zoom = await startFakeZoom();
  app = await startTestApp({ env: fakeZoomEnv(zoom) });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await zoom?.close();
});

describe('the in-meeting roster panel', () => {
  it('shows staff the live roster of the session running in their meeting, and it changes after a webhook', async () => {
    const meetingId = '88200000001';
    const uuid = 'PANEL-UUID-1==';
    const startsAt = minutesAgo(10);
    const { sessionId, programId, api } = await createScenario(app, {
      meetingId,
      startsAt,
      minutes: 60,
      name: 'Evening IOP',
      people: [
        { name: 'Alex Kim', email: 'alex@example.org' },
        { name: 'Sam Lee', email: 'sam@example.org' },
      ],
      inOrganizationOf: { token: TEST_ADMIN_TOKEN, organizationId: app.organizationId },
    });
    await api('PATCH', `/api/v1/programs/${programId}`, { staffUserIds: [STAFF] });
    const alex = { user_name: 'Alex Kim', participant_uuid: 'P-ALEX-PANEL', email: 'alex@example.org' };
    await postZoom(app.url, zoomDelivery('meeting-started', { meetingId, uuid, at: startsAt }));
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, uuid, at: startsAt, person: alex }));
    await waitFor(async () => (await app.database.prisma.session.findUnique({ where: { id: sessionId } }))?.meetingInstanceId === uuid, 5000, 'the meeting instance learned');

    const context = await browser.newContext({
      extraHTTPHeaders: { 'x-zoom-app-context': zoomAppContextHeader({ typ: 'meeting', uid: STAFF, mid: uuid, ts: Date.now(), exp: Date.now() + 3600_000 }, FAKE_ZOOM_CLIENT_SECRET) },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`));
    const response = await page.goto(`${app.url}/zoom/panel`);
    const headers = response!.headers();
    expect(headers['strict-transport-security']).toContain('max-age=');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['referrer-policy']).toBeTruthy();
    const row = (name: string) => page.locator('#roster li', { hasText: name });
    await expect.poll(() => row('Alex K.').getAttribute('data-state'), { timeout: 10_000 }).toBe('joined');
    await expect.poll(() => row('Sam L.').getAttribute('data-state'), { timeout: 10_000 }).toBe('not_joined');
    expect(await page.content()).not.toContain('sam@example.org');

    // Sam arrives and Alex leaves: the page follows within seconds.
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, uuid, at: new Date(), person: { user_name: 'Sam Lee', participant_uuid: 'P-SAM-PANEL', email: 'sam@example.org' } }));
    await postZoom(app.url, zoomDelivery('participant-left', { meetingId, uuid, at: new Date(), person: alex }));
    // "Left" at once; "Left early" once the rejoin window passes without a return (the engine's flag).
    await expect.poll(() => row('Alex K.').getAttribute('data-state'), { timeout: 8000 }).toBe('left');
    await expect.poll(() => row('Sam L.').getAttribute('data-state'), { timeout: 8000 }).toBe('late');
    expect(await row('Sam L.').textContent()).toContain('Late');
    // The SDK bundle and our script load under the page's CSP (self only) without errors.
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says to open it in Zoom, and shows nothing, without a valid Zoom context', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${app.url}/zoom/panel`);
    expect(response!.status()).toBe(200);
    await expect.poll(() => page.locator('#notice').textContent()).toContain('inside a Zoom meeting');
    expect(await page.locator('#roster').count()).toBe(0);
    const roster = await page.request.get(`${app.url}/zoom/panel/roster`);
    expect(roster.status()).toBe(401);
    await page.close();

    // A context for someone who is not staff of that session gets no roster either.
    const context = await browser.newContext({
      extraHTTPHeaders: { 'x-zoom-app-context': zoomAppContextHeader({ typ: 'meeting', uid: 'zNotStaff', mid: 'PANEL-UUID-1==', ts: Date.now() }, FAKE_ZOOM_CLIENT_SECRET) },
    });
    const other = await context.newPage();
    await other.goto(`${app.url}/zoom/panel`);
    await expect.poll(() => other.locator('#notice').textContent()).toContain('facilitators');
    expect(await other.locator('#roster').count()).toBe(0);
    await context.close();
  });
});
