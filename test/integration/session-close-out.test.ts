import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScenario } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let app: TestApp;
const ran: { step: string; sessionId: string }[] = [];
let failuresLeft = 1;

beforeAll(async () => {
  app = await startTestApp({
    platforms: [],
    closeOutSteps: [
      { name: 'record', run: async (sessionId) => void ran.push({ step: 'record', sessionId }) },
      {
        name: 'flaky',
        run: async (sessionId) => {
          ran.push({ step: 'flaky', sessionId });
          if (failuresLeft-- > 0) throw new Error('the chat platform is down');
        },
      },
    ],
  });
});
afterAll(() => app?.stop());

describe('session close-out', () => {
  it('runs every step once the session is finalized, retries a failing step, then marks the session closed out', async () => {
    const startsAt = new Date(Date.now() - 70 * 60_000);
    const { sessionId } = await createScenario(app, { meetingId: '86000000001', startsAt, minutes: 60, people: [{ name: 'Alex Kim' }] });
    const closed = await waitFor(async () => (await app.database.prisma.session.findUnique({ where: { id: sessionId } }))?.closedOutAt ?? undefined, 20_000, 'closed out');
    expect(closed).toBeInstanceOf(Date);
    const mine = ran.filter((r) => r.sessionId === sessionId).map((r) => r.step);
    // The first attempt failed at "flaky"; the retry ran every step again (steps are idempotent).
    expect(mine).toEqual(['record', 'flaky', 'record', 'flaky']);
  });

  it('records a back-filled session from last week without running its close-out steps', async () => {
    const startsAt = new Date(Date.now() - 7 * 86_400_000);
    const { sessionId } = await createScenario(app, { meetingId: '86000000002', startsAt, minutes: 60, people: [{ name: 'Sam Lee' }] });
    const session = await waitFor(async () => {
      const row = await app.database.prisma.session.findUnique({ where: { id: sessionId } });
      return row?.finalizedAt ? row : undefined;
    }, 10_000, 'finalized');
    await app.sweep();
    await waitFor(async () => (await app.database.prisma.session.findUnique({ where: { id: session.id } }))?.closedOutAt ?? undefined, 10_000, 'closed out');
    expect(ran.filter((r) => r.sessionId === sessionId)).toEqual([]);
  });
});
