import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedClinic, type Seed } from '../support/dashboard-seed.js';
import { findSignedInStaff } from '../../src/services/staff-sign-ins.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { signInOverHttp } from '../support/dashboard-sign-in.js';

let app: TestApp;
let seed: Seed;

beforeAll(async () => {
  app = await startTestApp({ platforms: [] });
  seed = await seedClinic(app.database.prisma, new Date());
});
afterAll(async () => {
  await app?.stop();
});

/** Signs in over plain HTTP; the session cookie is httpOnly and SameSite=Lax. */
async function signIn(token: string): Promise<{ cookie: string; csrf: string }> {
  const { cookie, setCookie, csrf } = await signInOverHttp(app.url, token);
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Lax/);
  return { cookie, csrf };
}

describe('dashboard over HTTP', () => {
  it('lists what chat could not deliver: an alert a platform refused for good and a participant message with nowhere to go', async () => {
    const { cookie } = await signIn(seed.token);
    const participantId = Object.values(seed.participants)[0]!;
    const participant = await app.database.prisma.participant.findUniqueOrThrow({ where: { id: participantId } });
    const alert = await app.database.prisma.alert.create({
      data: {
        organizationId: seed.organizationId,
        programId: seed.programId,
        subjectKey: participantId,
        participantId,
        topic: 'crisis',
        kind: 'crisis',
        platform: 'teams',
        channelId: '19:gone@thread.tacv2',
        deliveryState: 'failed',
        lastDeliveryError: 'teams 403: BotNotInConversationRoster',
        dedupeKey: `test-undelivered:${participantId}`,
      },
    });
    const message = await app.database.prisma.participantOutboxMessage.create({
      data: { organizationId: seed.organizationId, participantId, dedupeKey: `test-skipped:${participantId}`, purpose: 'weekly_progress', message: { text: 'x', choices: [] }, state: 'skipped', lastError: 'no_chat_identity' },
    });
    const page = await (await fetch(`${app.url}/follow-ups`, { headers: { cookie } })).text();
    const rowOf = (id: string) => new RegExp(`<li class="problem" data-problem-id="${id}">([\\s\\S]*?)</li>`).exec(page)?.[1] ?? '';
    expect(rowOf(alert.id)).toContain('Alert “Crisis”');
    expect(rowOf(alert.id)).toContain(participant.name);
    expect(rowOf(alert.id)).toContain('Rollcall could not post this alert in Teams: check that Rollcall is still in the program’s alert channel.');
    expect(rowOf(message.id)).toContain('Weekly progress');
    expect(rowOf(message.id)).toContain(`${participant.name.split(' ')[0]} has no chat account Rollcall can write to`);
    // What to do, in words: never the platform's code.
    expect(page).not.toContain('BotNotInConversationRoster');
    expect(page).not.toContain('no_chat_identity');
    // Another organization's problems are not listed.
    const other = await seedClinic(app.database.prisma, new Date(), { name: 'Other clinic' });
    const otherCookie = (await signIn(other.token)).cookie;
    const otherPage = await (await fetch(`${app.url}/follow-ups`, { headers: { cookie: otherCookie } })).text();
    expect(otherPage).not.toContain(alert.id);
    expect(otherPage).toContain('Every alert and participant message of the last two weeks was delivered.');
  });

  it('stores only the hash of the session token', async () => {
    const { cookie } = await signIn(seed.token);
    const token = decodeURIComponent(cookie.split('=')[1]!);
    const rows = await app.database.prisma.staffSignIn.findMany({ where: { organizationId: seed.organizationId } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tokenHash !== token && r.tokenHash.length === 64)).toBe(true);
  });

  it('refuses a form post without the CSRF token and changes nothing', async () => {
    const { cookie } = await signIn(seed.token);
    const response = await fetch(`${app.url}/follow-ups/${seed.followUpId}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ action: 'dismiss' }),
    });
    expect(response.status).toBe(403);
    expect((await app.database.prisma.followUp.findUniqueOrThrow({ where: { id: seed.followUpId } })).state).toBe('open');
  });

  it('refuses a sign-in without the form token (login CSRF)', async () => {
    const response = await fetch(`${app.url}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: seed.token }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie().some((c) => c.startsWith('rollcall_session='))).toBe(false);
  });

  it('assigns, then completes a follow-up, audited with the signed-in actor', async () => {
    const { cookie, csrf } = await signIn(seed.token);
    const reyes = await app.database.prisma.staffAccount.create({ data: { organizationId: seed.organizationId, name: 'Dr. Reyes', role: 'facilitator', status: 'active' } });
    const removed = await app.database.prisma.staffAccount.create({ data: { organizationId: seed.organizationId, name: 'Gone Staff', role: 'facilitator', status: 'removed' } });
    const post = (body: Record<string, string>) =>
      fetch(`${app.url}/follow-ups/${seed.followUpId}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: csrf, ...body }),
      });
    // Only an active staff account of this clinic: free text, a removed account, another clinic's id are refused on the field.
    for (const assignee of ['Dr. Reyes', `staff:${removed.id}`, 'staff:00000000-0000-4000-8000-000000000000']) {
      const refused = await post({ action: 'assign', assignee });
      expect(refused.status, assignee).toBe(400);
      expect(await refused.text()).toContain(`id="assignee-${seed.followUpId}-error"`);
    }
    expect((await app.database.prisma.followUp.findUniqueOrThrow({ where: { id: seed.followUpId } })).assignee).toBeNull();
    expect((await post({ action: 'assign', assignee: `staff:${reyes.id}` })).headers.get('location')).toBe('/follow-ups?done=assign');
    const page = await (await fetch(`${app.url}/follow-ups`, { headers: { cookie } })).text();
    expect(page).toMatch(/<dd data-assignee>Dr\. Reyes<\/dd>/);
    expect(page).toMatch(new RegExp(`<option value="staff:${reyes.id}" selected>Dr\\. Reyes</option>`));
    expect(page).not.toContain('Gone Staff');
    // A note too long, or an outcome with a control character: refused, nothing changed.
    expect((await post({ action: 'note', note: 'x'.repeat(2001) })).status).toBe(400);
    expect((await post({ action: 'complete', outcome: 'bad\u0000' })).status).toBe(400);
    expect((await post({ action: 'note', note: 'Called; left a voicemail' })).headers.get('location')).toBe('/follow-ups?done=note');
    expect((await post({ action: 'complete', outcome: 'Reached the participant' })).headers.get('location')).toBe('/follow-ups?done=complete');
    expect((await post({ action: 'dismiss' })).headers.get('location')).toBe('/follow-ups?done=gone');
    const followUp = await app.database.prisma.followUp.findUniqueOrThrow({ where: { id: seed.followUpId } });
    expect(followUp).toMatchObject({ state: 'done', assignee: `staff:${reyes.id}`, outcome: 'Reached the participant' });
    expect(followUp.notes).toEqual([expect.objectContaining({ by: 'dashboard:admin_token:seed', text: 'Called; left a voicemail' })]);
    const audit = await app.database.prisma.auditLog.findMany({ where: { entityId: seed.followUpId }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['follow_up.assign', 'dashboard:admin_token:seed'],
      ['follow_up.note', 'dashboard:admin_token:seed'],
      ['follow_up.complete', 'dashboard:admin_token:seed'],
    ]);
    // The audit says which fields changed, never the note's or the outcome's words.
    expect(JSON.stringify(audit.map((a) => a.data))).not.toMatch(/voicemail|Reached/);
  });

  it('sends a live event when a session of the organization is evaluated, on another instance too', async () => {
    const { cookie } = await signIn(seed.token);
    // A second instance on the same database: the evaluation runs on one, the stream is served by the other.
    const other = await startTestApp({ databaseUrl: app.config.databaseUrl });
    const controller = new AbortController();
    try {
      const response = await fetch(`${other.url}/today/events`, { headers: { cookie }, signal: controller.signal });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value);
      // An evaluation of another organization's session is not sent.
      const elsewhere = await seedClinic(app.database.prisma, new Date(), { name: 'Elsewhere' });
      await app.evaluator.evaluate(elsewhere.sessionIds[0]!);
      await app.evaluator.evaluate(seed.sessionIds[0]!);
      while (!text.includes('event: session')) text += decoder.decode((await reader.read()).value);
      expect(text).toContain(seed.sessionIds[0]);
      expect(text).not.toContain(elsewhere.sessionIds[0]);
    } finally {
      controller.abort();
      await other.stop();
    }
  });

  it('marks the cookie Secure, with the __Host- prefix, when PUBLIC_URL is https', async () => {
    const secure = await startTestApp({ databaseUrl: app.config.databaseUrl, env: { PUBLIC_URL: 'https://rollcall.example.org' } });
    try {
      const form = await fetch(`${secure.url}/sign-in`);
      const cookie = form.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^__Host-rollcall_signin=[^;]+; Max-Age=3600; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    } finally {
      await secure.stop();
    }
  });

  it('ends a session after 12 hours', async () => {
    const { cookie } = await signIn(seed.token);
    const token = decodeURIComponent(cookie.split('=')[1]!);
    expect(await findSignedInStaff(app.database.prisma, token, new Date(Date.now() + 11.9 * 3_600_000))).not.toBeNull();
    expect(await findSignedInStaff(app.database.prisma, token, new Date(Date.now() + 12.1 * 3_600_000))).toBeNull();
  });

  it('answers 401 to the event stream and the board without a session, and redirects pages to sign-in', async () => {
    expect((await fetch(`${app.url}/today/events`)).status).toBe(401);
    expect((await fetch(`${app.url}/today/board`)).status).toBe(401);
    const page = await fetch(`${app.url}/programs/${seed.programId}`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(`/programs/${seed.programId}`)}`);
  });
});
