import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { createGraphAttendanceSource } from '../../src/platforms/teams/graph-attendance.js';
import { reconcileSession, type ReportSession } from '../../src/services/reconciliation.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { minutes, minutesAgo } from '../support/scenario.js';
import { meetingActivity, postTeams, TEAMS_TENANT, TEAMS_DEVELOPMENT_ENV } from '../support/teams-activities.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ORGANIZER = '5c3b9a1e-0000-4d8e-9f00-00000000aa01';
const ONLINE_MEETING = 'MSo1YzNiOWExZS0wMDAwLTRkOGUtOWYwMC0wMDAwMDAwMGFhMDEqMCoqMTk6bWVldGluZ19HcmFwaA==';
const ALEX = '7e8f9a0b-0000-4c1d-8e2f-300000000001';

let connector: FakeBotConnector;
let app: TestApp;
let graph: http.Server;
let graphUrl = '';
const requests: { method: string; path: string; authorization?: string; body: string }[] = [];
/** What the fake Graph answers for the attendance report list; null answers 403. */
let reports: unknown[] | null = [];
let records: unknown[] = [];

beforeAll(async () => {
  connector = await startFakeBotConnector();
  app = await startTestApp({ env: TEAMS_DEVELOPMENT_ENV, platforms: ['teams'] });
  graph = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body: Buffer.concat(chunks).toString() });
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === `/login/${TEAMS_TENANT}/oauth2/v2.0/token`) return json(200, { token_type: 'Bearer', expires_in: 3599, access_token: 'graph-token-1' });
    if (req.headers.authorization !== 'Bearer graph-token-1') return json(401, { error: { code: 'InvalidAuthenticationToken' } });
    const base = `/v1.0/users/${ORGANIZER}/onlineMeetings/${ONLINE_MEETING}/attendanceReports`;
    if (path === base) return reports ? json(200, { value: reports }) : json(403, { error: { code: 'Forbidden', message: 'No application access policy found for this app.' } });
    if (path === `${base}/report-1/attendanceRecords`) {
      // Two pages, as Graph pages long lists with @odata.nextLink.
      const page = new URL(req.url ?? '/', 'http://x').searchParams.get('page');
      const { port } = graph.address() as AddressInfo;
      return page ? json(200, { value: records.slice(1) }) : json(200, { value: records.slice(0, 1), '@odata.nextLink': `http://127.0.0.1:${port}${base}/report-1/attendanceRecords?page=2` });
    }
    json(404, { error: { code: 'NotFound' } });
  });
  await new Promise<void>((resolve) => graph.listen(0, '127.0.0.1', resolve));
  graphUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.stop();
  await connector?.close();
  graph?.closeAllConnections();
  await new Promise((resolve) => graph?.close(resolve));
});

const source = () =>
  createGraphAttendanceSource({ clientId: 'app-id', clientSecret: 'app-secret', loginUrl: `${graphUrl}/login`, graphUrl: `${graphUrl}/v1.0`, log: createLogger('silent'), prisma: app.database.prisma });

async function endedTeamsSession(meetingId: string): Promise<ReportSession & { participantId: string }> {
  const start = minutesAgo(80);
  const program = await app.api('POST', '/api/v1/programs', { name: `Graph ${meetingId}`, timezone: 'America/New_York', alertChannel: { platform: 'slack', channelId: 'C-GRAPH' } });
  const participant = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, {
    name: 'Alex Kim',
    enrolledAt: new Date(start.getTime() - 86_400_000).toISOString(),
    identities: [{ platform: 'teams', externalId: ALEX }],
  });
  const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + minutes(60)).toISOString(), meeting: { platform: 'teams', meetingId } });
  // The meeting's start event reached Rollcall; its details name the organizer and the Graph meeting id.
  connector.setMeeting(meetingId, { details: { id: meetingId, msGraphResourceId: ONLINE_MEETING, type: 'Scheduled' }, organizer: { id: '29:organizer', aadObjectId: ORGANIZER } });
  await postTeams(app.url, meetingActivity('meeting-start', { serviceUrl: connector.url, meetingId, at: start }));
  const row = await app.database.prisma.session.findUniqueOrThrow({ where: { id: session.body.id } });
  return { id: row.id, organizationId: row.organizationId, meetingId: row.meetingId, meetingInstanceId: row.meetingInstanceId, startsAt: row.startsAt, endsAt: row.endsAt, participantId: participant.body.id };
}

describe('Graph attendance reports as the Teams post-meeting source', () => {
  it('says not_ready until the occurrence has a report, then reads every page of records into stays and reconciles', async () => {
    const session = await endedTeamsSession('MCMxOTptZWV0aW5nX0dyYXBoMQ==');
    expect((await app.database.prisma.session.findUniqueOrThrow({ where: { id: session.id } })).meetingInfo).toMatchObject({ organizerId: ORGANIZER, onlineMeetingId: ONLINE_MEETING, tenantId: TEAMS_TENANT });
    // A report of an earlier occurrence of the same recurring meeting is not this session's.
    reports = [{ id: 'report-0', meetingStartDateTime: new Date(session.startsAt.getTime() - 7 * 86_400_000).toISOString(), meetingEndDateTime: null }];
    expect(await source().fetch(session)).toEqual({ status: 'not_ready' });

    reports.push({ id: 'report-1', meetingStartDateTime: session.startsAt.toISOString(), meetingEndDateTime: session.endsAt.toISOString() });
    const at = (m: number) => new Date(session.startsAt.getTime() + minutes(m)).toISOString();
    records = [
      { id: 'r1', emailAddress: 'alex@example.org', role: 'Attendee', totalAttendanceInSeconds: 3000, identity: { id: ALEX, displayName: 'Alex Kim', tenantId: TEAMS_TENANT }, attendanceIntervals: [{ joinDateTime: at(2), leaveDateTime: at(30), durationInSeconds: 1680 }, { joinDateTime: at(32), leaveDateTime: at(60), durationInSeconds: 1680 }] },
      { id: 'r2', emailAddress: null, role: 'Attendee', totalAttendanceInSeconds: 600, identity: { id: null, displayName: 'Guest Phone', tenantId: null }, attendanceIntervals: [{ joinDateTime: at(5), leaveDateTime: at(15), durationInSeconds: 600 }] },
    ];
    const result = await source().fetch(session);
    expect(result.status).toBe('ready');
    const stays = (result as { stays: { personKey: string; person: { userId?: string }; joinedAt: Date }[] }).stays;
    // A guest with neither an identity id nor an email is kept by its record id (an unrecognized person).
    expect(stays.map((s) => s.personKey)).toEqual([ALEX, ALEX, 'r2']);
    expect(stays[0]!.person.userId).toBe(ALEX);
    const token = requests.find((r) => r.path.endsWith('/oauth2/v2.0/token'))!;
    expect(new URLSearchParams(token.body).get('grant_type')).toBe('client_credentials');

    const { changes } = await reconcileSession({ prisma: app.database.prisma, clock: systemClock, log: createLogger('silent'), evaluator: app.evaluator }, { platform: 'teams', name: 'graph_attendance_report' }, session, stays as never);
    const alex = changes.find((c) => c.participantId === session.participantId);
    expect(alex?.before.status).toBe('no_show');
    // 56 minutes in two intervals; the short gap between them is within the rejoin grace.
    expect(alex?.after.minutesPresent).toBeGreaterThanOrEqual(56);
    expect(alex?.after.status).not.toBe('no_show');
  });

  it('is unavailable for channel meetings, unknown organizers, and when Graph refuses', async () => {
    const session = await endedTeamsSession('MCMxOTptZWV0aW5nX0dyYXBoMg==');
    reports = null;
    expect(await source().fetch(session)).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/application access policy/) });
    await app.database.prisma.session.update({ where: { id: session.id }, data: { meetingInfo: { platform: 'teams', channelMeeting: true } } });
    expect(await source().fetch(session)).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/channel meetings/) });
    await app.database.prisma.session.update({ where: { id: session.id }, data: { meetingInfo: { platform: 'teams' } } });
    expect(await source().fetch(session)).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/organizer/) });
  });
});
