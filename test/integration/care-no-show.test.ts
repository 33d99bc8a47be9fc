import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChoice } from '../../src/core/participant-message.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { postSlack, readSlackFixture, TEST_SLACK_SIGNING_SECRET } from '../support/slack-signing.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** The caring message after a no-show, each reply, the library offered, and the week's early warning. */
let slack: FakeSlack;
let app: TestApp;
const STAFF_CHANNEL = 'C0NOSHOWSTAFF';
const ZONE = 'America/New_York';

beforeAll(async () => {
  slack = await startFakeSlack();
  app = await startTestApp({ env: { SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url } });
  await app.api('PATCH', '/api/v1/organization', { settings: { participantChat: { slack: true } } });
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

type Button = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (body: Record<string, unknown>): Button[] =>
  ((body.blocks as { type: string; elements?: Button[] }[] | undefined) ?? []).find((b) => b.type === 'actions')?.elements ?? [];
const dmsTo = (user: string) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === `D${user}` && c.outcome === 'ok');
const staffPosts = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === STAFF_CHANNEL);

async function press(user: string, button: Button) {
  const click = readSlackFixture('block-actions-button');
  click.user.id = user;
  click.channel = { id: `D${user}`, name: 'directmessage' };
  click.container = { type: 'message', message_ts: '1796166400.000001', channel_id: `D${user}`, is_ephemeral: false };
  click.message.ts = '1796166400.000001';
  click.actions[0] = { ...click.actions[0], action_id: button.action_id, value: button.value };
  const before = slack.calls.length;
  expect((await postSlack(app.url, click, { form: true })).status).toBe(200);
  return waitFor(() => slack.calls.slice(before).find((c) => c.method === 'chat.update' && c.body.channel === `D${user}`), 8000, 'the replaced message');
}

async function setUp(name: string, meetingId: string, people: [string, string][], policy: Record<string, unknown> = {}) {
  const program = await app.api('POST', '/api/v1/programs', { name, timezone: ZONE, alertChannel: { platform: 'slack', channelId: STAFF_CHANNEL }, staffUserIds: ['U0STAFF'], policy });
  const programId = program.body.id as string;
  const material = await app.api('POST', `/api/v1/programs/${programId}/materials`, { kind: 'worksheet', title: 'Grounding skills worksheet', url: 'https://example.org/grounding.pdf' });
  expect(material.status).toBe(201);
  // The session nobody joins ends three seconds after it is created: a live session, finalized and
  // closed out then (one entered after it ended is history, and history messages no one).
  const start = DateTime.now().minus({ minutes: 60 }).plus({ seconds: 3 }).set({ millisecond: 0 });
  const ids: Record<string, string> = {};
  for (const [person, user] of people) {
    const created = await app.api('POST', `/api/v1/programs/${programId}/participants`, { name: person, timezone: ZONE, identities: [{ platform: 'slack', externalId: user }], enrolledAt: start.minus({ days: 1 }).toISO() });
    ids[user] = created.body.id;
  }
  // A later session with room, for make-ups (another day).
  const later = DateTime.now().plus({ days: 2 }).set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
  const makeUp = await app.api('POST', `/api/v1/programs/${programId}/sessions`, { startsAt: later.toISO(), endsAt: later.plus({ hours: 1 }).toISO(), meeting: { platform: 'zoom', meetingId: `${meetingId}9` } });
  const missed = await app.api('POST', `/api/v1/programs/${programId}/sessions`, {
    startsAt: start.toISO(),
    endsAt: start.plus({ minutes: 60 }).toISO(),
    meeting: { platform: 'zoom', meetingId, joinUrl: `https://zoom.us/j/${meetingId}` },
  });
  return { programId, ids, missedId: missed.body.id as string, makeUpId: makeUp.body.id as string };
}

describe('follow-up after a no-show', () => {
  it('asks each no-show kindly with four replies and the library; each reply updates the record', async () => {
    const people: [string, string][] = [['Ari Tech', 'U0ARITECH'], ['Bo Cameup', 'U0BOCAME1'], ['Cy Resched', 'U0CYRESCH'], ['Di Talk', 'U0DITALK1']];
    const { programId, ids, missedId, makeUpId } = await setUp('No-show group', '89300000001', people, { techContact: 'the IT line (555) 010-0100' });
    const followUps: Record<string, Record<string, unknown>> = {};
    for (const [, user] of people) {
      followUps[user] = (await waitFor(() => dmsTo(user).find((c) => String(c.body.text).startsWith('We missed you today')), 15_000, `the follow-up to ${user}`)).body;
    }
    const text = String(followUps.U0ARITECH!.text);
    expect(text).toContain("don't count as attendance");
    expect(text).toContain('Grounding skills worksheet: https://example.org/grounding.pdf');
    const reply = (user: string, r: string) => buttonsOf(followUps[user]!).find((b) => (decodeChoice(b.value) as { r?: string } | null)?.r === r)!;

    const tech = await press('U0ARITECH', reply('U0ARITECH', 'technical'));
    expect(String(tech.body.text)).toContain('Check your internet connection');
    expect(String(tech.body.text)).toContain('https://zoom.us/j/89300000001');
    expect(String(tech.body.text)).toContain('the IT line (555) 010-0100');
    expect(await app.database.prisma.absence.findFirst({ where: { participantId: ids.U0ARITECH, sessionId: missedId } })).toMatchObject({ category: 'technical', excused: false, reportedBy: 'participant' });

    const cameUp = await press('U0BOCAME1', reply('U0BOCAME1', 'came_up'));
    expect(String(cameUp.body.text)).toMatch(/^Thanks for letting us know/);
    expect(buttonsOf(cameUp.body).map((b) => decodeChoice(b.value))).toEqual([{ t: 'makeup', m: missedId, s: makeUpId }]);
    expect(await app.database.prisma.absence.findFirst({ where: { participantId: ids.U0BOCAME1, sessionId: missedId } })).toMatchObject({ category: 'other', excused: false });

    const reschedule = await press('U0CYRESCH', reply('U0CYRESCH', 'reschedule'));
    const options = buttonsOf(reschedule.body);
    expect(options.map((b) => decodeChoice(b.value))).toEqual([{ t: 'makeup', m: missedId, s: makeUpId }]);
    const booked = await press('U0CYRESCH', options[0]!);
    expect(String(booked.body.text)).toMatch(/^You're booked/);
    // The make-up session now expects its guest.
    await waitFor(async () => (await app.database.prisma.attendance.findFirst({ where: { sessionId: makeUpId, participantId: ids.U0CYRESCH } })) ?? undefined, 5000, 'the guest expected');

    const talk = await press('U0DITALK1', reply('U0DITALK1', 'talk'));
    expect(String(talk.body.text)).toContain('Someone from your care team will reach out');
    expect(await app.database.prisma.followUp.findFirst({ where: { participantId: ids.U0DITALK1, kind: 'contact_request', state: 'open' } })).toBeTruthy();
    // The channel also gets each no-show's Strike and the Session summary, about one post a second (Slack's pace).
    const ping = await waitFor(() => staffPosts().find((c) => String(c.body.text).startsWith('Asked to talk: Di T.')), 20_000, 'the staff ping');
    expect(JSON.stringify(ping.body)).not.toContain('U0DITALK1');
    // Pressing again asks no one twice.
    await press('U0DITALK1', reply('U0DITALK1', 'talk'));
    expect(await app.database.prisma.followUp.count({ where: { participantId: ids.U0DITALK1, kind: 'contact_request' } })).toBe(1);

    // Nine hours a week with no session left this week for some: the early warning (per week, once).
    const warned = await app.database.prisma.participantOutboxMessage.findMany({ where: { purpose: 'hours_at_risk', participantId: { in: Object.values(ids) } } });
    const alerts = await app.database.prisma.alert.findMany({ where: { kind: 'hours_at_risk', programId } });
    // One session of 60 minutes can never make nine hours: everyone enrolled is warned, and staff told.
    expect(warned).toHaveLength(4);
    expect(alerts).toHaveLength(4);
    await waitFor(() => staffPosts().find((c) => String(c.body.text).startsWith('Hours at risk: Ari T.')), 8000, 'the hours-at-risk alert');
    expect(await app.database.prisma.participantOutboxMessage.count({ where: { purpose: 'no_show_follow_up', participantId: { in: Object.values(ids) } } })).toBe(4);
  });

  it('materials: staff add and remove https links and worksheets, audited', async () => {
    const program = await app.api('POST', '/api/v1/programs', { name: 'Library group', timezone: ZONE, alertChannel: { platform: 'slack', channelId: STAFF_CHANNEL } });
    const route = `/api/v1/programs/${program.body.id}/materials`;
    expect((await app.api('POST', route, { kind: 'link', title: 'Plain http', url: 'http://example.org/x' })).status).toBe(400);
    expect((await app.api('POST', route, { kind: 'recording', title: 'Not here', url: 'https://example.org/x' })).status).toBe(400);
    const created = await app.api('POST', route, { kind: 'link', title: 'Sleep hygiene video', url: 'https://example.org/sleep' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'link', title: 'Sleep hygiene video', url: 'https://example.org/sleep', createdBy: expect.stringMatching(/^admin-api:/) });
    expect((await app.api('GET', route)).body.materials).toHaveLength(1);
    expect((await app.api('DELETE', `/api/v1/materials/${created.body.id}`)).status).toBe(204);
    expect((await app.api('DELETE', `/api/v1/materials/${created.body.id}`)).status).toBe(404);
    expect((await app.api('GET', route)).body.materials).toHaveLength(0);
    expect(await app.database.prisma.auditLog.count({ where: { entityId: created.body.id, action: { in: ['material.create', 'material.delete'] } } })).toBe(2);
  });

  it('sends nothing when the program turns the follow-up off', async () => {
    const { missedId } = await setUp('Quiet group', '89300000002', [['Eli Quiet', 'U0ELIQUIE']], { noShowFollowUp: false });
    await waitFor(async () => (await app.database.prisma.session.findUnique({ where: { id: missedId } }))?.closedOutAt ?? undefined, 15_000, 'closed out');
    expect(dmsTo('U0ELIQUIE').filter((c) => String(c.body.text).startsWith('We missed you'))).toHaveLength(0);
  });
});
