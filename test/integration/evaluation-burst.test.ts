import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_EVALUATED_CHANNEL } from '../../src/services/dashboard-live-feed.js';
import { at, createScenario, minutes, minutesAgo } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';

/** Wide enough that twelve webhooks sent one after another land in one window on a loaded test machine. */
const DEBOUNCE_MS = 1000;

let app: TestApp;
let listener: pg.Client;
const evaluated: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ evaluationDebounceMs: DEBOUNCE_MS });
  // Every evaluation commits one notice on this channel (what the dashboard's live view hears).
  listener = new pg.Client({ connectionString: app.database.url });
  await listener.connect();
  listener.on('notification', (message) => {
    if (message.channel === SESSION_EVALUATED_CHANNEL && message.payload) evaluated.push((JSON.parse(message.payload) as { sessionId: string }).sessionId);
  });
  await listener.query(`LISTEN ${SESSION_EVALUATED_CHANNEL}`);
});
afterAll(async () => {
  await listener?.end();
  await app?.stop();
});

/** The evaluations of the session committed so far: a marker sent after them arrives after their notices. */
async function evaluationsOf(sessionId: string): Promise<number> {
  const marker = `marker-${Math.random()}`;
  await listener.query(`SELECT pg_notify($1, $2)`, [SESSION_EVALUATED_CHANNEL, JSON.stringify({ sessionId: marker })]);
  await waitFor(() => evaluated.includes(marker), 5000, 'the marker notice');
  return evaluated.filter((id) => id === sessionId).length;
}

const person = (i: number) => ({ name: `Member ${i}`, email: `member${i}@example.org` });
const zoomPerson = (i: number) => ({ user_name: `Member ${i}`, participant_uuid: `UUID-MEMBER-${i}`, email: `member${i}@example.org` });

describe('a burst of presence for one session', () => {
  it('is one or two evaluations, not one per webhook, and the record has every fact', async () => {
    const meetingId = '88100000001';
    const start = minutesAgo(2);
    const people = Array.from({ length: 12 }, (_, i) => person(i));
    const { sessionId, participants } = await createScenario(app, { meetingId, startsAt: start, minutes: 60, people });
    await app.idle();
    const before = await evaluationsOf(sessionId);

    // One after another, each answered before the next is sent, as a meeting's start brings them.
    for (const [i] of people.entries()) {
      const answer = await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: at(start, 60_000 + i * 1000), person: zoomPerson(i) }));
      expect(answer.status).toBe(200);
    }
    await app.idle();

    const burst = (await evaluationsOf(sessionId)) - before;
    expect(burst).toBeGreaterThanOrEqual(1);
    expect(burst).toBeLessThanOrEqual(2);
    const rows = await app.database.prisma.attendance.findMany({ where: { sessionId }, orderBy: { firstJoinAt: 'asc' } });
    expect(rows.map((r) => r.participantId)).toEqual(people.map((p) => participants[p.name]));
    expect(rows.every((r) => r.status === 'present' && r.firstJoinAt !== null)).toBe(true);
  });
});

describe("the meeting's session, remembered between webhooks", () => {
  it('sees a session created since for the same meeting', async () => {
    const meetingId = '88100000002';
    const first = minutesAgo(60);
    const { api, programId, sessionId, participants } = await createScenario(app, { meetingId, startsAt: first, minutes: 90, people: [person(1)] });
    const join = (uuid: string, when: Date) => postZoom(app.url, zoomDelivery('participant-joined', { meetingId, uuid, at: when, person: zoomPerson(1) }));
    expect((await join('first-occurrence==', at(first, minutes(1)))).status).toBe(200); // remembered: this meeting is the first session
    // The next occurrence of the meeting starts in ten minutes: a join now, from its instance, is its early arrival.
    const next = await api('POST', `/api/v1/programs/${programId}/sessions`, {
      startsAt: new Date(Date.now() + minutes(10)).toISOString(),
      endsAt: new Date(Date.now() + minutes(70)).toISOString(),
      meeting: { platform: 'zoom', meetingId },
    });
    expect(next.status).toBe(201);
    expect((await join('second-occurrence==', new Date(Math.floor(Date.now() / 1000) * 1000))).status).toBe(200);
    await app.idle();
    const facts = await app.database.prisma.presenceEvent.findMany({ where: { meetingId }, orderBy: { occurredAt: 'asc' }, select: { sessionId: true } });
    expect(facts.map((f) => f.sessionId)).toEqual([sessionId, next.body.id]);
    expect(participants[person(1).name]).toBeDefined();
  });

  it('looks again when the remembered session was deleted meanwhile (by another instance)', async () => {
    const meetingId = '88100000003';
    const start = minutesAgo(5);
    const { sessionId } = await createScenario(app, { meetingId, startsAt: start, minutes: 60, people: [person(2)] });
    const join = (i: number) => postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: at(start, minutes(i)), person: { ...zoomPerson(2), participant_uuid: `UUID-${i}` } }));
    expect((await join(1)).status).toBe(200);
    await app.idle();
    // Not through this instance's services: it is not told, as it would not be of another instance's change.
    await app.database.prisma.session.delete({ where: { id: sessionId } });
    expect((await join(2)).status).toBe(200);
    const kept = await app.database.prisma.presenceEvent.findMany({ where: { meetingId }, select: { sessionId: true } });
    expect(kept).toEqual([{ sessionId: null }]); // the first went with its session; the second is kept for no session
  });
});
