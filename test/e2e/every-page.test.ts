import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { resolvePolicy } from '../../src/core/policy.js';
import { accessibilityViolations } from '../support/accessibility.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { seedClinic, type Seed } from '../support/dashboard-seed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every dashboard page at a desktop and a phone size: no page wider than the phone (a grid's own
 * scroll area aside), no axe-core violation, no system word in what a person reads, nothing the
 * browser failed to load. Then the follow-up queue and the settings' controls used as staff would.
 */

const VIEWPORTS = [
  { name: '1280', width: 1280, height: 800 },
  { name: '390', width: 390, height: 844 },
] as const;

/** Words of the code, never of the clinic: codes, ISO weeks, actor keys, file names, environment variables. */
const FORBIDDEN: [string, RegExp][] = [
  ['a snake_case code', /\b[a-z]+_[a-z_]+\b/],
  ['checkin', /\bcheckin\b/i],
  ['an ISO week', /\b(?:\d{4}-)?W\d{1,2}\b/],
  ['an actor key', /\b(?:admin-api|dashboard|staff|api-token|slack|teams|zoom|sms):[\w-]/i],
  ['a documentation file', /\bdocs\/|\b[\w-]+\.md\b/],
  ['an environment variable', /\b[A-Z]+_[A-Z_]+\b/],
];

let app: TestApp;
let seed: Seed;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dayProgramId: string;
let danaId: string;
let ladderFollowUpId: string;
const failedLoads: string[] = [];

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  const prisma = app.database.prisma;
  seed = await seedClinic(prisma, new Date());
  const organizationId = seed.organizationId;
  const [avery, blake, casey] = ['Avery Stone', 'Blake Rivera', 'Casey Morgan, Jr.'].map((n) => seed.participants[n]!) as [string, string, string];
  dayProgramId = (await prisma.program.create({ data: { organizationId, name: 'Adult IOP – Day', timezone: 'America/New_York', policy: resolvePolicy({}), alertPlatform: 'slack', alertChannelId: 'C0DAY' } })).id;
  danaId = (await prisma.staffAccount.create({ data: { organizationId, name: 'Dana Reyes', role: 'facilitator', status: 'active', slackUserId: 'U0DANA' } })).id;
  await prisma.staffAccount.create({ data: { organizationId, name: 'Pat Waiting', role: 'viewer', status: 'pending', slackUserId: 'U0PAT' } });
  await prisma.staffAccount.create({ data: { organizationId, name: 'Rob Removed', role: 'admin', status: 'removed', slackUserId: 'U0ROB' } });
  ladderFollowUpId = (
    await prisma.followUp.create({ data: { organizationId, programId: seed.programId, participantId: casey, kind: 'formal_review', rule: 'ladder:3', assignee: 'slack:U0DANA' } })
  ).id;
  await prisma.followUp.create({ data: { organizationId, programId: seed.programId, participantId: blake, kind: 'formal_review', rule: 'dropout', notes: [{ by: `staff:${danaId}`, at: new Date().toISOString(), text: 'Left a voicemail' }] } });
  await prisma.identity.create({ data: { organizationId, participantId: blake, platform: 'slack', kind: 'user_id', value: 'U0BLAKE' } });
  const outbox = (participantId: string, key: string, purpose: string, state: string, lastError: string, platform: 'sms' | null = null) =>
    prisma.participantOutboxMessage.create({ data: { organizationId, participantId, dedupeKey: `every-page:${key}`, purpose, platform, message: { text: 'x', choices: [] }, state, lastError } });
  await outbox(avery, 'a', 'send_checkin', 'skipped', 'no_chat_identity');
  await outbox(blake, 'b', 'weekly_progress', 'skipped', 'chat_disabled');
  await outbox(casey, 'c', 'reminder', 'skipped', 'no_sms_consent');
  await outbox(casey, 'd', 'hours_at_risk', 'failed', 'carrier rejected (error 30007)', 'sms');
  await prisma.alert.create({
    data: {
      organizationId,
      programId: seed.programId,
      participantId: casey,
      subjectKey: casey,
      topic: 'strikes',
      kind: 'strike',
      detail: { rule: 'ladder:3', action: 'formal_review', strikes: 3, windowDays: 30 },
      platform: 'slack',
      channelId: 'C0STAFF',
      deliveryState: 'failed',
      lastDeliveryError: 'slack chat.postMessage: not_in_channel',
      dedupeKey: `every-page-strike:${casey}`,
    },
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  page = await context.newPage();
  page.on('response', (response) => {
    if (response.status() >= 400) failedLoads.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') failedLoads.push(`console: ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const url = (path: string) => `${app.url}${path}`;

/** The page at both sizes: screenshots, width, axe, words, loads. */
async function checkPage(name: string, path: string): Promise<void> {
  failedLoads.length = 0;
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    const response = await page.goto(url(path));
    expect(response?.status(), `${path} answers`).toBe(200);
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    // What sticks out, to say in the failure (a grid's own scroll area scrolls inside itself and is not counted).
    const wide =
      width > viewport.width
        ? await page.evaluate<string[]>(
            `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5 && !e.closest('.table-scroll')).slice(0, 6).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right))`,
          )
        : [];
    expect(width, `${name} at ${viewport.width} px is no wider than the screen: ${wide.join(', ')}`).toBeLessThanOrEqual(viewport.width);
    await saveScreenshot(page, `${name}-${viewport.name}`);
    expect(await accessibilityViolations(page), `${name} at ${viewport.width} px`).toEqual([]);
  }
  const text = await page.evaluate<string>('document.body.innerText');
  const found = FORBIDDEN.flatMap(([what, pattern]) => {
    const match = pattern.exec(text);
    return match ? [`${what}: “${match[0]}” in “${text.slice(Math.max(0, match.index - 40), match.index + 40).replace(/\s+/g, ' ')}”`] : [];
  });
  expect(found, `system words on ${name}`).toEqual([]);
  // The live stream of Today is closed by the next navigation; nothing else may fail to load.
  expect(failedLoads.filter((f) => !f.includes('/today/events')), `failed loads on ${name}`).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
}

const PAGES: [string, () => string][] = [
  ['today', () => '/'],
  ['programs', () => '/programs'],
  ['program', () => `/programs/${seed.programId}`],
  ['schedule', () => `/programs/${seed.programId}/schedule`],
  ['add-participant', () => `/programs/${seed.programId}/participants/new`],
  ['import-participants', () => `/programs/${seed.programId}/import`],
  ['import-attendance', () => `/programs/${seed.programId}/attendance-import`],
  ['participant', () => `/participants/${seed.participants['Casey Morgan, Jr.']}`],
  ['summary', () => `/participants/${seed.participants['Casey Morgan, Jr.']}/summary?program=${seed.programId}`],
  ['follow-ups', () => '/follow-ups'],
  ['settings', () => '/settings'],
  ['program-settings', () => `/programs/${seed.programId}/settings`],
  ['staff', () => '/settings/staff'],
  ['tokens', () => '/settings/tokens'],
  ['leaving', () => '/settings/leaving'],
];

describe('every page, signed out', () => {
  it.each([
    ['landing', '/'],
    ['sign-in', '/sign-in'],
  ])('%s fits a phone, passes axe and speaks plainly', async (name, path) => {
    await checkPage(name, path);
  });
});

/** Signed in with the seed's token, once (each describe may run alone). */
async function ensureSignedIn(): Promise<void> {
  if ((await context.cookies()).some((c) => c.name === 'rollcall_session')) return;
  await page.goto(url('/sign-in'));
  await page.getByLabel('Admin token').fill(seed.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(url('/'));
}

describe('every dashboard page, signed in', () => {
  beforeAll(ensureSignedIn);

  it.each(PAGES)('%s fits a phone, passes axe and speaks plainly', async (name, pathOf) => {
    await checkPage(name, pathOf());
  });

  it('keeps the header to three short lines on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url('/follow-ups'));
    const header = await page.locator('header.top').boundingBox();
    expect(header!.height).toBeLessThanOrEqual(120);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe('the follow-up queue in a browser', () => {
  beforeAll(ensureSignedIn);
  it('says why, how many strikes, and assigns to someone of the clinic’s staff', async () => {
    await page.goto(url('/follow-ups'));
    const card = page.locator(`li[data-follow-up-id="${ladderFollowUpId}"]`);
    expect(await card.locator('.reason').textContent()).toBe('3 strikes in 30 days — formal review');
    expect(await card.locator('[data-strikes]').textContent()).toBe('2 in the last 30 days');
    // Chat's "I'll reach out" stored Dana's Slack id: the page names her.
    expect(await card.locator('[data-assignee]').textContent()).toBe('Dana Reyes');
    expect(await page.getByText('Stopped coming (3 missed in a row, no contact) — formal review').count()).toBe(1);
    const options = await card.getByLabel('Assign to').locator('option').allTextContents();
    expect(options).toEqual(['Nobody', 'Dana Reyes']);
    await card.getByLabel('Assign to').selectOption({ label: 'Dana Reyes' });
    await card.getByRole('button', { name: /^Assign/ }).click();
    await page.getByText('Follow-up assigned.').waitFor();
    expect((await app.database.prisma.followUp.findUniqueOrThrow({ where: { id: ladderFollowUpId } })).assignee).toBe(`staff:${danaId}`);
  });

  it('adds a note, then closes with an outcome, reachable on a phone', { timeout: 90_000 }, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url('/follow-ups'));
    const card = page.locator(`li[data-follow-up-id="${ladderFollowUpId}"]`);
    await card.getByLabel('Note', { exact: true }).fill('Spoke with Casey; review on Friday');
    await card.getByRole('button', { name: /^Add note/ }).click();
    await page.getByText('Note added.').waitFor();
    expect(await card.locator('.notes').textContent()).toContain('Spoke with Casey; review on Friday');
    await card.getByLabel(/^Outcome/).fill('Review held');
    const done = card.getByRole('button', { name: /^Done/ });
    await done.scrollIntoViewIfNeeded();
    const box = (await done.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await saveScreenshot(page, 'follow-ups-card-390');
    await done.click();
    await page.getByText('Follow-up marked done.').waitFor();
    const stored = await app.database.prisma.followUp.findUniqueOrThrow({ where: { id: ladderFollowUpId } });
    expect(stored).toMatchObject({ state: 'done', outcome: 'Review held' });
    expect(stored.notes).toEqual([expect.objectContaining({ text: 'Spoke with Casey; review on Friday', by: 'dashboard:admin_token:seed' })]);
    const audit = await app.database.prisma.auditLog.findMany({ where: { entityId: ladderFollowUpId }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => a.action).slice(-2)).toEqual(['follow_up.note', 'follow_up.complete']);
    expect(JSON.stringify(audit.map((a) => a.data))).not.toMatch(/Spoke with|Review held/);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says what to do about each message not delivered, with the person’s name', async () => {
    await page.goto(url('/follow-ups'));
    const advice = await page.locator('.problem .advice').allTextContents();
    expect(advice).toEqual(
      expect.arrayContaining([
        'Avery has no chat account Rollcall can write to: add their Teams or Zoom account or phone number on their page.',
        'Participant chat is off for Slack in this clinic: turn it on under Settings, or add Blake’s phone number.',
        'Casey has not agreed to text messages: record their consent on their page, or reach them another way.',
        'The carrier rejected the text to Casey’s phone (the carrier took it for spam): check the number with them, or call them.',
        'Rollcall is not in the Slack channel: invite it to the channel again.',
      ]),
    );
  });
});

describe('settings as controls', () => {
  beforeAll(ensureSignedIn);
  it('edits the strike ladder as rows, picks a partner program and a weekly time, and refuses a bad ladder on its field', async () => {
    await page.goto(url(`/programs/${seed.programId}/settings`));
    expect(await page.locator('textarea').count()).toBe(0);
    await page.getByRole('button', { name: 'Add a step' }).click();
    await page.getByLabel('Step 5: strikes').fill('7');
    await page.getByLabel('Step 5: propose').selectOption({ label: 'Discharge review' });
    await page.getByRole('button', { name: 'Remove step 2' }).click();
    await page.getByLabel('Adult IOP – Day').check();
    await page.getByLabel('Day', { exact: true }).selectOption({ label: 'Friday' });
    await page.getByLabel('Time', { exact: true }).fill('16:30');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved.').waitFor();
    const policy = resolvePolicy((await app.database.prisma.program.findUniqueOrThrow({ where: { id: seed.programId } })).policy);
    expect(policy.strikeLadder).toEqual([
      { strikes: 1, action: 'outreach' },
      { strikes: 3, action: 'formal_review' },
      { strikes: 5, action: 'discharge_review' },
      { strikes: 7, action: 'discharge_review' },
    ]);
    expect(policy.makeUpPartnerProgramIds).toEqual([dayProgramId]);
    expect(policy.weeklyProgress).toEqual({ weekday: 5, time: '16:30' });

    await page.getByLabel('Step 1: strikes').fill('4');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('#policy-strikeLadder-error').textContent()).toBe('Each step needs more strikes than the step before it.');
    expect(await page.getByLabel('Step 1: strikes').inputValue()).toBe('4');
    await saveScreenshot(page, 'settings-ladder-error');
    expect(await accessibilityViolations(page)).toEqual([]);
    const after = resolvePolicy((await app.database.prisma.program.findUniqueOrThrow({ where: { id: seed.programId } })).policy);
    expect(after.strikeLadder[0]).toEqual({ strikes: 1, action: 'outreach' });
  });

  it('turns participant chat on for Slack with a checkbox, audited', async () => {
    await page.goto(url('/settings'));
    const slack = page.getByLabel('Slack', { exact: true });
    expect(await slack.isChecked()).toBe(false);
    await slack.check();
    await page.getByRole('button', { name: 'Save participant chat' }).click();
    await page.getByText('Participant chat saved.').waitFor();
    expect(await page.getByLabel('Slack', { exact: true }).isChecked()).toBe(true);
    const org = await app.database.prisma.organization.findUniqueOrThrow({ where: { id: seed.organizationId } });
    expect((org.settings as { participantChat: Record<string, boolean> }).participantChat).toMatchObject({ slack: true, teams: true, zoom: true });
    const audit = await app.database.prisma.auditLog.findFirstOrThrow({ where: { organizationId: seed.organizationId, action: 'organization.update' }, orderBy: { createdAt: 'desc' } });
    expect(audit.data).toMatchObject({ fields: ['participantChat'] });
  });
});
