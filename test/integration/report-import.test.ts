import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStrikeSummaries } from '../../src/services/strikes.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { createShiftClock } from '../support/shift-clock.js';
import { TEST_SLACK_SIGNING_SECRET } from '../support/slack-signing.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Issue 17: a clinic's first day — ten past sessions of Adult IOP (Mon/Wed/Fri 07:00–10:00) from
 * the reports it downloads from Zoom and Teams, previewed, then applied: the right statuses, no
 * live alert, one summary post, strikes and follow-ups on the rung each person is on now.
 */
const ZONE = 'America/New_York';
const CHANNEL = 'C0STAFFIOP';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/reports/${name}`, import.meta.url));
const zoomText = fixture('zoom-participants.csv').toString('utf8');
const teamsBytes = fixture('teams-attendance.csv');

/** The Zoom report of Mon 9 Nov replayed on another day; the Teams download of Tue 10 Nov likewise (its UTF-16 bytes kept). */
const zoomOn = (day: number) => ({ format: 'zoom_participants', content: zoomText.replaceAll('11/09/2026', `11/${String(day).padStart(2, '0')}/2026`) });
const teamsOn = (day: number) => {
  const text = teamsBytes.subarray(2).toString('utf16le').replaceAll('11/10/26', `11/${day}/26`);
  return { format: 'teams_attendance', contentBase64: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]).toString('base64') };
};
const REPORTS = [zoomOn(9), zoomOn(11), zoomOn(13), zoomOn(16), zoomOn(18), teamsOn(20), teamsOn(23), teamsOn(25), teamsOn(27), teamsOn(30)];

let slack: FakeSlack;
let app: TestApp;
let programId: string;
const people: Record<string, string> = {};

beforeAll(async () => {
  slack = await startFakeSlack();
  app = await startTestApp({
    clock: createShiftClock(new Date('2026-12-01T17:00:00Z')),
    env: { SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url },
  });
  const program = await app.api('POST', '/api/v1/programs', { name: 'Adult IOP', timezone: ZONE, alertChannel: { platform: 'slack', channelId: CHANNEL }, staffUserIds: ['U0STAFF'] });
  expect(program.status).toBe(201);
  programId = program.body.id;
  const roster: [string, string?][] = [
    ['Jordan Lee', 'jordan.lee@example.com'],
    ['Avery Stone', 'avery.stone@example.com'],
    ['Blake Chen', 'blake.chen@example.com'],
    ['Morgan Diaz', 'morgan.diaz@example.com'],
    ['Sam Rivera'],
    ['Riley Park'],
    ['Priya Shah'],
    ['Casey Morgan'],
  ];
  for (const [name, email] of roster) {
    const created = await app.api('POST', `/api/v1/programs/${programId}/participants`, { name, ...(email ? { email } : {}), enrolledAt: '2026-11-01T00:00:00-04:00' });
    expect(created.status).toBe(201);
    people[name] = created.body.id;
  }
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

const imports = (body: unknown) => app.api('POST', `/api/v1/programs/${programId}/imports`, body);
const channelPosts = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === CHANNEL && c.outcome === 'ok');

describe('importing the attendance reports clinics download', () => {
  it('previews what matched, what did not and what it will create, and writes nothing', async () => {
    const preview = await imports({ reports: REPORTS });
    expect(preview.status).toBe(200);
    expect(preview.body.applied).toBe(false);
    const [monday, , , , , friday] = preview.body.reports;
    expect(monday.session).toMatchObject({ id: null, create: true, startsAt: '2026-11-09T12:00:00.000Z', endsAt: '2026-11-09T15:00:00.000Z', meetingId: '86012345678' });
    expect(Object.fromEntries(monday.matched.map((m: any) => [m.name, m.matchedBy]))).toEqual({
      'Avery Stone': 'email',
      'Blake Chen': 'email',
      'Jordan Lee': 'email',
      'Morgan Diaz': 'email',
      'Priya Shah': 'display_name',
      // Renamed in the meeting ("Riley's iPad"): matched by the original name Zoom keeps.
      'Riley Park': 'display_name',
      'Sam Rivera': 'display_name',
    });
    expect(monday.matched.find((m: any) => m.name === 'Blake Chen').stays).toBe(2);
    expect(monday.unmatched.map((u: any) => [u.name, u.guest])).toEqual([
      ['Dana Kim', false],
      ['(555) 010-0199', true],
    ]);
    expect(monday.waitingRoom).toEqual([{ name: 'Avery Stone', lines: [7] }]);
    expect(monday.absent).toEqual([{ participantId: people['Casey Morgan'], name: 'Casey Morgan' }]);
    expect(friday.format).toBe('teams_attendance');
    expect(friday.matched.map((m: any) => m.name)).toContain('Sam Rivera');
    expect(friday.unmatched.map((u: any) => u.name).sort()).toEqual(['Dana Kim', 'Unverified caller']);
    expect(await app.database.prisma.session.count({ where: { programId } })).toBe(0);
    expect(await app.database.prisma.presenceEvent.count()).toBe(0);
  });

  it('refuses a file that is not a report, naming it, and writes nothing', async () => {
    const bad = await imports({ reports: [zoomOn(9), { format: 'teams_attendance', content: 'hello\tworld' }], apply: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_input', details: [{ field: 'reports.1', message: expect.stringContaining('not a Teams attendance report') }] });
    expect(await app.database.prisma.session.count({ where: { programId } })).toBe(0);
  });

  it('applies: the right statuses, no live alert, one summary post, strikes and follow-ups on the rung each person is on now', async () => {
    const messagesBefore = await app.database.prisma.participantOutboxMessage.count();
    const applied = await imports({ reports: REPORTS, apply: true });
    expect(applied.status).toBe(201);
    const sessions = await app.database.prisma.session.findMany({ where: { programId }, orderBy: { startsAt: 'asc' } });
    expect(sessions).toHaveLength(10);
    expect(sessions.every((s) => s.importedAt && s.finalizedAt)).toBe(true);
    const monday = await app.database.prisma.attendance.findMany({ where: { sessionId: sessions[0]!.id } });
    const row = (name: string) => monday.find((a) => a.participantId === people[name]);
    expect(row('Jordan Lee')).toMatchObject({ status: 'present', final: true });
    expect(row('Avery Stone')).toMatchObject({ status: 'present' });
    expect(row('Blake Chen')?.status).toBe('present');
    expect(row('Sam Rivera')).toMatchObject({ status: 'late', flags: expect.arrayContaining(['late', 'short_stay']) });
    expect(row('Morgan Diaz')).toMatchObject({ status: 'present', flags: expect.arrayContaining(['left_early']) });
    expect(row('Riley Park')?.status).toBe('present');
    expect(row('Casey Morgan')).toMatchObject({ status: 'no_show', minutesPresent: 0 });

    // Nothing live about history: no alert on any imported session, no message to any participant.
    expect(await app.database.prisma.alert.count({ where: { sessionId: { in: sessions.map((s) => s.id) } } })).toBe(0);
    // (Enrolling sent each their intake message; the import adds none.)
    expect(await app.database.prisma.participantOutboxMessage.count()).toBe(messagesBefore);
    const posts = await waitFor(() => (channelPosts().length > 0 ? channelPosts() : undefined), 10_000, 'the summary post');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(channelPosts()).toHaveLength(1);
    expect(String(posts[0]!.body.text)).toMatch(/^Imported record/);
    const words = JSON.stringify(posts[0]!.body.blocks);
    expect(words).toContain('10 past sessions were added to the record. No alerts were raised about them.');
    expect(words).toMatch(/Strikes were recounted: \d+ follow-ups? proposed/);
    // Counts only: no participant's name in the channel.
    expect(words).not.toMatch(/Casey|Sam Rivera/);

    // Each person's open follow-ups are the rung they are on now; the rungs passed on the way are recorded as superseded.
    const summaries = await loadStrikeSummaries(app.database.prisma, app.organizationId, programId, undefined, new Date('2026-12-01T17:00:00Z'));
    for (const summary of summaries) {
      const open = await app.database.prisma.followUp.findMany({ where: { participantId: summary.participantId, state: 'open', rule: { startsWith: 'ladder:' } } });
      const onRung = summary.rungsReached.at(-1);
      expect({ who: summary.participantId, open: open.map((f) => f.rule) }).toEqual({ who: summary.participantId, open: onRung ? [`ladder:${onRung.strikes}`] : [] });
    }
    const casey = summaries.find((s) => s.participantId === people['Casey Morgan'])!;
    expect(casey.strikes).toBe(10);
    expect(await app.database.prisma.followUp.count({ where: { participantId: people['Casey Morgan'], state: 'dismissed', outcome: 'superseded_on_import' } })).toBe(3);
    expect(summaries.find((s) => s.participantId === people['Jordan Lee'])!.strikes).toBe(0);
    expect(applied.body.summary.followUpsOpened).toBe(await app.database.prisma.followUp.count({ where: { programId, state: 'open' } }));
  });

  it('importing the same reports again adds nothing and posts nothing', async () => {
    const before = channelPosts().length;
    const again = await imports({ reports: REPORTS, apply: true });
    expect(again.status).toBe(201);
    expect(again.body.reports.every((r: any) => r.session.create === false && r.result.factsAdded === 0)).toBe(true);
    expect(await app.database.prisma.session.count({ where: { programId } })).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(channelPosts()).toHaveLength(before);
  });
});

describe('the billing sheets of the imported record', () => {
  const sheet = async (name: string) => {
    const response = await fetch(`${app.url}/api/v1/programs/${programId}/report?from=2026-11-09&to=2026-11-13&format=csv&sheet=${name}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`-${name}.csv`);
    const [header, ...rows] = (await response.text()).trim().split('\r\n').map((line) => line.split(','));
    return rows.map((row) => Object.fromEntries(header!.map((h, i) => [h, row[i]])));
  };

  it('attendance: local join and leave times, status and flags, service minutes credited under the policy', async () => {
    const rows = await sheet('attendance');
    expect(rows).toHaveLength(3 * 8);
    const monday = (name: string) => rows.find((r) => r.participant === name && r.date === '2026-11-09')!;
    expect(monday('Jordan Lee')).toMatchObject({ session_start_local: '2026-11-09 07:00', joined_at_local: '2026-11-09 07:00', left_at_local: '2026-11-09 10:00', status: 'present', credited_minutes: '180' });
    // Sam: late, gone at 08:30 (left early) and so a short stay: only the minutes present are credited.
    expect(monday('Sam Rivera')).toMatchObject({ joined_at_local: '2026-11-09 07:08', status: 'late', flags: 'late left_early short_stay', present_minutes: '81', credited_minutes: '81' });
    expect(monday('Casey Morgan')).toMatchObject({ status: 'no_show', joined_at_local: '', credited_minutes: '0' });
  });

  it('weeks: hours credited against the week (three sessions offered: nine hours)', async () => {
    const rows = await sheet('weeks');
    expect(rows.find((r) => r.participant === 'Jordan Lee')).toMatchObject({ week: '2026-W46', credited_minutes: '540', required_minutes: '540', week_status: 'met' });
    expect(rows.find((r) => r.participant === 'Casey Morgan')).toMatchObject({ credited_minutes: '0', week_status: 'short by 9 h' });
  });
});

describe('a past session posted with its presence', () => {
  const minutes = (iso: string, n: number) => new Date(new Date(iso).getTime() + n * 60_000).toISOString();
  const start = '2026-12-01T07:00:00-05:00';

  it('is evaluated once with everything: the right statuses, no Not joined or Late join, no message to anyone', async () => {
    const messagesBefore = await app.database.prisma.participantOutboxMessage.count();
    const posted = await app.api('POST', `/api/v1/programs/${programId}/sessions`, {
      startsAt: start,
      endsAt: minutes(start, 180),
      meeting: { platform: 'zoom', meetingId: '86012345678' },
      presence: [
        { participantId: people['Jordan Lee'], intervals: [{ joinedAt: minutes(start, 0.5), leftAt: minutes(start, 180) }] },
        { participantId: people['Sam Rivera'], intervals: [{ joinedAt: minutes(start, 9), leftAt: minutes(start, 60) }, { joinedAt: minutes(start, 62), leftAt: minutes(start, 180) }] },
      ],
    });
    expect(posted.status).toBe(201);
    const sessionId = posted.body.id as string;
    const rows = await waitFor(async () => {
      const found = await app.database.prisma.attendance.findMany({ where: { sessionId, final: true } });
      return found.length === 8 ? found : undefined;
    }, 10_000, 'the final record');
    const status = (name: string) => rows.find((r) => r.participantId === people[name])?.status;
    expect([status('Jordan Lee'), status('Sam Rivera'), status('Casey Morgan')]).toEqual(['present', 'late', 'no_show']);
    const kinds = (await app.database.prisma.alert.findMany({ where: { sessionId } })).map((a) => a.kind);
    expect(kinds.filter((k) => ['not_joined', 'late_join', 'left_early', 'waiting_room', 'unrecognized_participant'].includes(k))).toEqual([]);
    await waitFor(async () => (await app.database.prisma.session.findUnique({ where: { id: sessionId } }))?.closedOutAt ?? undefined, 10_000, 'closed out');
    expect(await app.database.prisma.participantOutboxMessage.count()).toBe(messagesBefore);
  });

  it('refuses presence for a session that has not ended, or for someone not enrolled, and creates nothing', async () => {
    const before = await app.database.prisma.session.count({ where: { programId } });
    const future = await app.api('POST', `/api/v1/programs/${programId}/sessions`, {
      startsAt: '2026-12-09T07:00:00-05:00',
      endsAt: '2026-12-09T10:00:00-05:00',
      meeting: { platform: 'zoom', meetingId: '86012345678' },
      presence: [{ participantId: people['Jordan Lee'], intervals: [{ joinedAt: '2026-12-09T07:00:00-05:00', leftAt: '2026-12-09T10:00:00-05:00' }] }],
    });
    expect(future.status).toBe(400);
    expect(future.body.error.details).toEqual([{ field: 'presence', message: 'can be entered only with a session that has ended' }]);
    const stranger = await app.api('POST', `/api/v1/programs/${programId}/sessions`, {
      startsAt: '2026-11-02T07:00:00-05:00',
      endsAt: '2026-11-02T10:00:00-05:00',
      meeting: { platform: 'zoom', meetingId: '86012345678' },
      presence: [{ participantId: '00000000-0000-4000-8000-000000000000', intervals: [{ joinedAt: '2026-11-02T07:00:00-05:00', leftAt: '2026-11-02T10:00:00-05:00' }] }],
    });
    expect(stranger.status).toBe(400);
    expect(await app.database.prisma.session.count({ where: { programId } })).toBe(before);
  });
});
