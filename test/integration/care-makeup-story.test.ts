import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeChoice } from '../../src/core/participant-message.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { createShiftClock } from '../support/shift-clock.js';
import { postSlack, readSlackFixture, TEST_SLACK_SIGNING_SECRET } from '../support/slack-signing.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Whole stories through Slack (participant chat turned on) and signed Zoom webhooks, with the app
 * clock moved by the test: intake, a technical absence reported the day before, a make-up booked
 * from the offered buttons and attended, the missed session becoming `made_up`.
 */
let slack: FakeSlack;
let app: TestApp;
const clock = createShiftClock();
const STAFF_CHANNEL = 'C0CARESTAFF';
const ZONE = 'America/New_York';

beforeAll(async () => {
  slack = await startFakeSlack();
  app = await startTestApp({ clock, env: { SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url } });
  await app.api('PATCH', '/api/v1/organization', { settings: { participantChat: { slack: true } } });
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

let eventCount = 0;
function dm(user: string, text: string) {
  const payload = readSlackFixture('event-message-im');
  eventCount += 1;
  payload.event_id = `Ev0CARE${eventCount}`;
  payload.event.user = user;
  payload.event.text = text;
  payload.event.channel = `D${user}`;
  payload.event.ts = payload.event.event_ts = `1796166400.${String(eventCount).padStart(6, '0')}`;
  return payload;
}

type Button = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (body: Record<string, unknown>): Button[] =>
  ((body.blocks as { type: string; elements?: Button[] }[] | undefined) ?? []).find((b) => b.type === 'actions')?.elements ?? [];

/** The participant presses a button of a message the bot sent them. */
async function press(user: string, button: Button, messageTs = '1796166400.000001') {
  const click = readSlackFixture('block-actions-button');
  click.user.id = user;
  click.channel = { id: `D${user}`, name: 'directmessage' };
  click.container = { type: 'message', message_ts: messageTs, channel_id: `D${user}`, is_ephemeral: false };
  click.message.ts = messageTs;
  click.actions[0] = { ...click.actions[0], action_id: button.action_id, value: button.value };
  const before = slack.calls.length;
  expect((await postSlack(app.url, click, { form: true })).status).toBe(200);
  return waitFor(() => slack.calls.slice(before).find((c) => c.method === 'chat.update' && c.body.channel === `D${user}`), 8000, 'the replaced message');
}

const dmsTo = (user: string) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === `D${user}` && c.outcome === 'ok');

async function program(name: string, policy: Record<string, unknown> = {}) {
  const created = await app.api('POST', '/api/v1/programs', { name, timezone: ZONE, alertChannel: { platform: 'slack', channelId: STAFF_CHANNEL }, staffUserIds: ['U0CARESTAFF'], policy });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function session(programId: string, startsAt: DateTime, minutes: number, meetingId: string) {
  const created = await app.api('POST', `/api/v1/programs/${programId}/sessions`, {
    startsAt: startsAt.toISO(),
    endsAt: startsAt.plus({ minutes }).toISO(),
    meeting: { platform: 'zoom', meetingId, joinUrl: `https://zoom.us/j/${meetingId}` },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('intake', () => {
  it('sends the expectations on enrolment (once, after a 429), and "I understand" is recorded, audited and shown to staff', async () => {
    const programId = await program('Intake group', { techContact: 'the IT line (555) 010-0100' });
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const created = await app.api('POST', `/api/v1/programs/${programId}/participants`, { name: 'Riley Chen', timezone: ZONE, identities: [{ platform: 'slack', externalId: 'U0RILEY01' }] });
    expect(created.status).toBe(201);
    const intake = await waitFor(() => dmsTo('U0RILEY01')[0], 10_000, 'the intake message');
    expect(String(intake.body.text)).toContain('welcome to Intake group');
    expect(String(intake.body.text)).toContain('9 h of group time each week');
    // The 429 was retried after Retry-After, and the message went out exactly once.
    const attempts = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === 'DU0RILEY01');
    expect(attempts.map((c) => c.outcome)).toEqual(['http_429', 'ok']);
    const row = await waitFor(async () => (await app.database.prisma.participantOutboxMessage.findFirst({ where: { participantId: created.body.id, purpose: 'intake', state: 'sent' } })) ?? undefined, 5000, 'the outbox row');
    expect(row.attempts).toBe(2);
    const [button] = buttonsOf(intake.body);
    expect(button!.text.text).toBe('I understand');
    const thanks = await press('U0RILEY01', button!);
    expect(String(thanks.body.text)).toMatch(/^Thank you!/);
    const listed = await app.api('GET', `/api/v1/programs/${programId}/participants`);
    expect(listed.body.participants[0].enrollment.policyAcknowledgedAt).toEqual(expect.any(String));
    expect(await app.database.prisma.auditLog.count({ where: { action: 'enrollment.policy_acknowledged', actor: 'slack:U0RILEY01' } })).toBe(1);
    // Pressing again changes nothing.
    await press('U0RILEY01', button!);
    expect(await app.database.prisma.auditLog.count({ where: { action: 'enrollment.policy_acknowledged', actor: 'slack:U0RILEY01' } })).toBe(1);
  });

  it('records why nothing was sent when the participant has no chat the bot may write to', async () => {
    const programId = await program('Intake group without chat');
    const created = await app.api('POST', `/api/v1/programs/${programId}/participants`, { name: 'Drew Park', email: 'drew@example.org' });
    const messages = await waitFor(async () => {
      const read = await app.api('GET', `/api/v1/participants/${created.body.id}/messages`);
      return read.body.messages.length > 0 ? read.body.messages : undefined;
    }, 5000, 'the recorded skip');
    expect(messages[0]).toMatchObject({ purpose: 'intake', state: 'skipped', lastError: 'no_chat_identity' });
  });
});

describe('a technical absence reported the day before, made up in another session', () => {
  it('is excused, offers bookable make-ups, and attending the make-up marks the missed session made_up', async () => {
    const now = DateTime.fromJSDate(clock.now(), { zone: ZONE });
    const programId = await program('Evening IOP', { weeklyHoursRequired: 0, techContact: 'the IT line (555) 010-0100', connectionLossesForHelp: 2 });
    const participant = await app.api('POST', `/api/v1/programs/${programId}/participants`, {
      name: 'Sam Rivera',
      email: 'sam@example.org',
      timezone: ZONE,
      identities: [{ platform: 'slack', externalId: 'U0SAMRIV1' }],
      enrolledAt: now.minus({ days: 7 }).toISO(),
    });
    const participantId = participant.body.id as string;
    const missedStart = now.plus({ days: 1 }).set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
    const missedId = await session(programId, missedStart, 60, '89100000001');
    const makeUpStart = missedStart.plus({ days: 2 });
    const makeUpId = await session(programId, makeUpStart, 60, '89100000002');
    // Another program's session is no make-up (not a partner).
    const otherProgram = await program('Daytime IOP');
    await session(otherProgram, missedStart.plus({ days: 1 }), 60, '89100000003');

    // The day before: "my wifi is out tomorrow", confirmed with the session's button.
    await postSlack(app.url, dm('U0SAMRIV1', "can't make it tomorrow, my wifi is out"));
    const confirm = await waitFor(() => dmsTo('U0SAMRIV1').find((c) => buttonsOf(c.body).some((b) => decodeChoice(b.value)?.t === 'absence')), 8000, 'the confirmation');
    const absenceButton = buttonsOf(confirm.body).find((b) => decodeChoice(b.value)?.t === 'absence')!;
    const reply = await press('U0SAMRIV1', absenceButton);
    const absence = await app.database.prisma.absence.findFirstOrThrow({ where: { participantId, sessionId: missedId } });
    expect(absence).toMatchObject({ category: 'technical', excused: true, reportedBy: 'participant' });
    expect(String(reply.body.text)).toContain('Rejoin with your link');
    expect(String(reply.body.text)).toContain('the IT line (555) 010-0100');
    const offered = buttonsOf(reply.body);
    expect(offered.map((b) => decodeChoice(b.value))).toEqual([{ t: 'makeup', m: missedId, s: makeUpId }]);
    expect(offered[0]!.text.text).toContain('Evening IOP');

    const booked = await press('U0SAMRIV1', offered[0]!);
    expect(String(booked.body.text)).toMatch(/^You're booked for Evening IOP/);
    expect(await app.database.prisma.makeUpBooking.findFirst({ where: { participantId, missedSessionId: missedId } })).toMatchObject({ makeUpSessionId: makeUpId, state: 'booked' });
    expect(await app.database.prisma.auditLog.count({ where: { action: 'makeup.book', actor: 'slack:U0SAMRIV1' } })).toBe(1);

    // The missed session passes (excused); then the make-up session: Sam joins, drops twice, stays.
    clock.set(makeUpStart.minus({ minutes: 2 }).toJSDate());
    await app.sweep();
    const person = { user_name: 'Sam Rivera', participant_uuid: 'SAM-UUID-1', email: 'sam@example.org' };
    const at = (minutes: number) => makeUpStart.plus({ minutes }).toJSDate();
    const deliveries: [string, number, string?][] = [
      ['meeting-started', 0],
      ['participant-joined', 1],
      ['participant-left-connection-lost', 10, 'got disconnected from the meeting. Reason : Network connection error.'],
      ['participant-joined', 11],
      ['participant-left-connection-lost', 20, 'got disconnected from the meeting. Reason : Network connection error.'],
      ['participant-joined', 21],
      ['participant-left', 59],
      ['meeting-ended', 60],
    ];
    for (const [fixture, minute, leaveReason] of deliveries) {
      const response = await postZoom(app.url, zoomDelivery(fixture, { meetingId: '89100000002', at: at(minute), person: { ...person, participant_uuid: `SAM-UUID-${minute}` }, ...(leaveReason ? { leaveReason } : {}) }));
      expect(response.status).toBe(200);
    }
    clock.set(makeUpStart.plus({ minutes: 61 }).toJSDate());
    await app.sweep();
    const guest = await waitFor(async () => {
      const read = await app.api('GET', `/api/v1/sessions/${makeUpId}/attendance`);
      const row = read.body.attendance.find((a: { participantId: string }) => a.participantId === participantId);
      return row?.status === 'present' ? row : undefined;
    }, 10_000, 'the guest present at the make-up');
    expect(guest.minutesPresent).toBeGreaterThan(30);
    await waitFor(async () => (await app.database.prisma.makeUpBooking.findFirst({ where: { participantId, missedSessionId: missedId, state: 'attended' } })) ?? undefined, 15_000, 'the booking attended');
    const missed = await app.api('GET', `/api/v1/sessions/${missedId}/attendance`);
    expect(missed.body.attendance.find((a: { participantId: string }) => a.participantId === participantId).status).toBe('made_up');
    // Two connection losses in one session: the troubleshooting steps and the tech contact.
    const help = await waitFor(() => dmsTo('U0SAMRIV1').find((c) => String(c.body.text).includes('connection dropped')), 8000, 'the tech help');
    expect(String(help.body.text)).toContain('https://zoom.us/j/89100000002');
    expect(String(help.body.text)).toContain('the IT line (555) 010-0100');
    // It happened before (the technical absence) inside the strike window: staff are told.
    await waitFor(() => slack.calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === STAFF_CHANNEL && String(c.body.text).startsWith('Technical trouble: Sam R.')), 8000, 'the staff alert');
  });
});
