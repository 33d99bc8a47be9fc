import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../support/dashboard-sign-in.js';
import { createShiftClock } from '../support/shift-clock.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';

/** Programs → Import attendance, over HTTP as a browser does it: upload (multipart), preview, confirm. */
const fixture = (name: string) => readFileSync(new URL(`../fixtures/reports/${name}`, import.meta.url));

let app: TestApp;
let programId: string;
let owner: { cookie: string; csrf: string };

beforeAll(async () => {
  app = await startTestApp({ platforms: [], clock: createShiftClock(new Date('2026-12-01T17:00:00Z')) });
  const program = await app.api('POST', '/api/v1/programs', { name: 'Adult IOP', timezone: 'America/New_York', alertChannel: { platform: 'slack', channelId: 'C0STAFF' } });
  programId = program.body.id;
  for (const [name, email] of [['Jordan Lee', 'jordan.lee@example.com'], ['Sam Rivera', undefined], ['Casey Morgan', undefined]] as const) {
    await app.api('POST', `/api/v1/programs/${programId}/participants`, { name, ...(email ? { email } : {}), enrolledAt: '2026-11-01T00:00:00-04:00' });
  }
  owner = await signInOverHttp(app.url, TEST_ADMIN_TOKEN);
});
afterAll(() => app?.stop());

const upload = (files: { name: string; bytes: Buffer }[], csrf = owner.csrf) => {
  const form = new FormData();
  form.set('_csrf', csrf);
  form.set('zone', 'America/New_York');
  for (const file of files) form.append('reports', new Blob([file.bytes], { type: 'text/csv' }), file.name);
  return fetch(`${app.url}/programs/${programId}/attendance-import`, { method: 'POST', headers: { cookie: owner.cookie }, body: form });
};

describe('Import attendance in the dashboard', () => {
  it('previews each file (who matched, who did not, what will be created) and writes nothing', async () => {
    const response = await upload([
      { name: 'zoom.csv', bytes: fixture('zoom-participants.csv') },
      { name: 'teams.csv', bytes: fixture('teams-attendance.csv') },
    ]);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('2 reports: 2 new sessions');
    expect(page).toContain('Zoom participants report');
    expect(page).toContain('Teams attendance report');
    expect(page).toMatch(/<th scope="row">Jordan Lee<\/th><td>email<\/td>/);
    expect(page).toContain('Not in the report (recorded as not attending): Casey Morgan.');
    expect(page).toContain('(555) 010-0199 (guest) – line 14');
    expect(await app.database.prisma.session.count({ where: { programId } })).toBe(0);
  });

  it('a file that is not a report is refused on the page, naming it, and nothing is written', async () => {
    const response = await upload([
      { name: 'zoom.csv', bytes: fixture('zoom-participants.csv') },
      { name: 'notes.csv', bytes: Buffer.from('a,b\n1,2\n') },
    ]);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('File 2: This is not a Teams attendance report');
    expect(await app.database.prisma.session.count({ where: { programId } })).toBe(0);
  });

  it('refuses a form without the session’s CSRF token', async () => {
    const response = await upload([{ name: 'zoom.csv', bytes: fixture('zoom-participants.csv') }], 'forged');
    expect(response.status).toBe(403);
  });

  it('imports on confirmation: the sessions are created, evaluated and audited as the person who did it', async () => {
    const preview = await (await upload([{ name: 'zoom.csv', bytes: fixture('zoom-participants.csv') }])).text();
    const form = preview.slice(preview.indexOf('/attendance-import/apply'));
    const unescape = (value: string) => value.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replaceAll('&amp;', '&');
    const hidden = [...form.matchAll(/<input type="hidden" name="(file|zone|_csrf)" value="([^"]*)">/g)].map((m): [string, string] => [m[1]!, unescape(m[2]!)]);
    expect(hidden.map(([name]) => name).sort()).toEqual(['_csrf', 'file', 'zone']);
    const response = await fetch(`${app.url}/programs/${programId}/attendance-import/apply`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: owner.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(hidden),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/programs/${programId}?imported_sessions=1`);
    const session = await app.database.prisma.session.findFirstOrThrow({ where: { programId } });
    expect(session).toMatchObject({ startsAt: new Date('2026-11-09T12:00:00Z'), importedAt: expect.any(Date), finalizedAt: expect.any(Date) });
    expect(await app.database.prisma.attendance.count({ where: { sessionId: session.id, status: 'present' } })).toBe(1);
    expect(await app.database.prisma.auditLog.count({ where: { action: 'session.import_report', entityId: session.id, actor: 'dashboard:admin_token:ADMIN_TOKEN' } })).toBe(1);
    const grid = await (await fetch(`${app.url}/programs/${programId}`, { headers: { cookie: owner.cookie } })).text();
    expect(grid).toContain('Import attendance');
    // The grid tells the truth: Sam's late join in minutes, and the flags on his attendance, in words.
    expect(grid).toContain('<span class="flags">8 min late, left early, short stay</span>');
  });
});
