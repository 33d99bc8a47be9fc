import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { at, minutes } from '../support/scenario.js';
import { createShiftClock } from '../support/shift-clock.js';
import { TEST_SLACK_SIGNING_SECRET } from '../support/slack-signing.js';
import { meetingActivity, postTeams, STAFF_CHANNEL_ID, teamsActivity, TEAMS_DEVELOPMENT_ENV } from '../support/teams-activities.js';
import { BACKLOG_TIMING } from '../../src/core/backlog-hold.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';

/**
 * Issue 19: a whole session delivered in one burst twenty minutes late (Zoom's retries, Teams'
 * lag, our own outage) raises no alert on the partial picture an evaluation sees halfway through
 * it; the same session delivered live keeps its deadlines. The evaluator is slowed on purpose (each
 * evaluation sleeps in the database before it commits) so that the first evaluation after the
 * start event always commits, and its alerts are delivered, while the joins behind it are stored.
 */
const clock = createShiftClock();
let connector: FakeBotConnector;
let slack: FakeSlack;
let app: TestApp;

beforeAll(async () => {
  connector = await startFakeBotConnector();
  slack = await startFakeSlack();
  app = await startTestApp({
    clock,
    captureLogs: true,
    // The hold itself is under test: its real quiet window and cap, not the suite's shortened ones.
    backlogTiming: BACKLOG_TIMING,
    env: { ...TEAMS_DEVELOPMENT_ENV, SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url },
  });
  await postTeams(app.url, teamsActivity('bot-added-to-team', { serviceUrl: connector.url }));
  // The deliberately slowed evaluator: every evaluation ends by updating its session row.
  await app.database.prisma.$executeRawUnsafe(`CREATE FUNCTION slow_evaluation() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.8); RETURN NEW; END $$ LANGUAGE plpgsql`);
  await app.database.prisma.$executeRawUnsafe(`CREATE TRIGGER slow_evaluation BEFORE UPDATE ON "Session" FOR EACH ROW EXECUTE FUNCTION slow_evaluation()`);
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
  await connector?.close();
});

/** Eight expected: five on time, two late (8 and 12 minutes), one who never comes; and a stranger's phone that joins and leaves. */
const ON_TIME = [
  { name: 'Avery Brooks', at: 0 },
  { name: 'Blake Chen', at: minutes(1) },
  { name: 'Cameron Dale', at: minutes(1) },
  { name: 'Devon Ellis', at: minutes(2) },
  { name: 'Emery Flores', at: minutes(4) },
];
const LATE = [
  { name: 'Finley Grant', at: minutes(8) },
  { name: 'Harper Ives', at: minutes(12) },
];
const NEVER = 'Jordan Kline';
const shown = (name: string) => `${name.split(' ')[0]} ${name.split(' ')[1]![0]}.`;

type Platform = 'slack' | 'teams';
interface Delivery {
  at: number;
  send(): Promise<{ status: number }>;
  phoneJoin?: boolean;
}

/** A program alerting `alerts`, its eight people and one 3-hour session starting at `start`; what its meeting delivers, in order. */
async function session(alerts: Platform, tag: string, start: Date): Promise<{ sessionId: string; deliveries: Delivery[] }> {
  const meetingId = alerts === 'slack' ? `8601900${tag}` : Buffer.from(`19:meeting_Backlog${tag}@thread.v2`).toString('base64');
  const presence = alerts === 'slack' ? 'zoom' : 'teams';
  const identity = (i: number) => (presence === 'zoom' ? `zoom-user-${tag}-${i}` : `5a1b2c3d-0000-4e5f-8a9b-${tag.padStart(6, '0')}${String(i).padStart(6, '0')}`);
  const program = await app.api('POST', '/api/v1/programs', {
    name: `Backlog ${tag}`,
    timezone: 'America/New_York',
    alertChannel: alerts === 'slack' ? { platform: 'slack', channelId: channelOf(tag) } : { platform: 'teams', channelId: STAFF_CHANNEL_ID },
  });
  expect(program.status).toBe(201);
  const everyone = [...ON_TIME, ...LATE, { name: NEVER, at: -1 }];
  for (const [i, person] of everyone.entries()) {
    const created = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, {
      name: person.name,
      enrolledAt: new Date(start.getTime() - 86_400_000).toISOString(),
      identities: [{ platform: presence, externalId: identity(i) }],
    });
    expect(created.status).toBe(201);
  }
  const created = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
    startsAt: start.toISOString(),
    endsAt: at(start, minutes(180)).toISOString(),
    meeting: { platform: presence, meetingId },
  });
  expect(created.status).toBe(201);
  // Teams answers the meeting's details, so the session learns its organizer once (not on every delivery).
  if (presence === 'teams') connector.setMeeting(meetingId, { details: { id: meetingId, msGraphResourceId: `MSo${tag}`, type: 'Scheduled' }, organizer: { id: '29:organizer', aadObjectId: '5a1b2c3d-0000-4e5f-8a9b-00000000aaaa' } });

  const zoom = (fixture: string, offset: number, person?: { name: string; key: string; id?: string }) => ({
    at: offset,
    send: () => postZoom(app.url, zoomDelivery(fixture, { meetingId, at: at(start, offset), person: person && { user_name: person.name, participant_uuid: person.key, id: person.id } })),
  });
  const teams = (fixture: 'meeting-start' | 'meeting-participant-join' | 'meeting-participant-leave', offset: number, person?: { name: string; aadObjectId?: string }) => ({
    at: offset,
    send: () => postTeams(app.url, meetingActivity(fixture, { serviceUrl: connector.url, meetingId, at: at(start, offset), people: person && [person] })),
  });
  const joins = everyone.flatMap((person, i) => (person.at < 0 ? [] : [{ person, i }]));
  const phone = 'Galaxy S23';
  const deliveries: Delivery[] =
    presence === 'zoom'
      ? [
          zoom('meeting-started', 0),
          ...joins.map(({ person, i }) => zoom('participant-joined', person.at, { name: person.name, key: `UUID-${tag}-${i}`, id: identity(i) })),
          { ...zoom('participant-joined', minutes(3), { name: phone, key: `UUID-${tag}-phone` }), phoneJoin: true },
          zoom('participant-left', minutes(6), { name: phone, key: `UUID-${tag}-phone` }),
        ]
      : [
          teams('meeting-start', 0),
          ...joins.map(({ person, i }) => teams('meeting-participant-join', person.at, { name: person.name, aadObjectId: identity(i) })),
          { ...teams('meeting-participant-join', minutes(3), { name: phone }), phoneJoin: true },
          teams('meeting-participant-leave', minutes(6), { name: phone }),
        ];
  return { sessionId: created.body.id as string, deliveries: deliveries.sort((a, b) => a.at - b.at) };
}

const channelOf = (tag: string) => `C0BACKLOG${tag}`;

/** Every version of every alert message about the session in its channel, as text (Slack: posts and edits; Teams: each card version). */
function messagesOf(alerts: Platform, tag: string, sessionId: string): { op: 'post' | 'edit'; text: string }[] {
  if (alerts === 'slack') {
    return slack.calls
      .filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.body.channel === channelOf(tag))
      .map((c) => ({ op: c.method === 'chat.postMessage' ? 'post' : 'edit', text: String(c.body.text) }));
  }
  return connector
    .messages(STAFF_CHANNEL_ID)
    .filter((m) => JSON.stringify(m.versions).includes(sessionId))
    .flatMap((m) => m.versions.map((version, i) => ({ op: i === 0 ? ('post' as const) : ('edit' as const), text: JSON.stringify(version) })));
}

/** What staff saw: no word about anyone on time, each late person once as "Late join", the one who never came once as "Not joined". */
function expectOnlyWhatIsTrue(alerts: Platform, tag: string, sessionId: string) {
  const messages = messagesOf(alerts, tag, sessionId);
  for (const person of ON_TIME) expect(messages.filter((m) => m.text.includes(shown(person.name))), person.name).toEqual([]);
  for (const person of LATE) {
    const about = messages.filter((m) => m.text.includes(shown(person.name)));
    expect(about.map((m) => m.op), person.name).toEqual(['post']);
    expect(about[0]!.text).toContain(`Late join: ${shown(person.name)}`);
    expect(about[0]!.text).not.toContain('Not joined');
  }
  const never = messages.filter((m) => m.text.includes(`Not joined: ${shown(NEVER)}`));
  expect(never.map((m) => m.op)).toEqual(['post']);
  expect(messages.filter((m) => m.text.includes('Not joined')).length).toBe(never.length);
}

const heldLogs = (sessionId: string) => app.logs.filter((line) => line.msg === 'arrival alerts held while a backlog arrives' && line.sessionId === sessionId);

async function alertRow(sessionId: string, kind: string) {
  return (await app.database.prisma.alert.findFirst({ where: { sessionId, kind, deliveryState: 'delivered' } })) ?? undefined;
}

describe.each(['slack', 'teams'] as const)('a session alerting %s', (alerts) => {
  it('delivered in one burst twenty minutes late: alerts only on the whole picture, once', async () => {
    clock.set(new Date());
    const tag = alerts === 'slack' ? '01' : '02';
    const start = new Date(Math.floor((clock.now().getTime() - minutes(20)) / 1000) * 1000);
    const { sessionId, deliveries } = await session(alerts, tag, start);
    for (const delivery of deliveries) expect((await delivery.send()).status).toBeLessThan(300);

    await waitFor(() => alertRow(sessionId, 'not_joined'), 25_000, 'the Not joined for the one who never came');
    await waitFor(() => alertRow(sessionId, 'unrecognized_participant'), 10_000, 'the unrecognized phone');
    await waitForDrain(app, { timeoutMs: 20_000 });
    expectOnlyWhatIsTrue(alerts, tag, sessionId);
    // The hold ended by a durable deadline job (any instance may run it), not a timer in memory.
    const until = heldLogs(sessionId).at(-1)?.until as string | undefined;
    expect(until).toBeTruthy();
    const { rows } = await app.boss.getDb().executeSql(`SELECT state FROM pgboss.job WHERE name = 'session.deadline' AND singleton_key = $1`, [`${sessionId}@${new Date(until!).toISOString()}`]);
    expect(rows).toEqual([{ state: 'completed' }]);
    const stored = await app.database.prisma.alert.findMany({ where: { sessionId }, orderBy: { kind: 'asc' } });
    expect(stored.map((a) => a.kind).sort()).toEqual(['late_join', 'late_join', 'not_joined', 'unrecognized_participant']);
    // Asked who the phone might be, staff are offered only the one who never came.
    const unrecognized = stored.find((a) => a.kind === 'unrecognized_participant')!;
    expect((unrecognized.detail as { candidateParticipantIds: string[] }).candidateParticipantIds).toEqual([stored.find((a) => a.kind === 'not_joined')!.participantId]);
  });

  it('delivered live, each event at its own time: nothing is held and the Not joined deadline fires on time', async () => {
    const tag = alerts === 'slack' ? '11' : '12';
    const start = new Date(Math.floor((Date.now() + minutes(30)) / 1000) * 1000);
    clock.set(at(start, -5_000));
    const { sessionId, deliveries } = await session(alerts, tag, start);
    for (const delivery of deliveries) {
      clock.set(at(start, delivery.at + 300));
      expect((await delivery.send()).status).toBeLessThan(300);
      await app.idle();
      // The stranger's phone is named by the evaluation its join caused, live: no hold.
      if (delivery.phoneJoin) expect(await app.database.prisma.alert.count({ where: { sessionId, kind: 'unrecognized_participant' } })).toBe(1);
    }
    await waitFor(() => LATE.every((p) => messagesOf(alerts, tag, sessionId).some((m) => m.text.includes(`Late join: ${shown(p.name)}`))) || undefined, 10_000, 'the late joins');
    expect(await app.database.prisma.alert.count({ where: { sessionId, kind: 'not_joined' } })).toBe(0);

    // The deadline, 15 minutes after the start: the clock jumps there and the sweep stands in for the
    // deadline job scheduled before the jump. The evaluation at the deadline raises the alert itself.
    clock.set(at(start, minutes(15) + 100));
    await app.sweep();
    expect(await app.database.prisma.alert.count({ where: { sessionId, kind: 'not_joined' } })).toBe(1);
    await waitFor(() => alertRow(sessionId, 'not_joined'), 10_000, 'the Not joined delivered');
    await waitForDrain(app, { timeoutMs: 20_000 });
    expect(heldLogs(sessionId)).toEqual([]);
    expectOnlyWhatIsTrue(alerts, tag, sessionId);
  });
});
