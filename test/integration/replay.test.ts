import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../../scripts/replay.js';
import { createScenario, minutesAgo } from '../support/scenario.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { TEST_ZOOM_SECRET } from '../support/zoom-signing.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ platforms: ['zoom'] });
});
afterAll(() => app?.stop());

describe('npm run replay', () => {
  it('sends a saved Zoom join through the signed route and prints the attendance and alerts it changed', async () => {
    await createScenario(app, {
      meetingId: '85012345678',
      startsAt: minutesAgo(20),
      minutes: 90,
      people: [{ name: 'Jordan Alvarez', email: 'jordan.alvarez@example.org' }, { name: 'Alex Kim' }],
      inOrganizationOf: { token: TEST_ADMIN_TOKEN, organizationId: app.organizationId },
    });
    const report = await replay({
      file: 'test/fixtures/zoom/participant-joined.json',
      url: app.url,
      adminToken: TEST_ADMIN_TOKEN,
      secrets: { zoomSecret: TEST_ZOOM_SECRET },
      at: new Date(),
      waitMs: 15_000,
    });
    expect(report.status).toBe(200);
    expect(report.body).toEqual({ status: 'stored' });
    expect(report.changes[0]).toMatch(/^session [0-9a-f-]{36} — Group 85012345678, .* \(zoom 85012345678\)$/);
    expect(report.changes).toContainEqual(expect.stringMatching(/^ {2}attendance {2}Jordan Alvarez: \w+ → late late$/));
    const stored = await app.database.prisma.presenceEvent.findFirst({ where: { meetingId: '85012345678' } });
    expect(stored?.sessionId).toBeTruthy();
    // The meeting's first delivery came after the "Not joined" deadline: more is probably queued
    // behind it, so Alex's alert waits until the meeting's deliveries have been quiet
    // (core/backlog-hold.ts), likely after the replay printed what changed.
    await waitFor(async () => (await app.database.prisma.alert.findFirst({ where: { sessionId: stored!.sessionId!, kind: 'not_joined' } })) ?? undefined, 8000, 'the held Not joined');
  });

  it('says what is wrong when the secret does not match: 401, nothing stored', async () => {
    const report = await replay({ file: 'test/fixtures/zoom/participant-left.json', url: app.url, adminToken: TEST_ADMIN_TOKEN, secrets: { zoomSecret: 'not-the-secret' }, meetingId: '85099999999', waitMs: 0 });
    expect(report.status).toBe(401);
    expect(report.changes).toEqual([]);
    expect(await app.database.prisma.presenceEvent.count({ where: { meetingId: '85099999999' } })).toBe(0);
  });
});
