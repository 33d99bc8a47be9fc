import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations } from '../support/accessibility.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { webhookZoomAccountFor } from '../support/scenario.js';
import { createShiftClock } from '../support/shift-clock.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery, type ZoomPerson } from '../support/zoom-events.js';

// A clinic set up in the browser plays two sessions through the real Zoom webhook route: the first
// is over (a late join, a short stay, a no-show), the second runs now (a waiting room, a device no
// one is known by). The app's clock moves; Zoom's signatures use the real one, as Zoom's would.
const ZONE = 'America/New_York';
const FIRST_MEETING = '85512340001';
const LIVE_MEETING = '85512340002';
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const PEOPLE = ['Avery Stone', 'Blake Rivera', 'Casey Morgan', 'Devon Park', 'Emery Cruz', 'Finley Shah', 'Gray Okafor', 'Harper Lind'];
const email = (name: string) => `${name.split(' ')[0]!.toLowerCase()}@example.org`;
const zoomPerson = (name: string, session: string): ZoomPerson => ({ user_name: name, participant_uuid: `UUID-${session}-${name.split(' ')[0]}`, email: email(name) });

// The app's day starts at 13:00 in New York (never more than 11 hours behind the real clock, so the
// sign-in cookie's expiry is still ahead of the browser's clock), and no session crosses midnight.
const clock = createShiftClock(DateTime.now().setZone(ZONE).set({ hour: 13, minute: 0, second: 0, millisecond: 0 }).toJSDate());
let app: TestApp;
let browser: Browser;
let zoomAccount: string;
/** The first session starts five minutes before the test; the live one 70 minutes after that. */
const firstStart = DateTime.fromJSDate(clock.now(), { zone: ZONE }).startOf('minute').minus({ minutes: 5 });
const liveStart = firstStart.plus({ minutes: 70 });
const atMinute = (start: DateTime, minute: number) => start.plus({ minutes: minute }).toJSDate();

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ clock }), launchBrowser()]);
  zoomAccount = await webhookZoomAccountFor(app, app.organizationId);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function send(fixture: string, meetingId: string, at: Date, person?: ZoomPerson): Promise<void> {
  const response = await postZoom(app.url, zoomDelivery(fixture, { meetingId, accountId: zoomAccount, at, person }));
  expect(response.status, `${fixture} at ${at.toISOString()}`).toBe(200);
}

/** The page at both sizes: a screenshot of each, nothing wider than a phone, no axe violation. */
async function checkPage(page: Page, name: string): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    expect(await page.evaluate('document.documentElement.scrollWidth'), `${name} at ${viewport.width} px`).toBeLessThanOrEqual(viewport.width);
    await saveScreenshot(page, `live-${name}-${viewport.name}`);
  }
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function addOneOffSession(page: Page, start: DateTime, meetingId: string): Promise<void> {
  const form = page.locator('section[aria-labelledby="add-session-heading"]');
  await form.getByLabel('Date').fill(start.toISODate()!);
  await form.getByLabel('Start time').fill(start.toFormat('HH:mm'));
  await form.getByLabel('Length in minutes').fill('60');
  await form.getByLabel('Meeting platform').selectOption('zoom');
  await form.getByLabel('Meeting id').fill(meetingId);
  await form.getByRole('button', { name: 'Add session' }).click();
  await page.getByText('One-off session added.').waitFor();
}

describe('a clinic set up in the browser, then a session played through the Zoom webhook', () => {
  it('shows who is at risk, the grid flags and the Today counts change, and links an unrecognized device', async () => {
    const { prisma } = app.database;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    // Set up through the dashboard: a program, eight participants by CSV, two one-off sessions on Zoom.
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/`);
    await page.goto(`${app.url}/programs`);
    await page.getByLabel('Name').fill('Adult IOP – Evening');
    await page.getByLabel('Time zone').selectOption(ZONE);
    await page.getByLabel('Platform').selectOption('slack');
    await page.getByLabel('Channel id').fill('C0STAFF');
    await page.getByRole('button', { name: 'Add program' }).click();
    await page.getByRole('heading', { name: 'Schedule: Adult IOP – Evening' }).waitFor();
    await addOneOffSession(page, firstStart, FIRST_MEETING);
    await addOneOffSession(page, liveStart, LIVE_MEETING);
    await page.getByRole('link', { name: 'Import participants' }).click();
    const enrolledOn = firstStart.minus({ days: 20 }).toISODate();
    const csv = ['name,email,enrolled_on', ...PEOPLE.map((name) => `${name},${email(name)},${enrolledOn}`)].join('\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('Every row can be imported.').waitFor();
    await page.getByRole('button', { name: 'Import 8 participants' }).click();
    await page.getByText('8 participants imported.').waitFor();
    const program = await prisma.program.findFirstOrThrow({ where: { organizationId: app.organizationId } });
    const sessionOf = async (meetingId: string) => (await prisma.session.findFirstOrThrow({ where: { organizationId: app.organizationId, meetingId } })).id;
    const [firstId, liveId] = [await sessionOf(FIRST_MEETING), await sessionOf(LIVE_MEETING)];
    const ids = Object.fromEntries((await prisma.participant.findMany({ where: { organizationId: app.organizationId } })).map((p) => [p.name, p.id]));

    // Nobody is at risk yet: the first session is running, the week can still be met.
    await page.goto(`${app.url}/programs/${program.id}`);
    await page.getByRole('heading', { name: /^Who is at risk/ }).waitFor();
    expect(await page.locator('section.risk').textContent()).toContain('No one right now');

    // The first session, played minute by minute on the app's clock.
    await send('meeting-started', FIRST_MEETING, atMinute(firstStart, 0));
    for (const name of ['Avery Stone', 'Blake Rivera', 'Devon Park', 'Emery Cruz', 'Finley Shah', 'Harper Lind']) {
      await send('participant-joined', FIRST_MEETING, atMinute(firstStart, 0), zoomPerson(name, 'first'));
    }
    clock.set(atMinute(firstStart, 21));
    await send('participant-joined', FIRST_MEETING, atMinute(firstStart, 20), zoomPerson('Gray Okafor', 'first'));
    clock.set(atMinute(firstStart, 31));
    await send('participant-left', FIRST_MEETING, atMinute(firstStart, 30), zoomPerson('Harper Lind', 'first'));
    clock.set(atMinute(firstStart, 61));
    await send('meeting-ended', FIRST_MEETING, atMinute(firstStart, 60));
    await app.sweep();
    await app.evaluator.idle();
    await expect.poll(() => prisma.attendance.count({ where: { organizationId: app.organizationId, final: true, sessionId: firstId } }), { timeout: 15_000 }).toBe(8);

    // The program page: Casey (a no-show) heads the list, saying why; the grid shows the flags in words.
    await page.goto(`${app.url}/programs/${program.id}`);
    const first = page.locator('.risk-list li').first();
    expect(await first.getAttribute('data-participant-id')).toBe(ids['Casey Morgan']);
    expect(await first.locator('.why').textContent()).toMatch(/^1 strike in 30 days · missed the last session/);
    expect(await first.getByRole('link').getAttribute('href')).toBe(`/participants/${ids['Casey Morgan']}`);
    const row = (name: string) => page.locator(`table.grid tr[data-participant-id="${ids[name]}"]`);
    expect(await row('Casey Morgan').locator('td.strikes').textContent()).toBe('1');
    // Rows most at risk first, newest session first (the live one, still to come, then the first).
    expect(await page.locator('table.grid tbody tr').first().getAttribute('data-participant-id')).toBe(ids['Casey Morgan']);
    const firstCell = (name: string) => row(name).locator(`td[data-session-id="${firstId}"]`);
    expect(await page.locator('table.grid thead th').nth(2).textContent()).toContain(liveStart.toFormat('HH:mm'));
    expect(await firstCell('Gray Okafor').textContent()).toContain('20 min late');
    expect(await firstCell('Harper Lind').textContent()).toMatch(/left early.*short stay|short stay.*left early/);
    expect(await firstCell('Casey Morgan').locator('.status').textContent()).toBe('No-show');
    expect(await page.locator('table.grid thead th').nth(1).textContent()).toContain('Strikes');
    expect(await page.getByText(/week of (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ [A-Z][a-z]{2}/).count()).toBeGreaterThan(0);
    expect(await page.content()).not.toMatch(/\bW\d\d\b/);
    await checkPage(page, 'program');

    // The Programs page's compact "At risk" names Casey too.
    await page.goto(`${app.url}/programs`);
    expect(await page.locator('section.risk.compact').textContent()).toContain('Casey Morgan');
    await checkPage(page, 'programs');

    // The live session: Today follows it without a reload.
    clock.set(atMinute(liveStart, 5));
    await page.goto(`${app.url}/`);
    await page.waitForSelector('#board[data-live="connected"]');
    await page.evaluate('window.notReloaded = true');
    const live = page.locator(`section.session-block[data-session-id="${liveId}"]`);
    expect(await live.locator('.session-count').textContent()).toContain('0 of 8 here');
    await send('meeting-started', LIVE_MEETING, atMinute(liveStart, 0));
    for (const name of ['Avery Stone', 'Blake Rivera']) await send('participant-joined', LIVE_MEETING, atMinute(liveStart, 0), zoomPerson(name, 'live'));
    await send('participant-joined-waiting-room', LIVE_MEETING, atMinute(liveStart, 1), zoomPerson('Devon Park', 'live'));
    await send('participant-joined', LIVE_MEETING, atMinute(liveStart, 2), { user_name: "Emery's iPhone", participant_uuid: 'UUID-live-EMERY-PHONE' });
    await expect.poll(() => live.locator('.session-count').textContent(), { timeout: 15_000 }).toContain('2 of 8 here · 1 waiting to be let in · 1 not recognized');
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    const liveRow = (name: string) => live.locator(`tr[data-participant-id="${ids[name]}"]`);
    expect(await liveRow('Devon Park').textContent()).toContain(`waiting to be let in since ${liveStart.plus({ minutes: 1 }).toFormat('HH:mm')}`);
    expect(await liveRow('Avery Stone').locator('td.joined').textContent()).toBe(liveStart.toFormat('HH:mm'));
    expect(await live.locator('.unrecognized').textContent()).toContain("Emery's iPhone");
    await checkPage(page, 'today');

    // "This is…": Emery's phone is Emery; Today counts her, audited as the signed-in person.
    await live.getByLabel('This is…').selectOption({ label: 'Emery Cruz' });
    await live.getByRole('button', { name: 'Link' }).click();
    await page.getByText('Linked.').waitFor();
    await expect.poll(() => live.locator('.session-count').textContent(), { timeout: 10_000 }).toContain('3 of 8 here · 1 waiting to be let in');
    expect(await live.locator('.unrecognized').count()).toBe(0);
    expect(await liveRow('Emery Cruz').locator('.status').textContent()).toBe('Present');
    expect(await prisma.identity.findFirst({ where: { participantId: ids['Emery Cruz'], kind: 'alias' } })).toMatchObject({ value: "emery's iphone" });
    expect(await prisma.auditLog.findFirst({ where: { organizationId: app.organizationId, action: 'identity.link' } })).toMatchObject({ entityId: ids['Emery Cruz'], actor: expect.stringMatching(/^dashboard:admin_token:/) });
    await checkPage(page, 'today-linked');

    // Back on the grid, the live session's column comes first and shows who is here.
    await page.goto(`${app.url}/programs/${program.id}`);
    await expect.poll(() => row('Avery Stone').locator(`td[data-session-id="${liveId}"] .status`).textContent()).toBe('Present');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
