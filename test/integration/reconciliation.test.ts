import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileSession, type AttendanceReportSource, type ReportFetch } from '../../src/services/reconciliation.js';
import { createScenario } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitFor } from '../support/wait-for.js';
import { createLogger } from '../../src/logger.js';
import { systemClock } from '../../src/clock.js';

let app: TestApp;
let openGate: (report: ReportFetch) => void = () => {};
const gate = new Promise<ReportFetch>((resolve) => (openGate = resolve));
const asked: string[] = [];

/** A post-meeting report source that answers once the test has sent the live events. */
const source: AttendanceReportSource = {
  platform: 'zoom',
  name: 'zoom_past_participants',
  firstAttemptAfterMs: 0,
  async fetch(session) {
    asked.push(session.id);
    return gate;
  },
};

beforeAll(async () => {
  app = await startTestApp({ reportSources: [source] });
});
afterAll(() => app?.stop());

describe('post-meeting reconciliation', () => {
  it('merges what the live events missed, corrects the final record and says what changed', async () => {
    // Live, not history: the session ends three seconds after it is created (core/session-evaluation.ts).
    const startsAt = new Date(Math.floor((Date.now() - 60 * 60_000 + 3_000) / 1000) * 1000);
    const at = (minutes: number) => new Date(startsAt.getTime() + minutes * 60_000);
    const meetingId = '85000000001';
    const { sessionId, participants, organizationId, api } = await createScenario(app, {
      meetingId,
      startsAt,
      minutes: 60,
      people: [
        { name: 'Alex Kim', email: 'alex@example.org' },
        { name: 'Sam Lee', email: 'sam@example.org' },
      ],
    });
    const alex = { user_name: 'Alex Kim', participant_uuid: 'ALEX-UUID', email: 'alex@example.org' };
    // Live: Alex's join and a leave ten minutes in; the rejoin never arrived. Sam: nothing at all.
    expect((await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: at(0), person: alex }))).status).toBe(200);
    expect((await postZoom(app.url, zoomDelivery('participant-left', { meetingId, at: at(10), person: alex }))).status).toBe(200);
    await waitFor(async () => {
      const rows = await app.database.prisma.attendance.findMany({ where: { sessionId, final: true } });
      return rows.find((r) => r.participantId === participants['Alex Kim'] && r.minutesPresent === 10);
    }, 10_000, 'the live record');
    const noShow = await waitFor(async () => (await app.database.prisma.alert.findFirst({ where: { sessionId, participantId: participants['Sam Lee'], kind: 'no_show' } })) ?? undefined, 10_000, 'the no-show alert');
    await waitFor(() => asked.includes(sessionId), 10_000, 'the report asked for');

    openGate({
      status: 'ready',
      stays: [
        { personKey: 'alex-report', person: { displayName: 'Alex Kim', email: 'alex@example.org' }, joinedAt: at(0), leftAt: at(60) },
        { personKey: 'sam-report', person: { displayName: 'Sam Lee', email: 'sam@example.org' }, joinedAt: at(20), leftAt: at(60) },
      ],
    });
    const session = await waitFor(async () => {
      const row = await app.database.prisma.session.findUnique({ where: { id: sessionId } });
      return row?.reconciledAt ? row : undefined;
    }, 10_000, 'reconciled');
    const record = session.reconciliation as { status: string; source: string; reportRows: number; factsAdded: number; changes: { participantId: string; before: { status: string }; after: { status: string; minutesPresent: number } }[] };
    expect(record).toMatchObject({ status: 'reconciled', source: 'zoom_past_participants', reportRows: 2, factsAdded: 4 });
    const byId = new Map(record.changes.map((c) => [c.participantId, c]));
    expect(byId.get(participants['Alex Kim']!)).toMatchObject({ before: { minutesPresent: 10 }, after: { status: 'present', minutesPresent: 60 } });
    expect(byId.get(participants['Sam Lee']!)).toMatchObject({ before: { status: 'no_show' }, after: { status: 'late', minutesPresent: 40 } });
    const rows = await app.database.prisma.attendance.findMany({ where: { sessionId }, orderBy: { participantId: 'asc' } });
    expect(rows.every((r) => r.final)).toBe(true);
    // The No-show alert no longer applies: it is edited, not deleted.
    const alert = await app.database.prisma.alert.findUniqueOrThrow({ where: { id: noShow.id } });
    expect(alert.kind).toBe('late_join');
    const alexAlerts = await app.database.prisma.alert.findMany({ where: { sessionId, participantId: participants['Alex Kim'] } });
    expect(alexAlerts.map((a) => [a.kind, a.state]).sort()).toEqual([['left_early', 'resolved'], ['short_stay', 'resolved']]);
    expect(await app.database.prisma.auditLog.count({ where: { organizationId, action: 'session.reconcile', entityId: sessionId, actor: 'system' } })).toBe(1);
    const read = await api('GET', `/api/v1/sessions/${sessionId}`);
    expect(read.body.reconciliation).toMatchObject({ status: 'reconciled', source: 'zoom_past_participants', factsAdded: 4 });

    // A second run of the same report adds nothing and changes nothing.
    const again = await reconcileSession({ prisma: app.database.prisma, clock: systemClock, log: createLogger('silent'), evaluator: app.evaluator }, source, session, [
      { personKey: 'alex-report', person: { displayName: 'Alex Kim', email: 'alex@example.org' }, joinedAt: at(0), leftAt: at(60) },
    ]);
    expect(again).toEqual({ factsAdded: 0, changes: [] });
  });
});
