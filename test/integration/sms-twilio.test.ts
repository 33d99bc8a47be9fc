import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noShowFollowUpMessage } from '../../src/core/care-messages.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createSmsMessenger } from '../../src/platforms/sms/sms-messenger.js';
import { offerRecordingToAbsentees } from '../../src/services/material-offers.js';
import { storeRecordingMaterial } from '../../src/services/materials.js';
import { createRecordingNotifier } from '../support/recording-notifier.js';
import { createShiftClock } from '../support/shift-clock.js';
import { newMessageSid, postTwilio, startFakeTwilio, TEST_TWILIO_ACCOUNT_SID, TEST_TWILIO_AUTH_TOKEN, TEST_TWILIO_SERVICE_SID, twilioForm, twimlText, type FakeTwilio } from '../support/fake-twilio.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const ZONE = 'America/New_York';
const PUBLIC_URL = 'https://rollcall.example.org';
// Midday in the participants' zone: texts are not held for quiet hours.
const noon = DateTime.now().setZone(ZONE).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
// The group meets in two days: "can't come <that day>" names it, whatever today is.
const groupDay = noon.plus({ days: 2 }).set({ hour: 18 });
const GROUP_DAY = groupDay.setLocale('en-US').toFormat('cccc');
const clock = createShiftClock(noon.toJSDate());
const recorder = createRecordingNotifier();
let twilio: FakeTwilio;
let app: TestApp;

beforeAll(async () => {
  twilio = await startFakeTwilio();
  app = await startTestApp({
    clock,
    notifier: recorder.notifier,
    platforms: ['sms'],
    env: { PUBLIC_URL, TWILIO_ACCOUNT_SID: TEST_TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN, TWILIO_MESSAGING_SERVICE_SID: TEST_TWILIO_SERVICE_SID, TWILIO_API_URL: twilio.url },
  });
});
afterAll(async () => {
  await app?.stop();
  await twilio?.close();
});

let programCount = 0;
async function enrol(phone: string, consent?: boolean) {
  programCount += 1;
  const program = await app.api('POST', '/api/v1/programs', { name: `Adult IOP Evening ${programCount}`, timezone: ZONE, alertChannel: { platform: 'slack', channelId: 'C0SMSSTAFF' }, staffUserIds: ['U0STAFF01'] });
  const participant = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name: `Texter ${programCount}`, timezone: ZONE, phone, ...(consent === undefined ? {} : { smsConsent: consent }) });
  expect(participant.status).toBe(201);
  const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, { startsAt: groupDay.toISO(), endsAt: groupDay.plus({ hours: 3 }).toISO(), meeting: { platform: 'zoom', meetingId: `8800000${programCount}` } });
  return { programId: program.body.id as string, participantId: participant.body.id as string, sessionId: session.body.id as string };
}

/** A session that ended yesterday, entered now: recorded as history, finalized at once, the participant a no-show. */
async function missedYesterday(programId: string, participantId: string, meetingId: string) {
  const start = noon.minus({ days: 1 }).set({ hour: 18 });
  const session = await app.api('POST', `/api/v1/programs/${programId}/sessions`, { startsAt: start.toISO(), endsAt: start.plus({ hours: 3 }).toISO(), meeting: { platform: 'zoom', meetingId } });
  expect(session.status).toBe(201);
  await waitFor(async () => (await app.database.prisma.attendance.findFirst({ where: { sessionId: session.body.id, participantId, final: true, status: 'no_show' } })) ?? undefined, 10000, 'the missed session finalized');
  return session.body.id as string;
}

/** The app's own SMS messenger, as the outbox calls it. */
const smsMessenger = () =>
  createSmsMessenger({
    prisma: app.database.prisma,
    clock,
    twilio: { accountSid: TEST_TWILIO_ACCOUNT_SID, authToken: TEST_TWILIO_AUTH_TOKEN, messagingServiceSid: TEST_TWILIO_SERVICE_SID, apiUrl: twilio.url, statusCallbackUrl: `${PUBLIC_URL}/sms/twilio/status` },
  });

const text = (from: string, body: string, sid = newMessageSid()) => postTwilio(app.url, PUBLIC_URL, '/sms/twilio', twilioForm('inbound-sms', { From: from, Body: body, MessageSid: sid, SmsSid: sid, SmsMessageSid: sid }));
const textsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone);

describe('SMS through Twilio', () => {
  it('takes phone and consent on the admin API, validated, and shows them with when and how consent changed', async () => {
    const bad = await app.api('POST', '/api/v1/programs', { name: 'Phones', timezone: ZONE, alertChannel: { platform: 'slack', channelId: 'C0X' } });
    expect((await app.api('POST', `/api/v1/programs/${bad.body.id}/participants`, { name: 'Bad', phone: '555-0100' })).status).toBe(400);
    const { programId, participantId } = await enrol('+12025550143', true);
    const list = await app.api('GET', `/api/v1/programs/${programId}/participants`);
    expect(list.body.participants[0]).toMatchObject({ phone: '+12025550143', smsConsent: true, smsConsentChange: { source: 'staff' } });
    const patched = await app.api('PATCH', `/api/v1/participants/${participantId}`, { smsConsent: false });
    expect(patched.body).toMatchObject({ smsConsent: false, smsConsentChange: { source: 'staff' } });
  });

  it('sends the intake text only with consent; without it the row says no SMS consent', async () => {
    const without = await enrol('+14155550101');
    const withConsent = await enrol('+14155550102', true);
    await waitFor(() => textsTo('+14155550102')[0], 5000, 'the intake text');
    const sent = textsTo('+14155550102')[0]!;
    expect(sent).toMatchObject({ messagingServiceSid: TEST_TWILIO_SERVICE_SID, statusCallback: `${PUBLIC_URL}/sms/twilio/status` });
    // Minimum necessary: the program is "your group" on a lock screen.
    expect(sent.body).not.toContain('Adult IOP');
    expect(textsTo('+14155550101')).toHaveLength(0);
    const skipped = await app.database.prisma.participantOutboxMessage.findFirst({ where: { participantId: without.participantId } });
    expect(skipped).toMatchObject({ state: 'skipped', lastError: 'no_sms_consent' });
    expect(withConsent.participantId).toBeTruthy();
  });

  it('retries when Twilio answers 429 and 500, and delivers once', async () => {
    twilio.failNext({ status: 429, retryAfter: 1 }, { status: 500 });
    const before = twilio.attempts;
    const { participantId } = await enrol('+14155550103', true);
    await waitFor(() => textsTo('+14155550103')[0], 15000, 'the intake text after retries');
    expect(twilio.attempts - before).toBeGreaterThanOrEqual(3);
    expect(textsTo('+14155550103')).toHaveLength(1);
    // The text reaches Twilio before the outbox row records it: wait for the record too.
    const row = await waitFor(async () => (await app.database.prisma.participantOutboxMessage.findFirst({ where: { participantId, state: 'sent' } })) ?? undefined, 5000, 'the outbox row marked sent');
    expect(row).toMatchObject({ state: 'sent', platform: 'sms' });
    expect(textsTo('+14155550103')).toHaveLength(1);
  });

  it('records an absence from a text after a YES, and tells staff the category only', async () => {
    const phone = '+14155550104';
    const { participantId, sessionId } = await enrol(phone, true);
    // The intake text (with its own "I understand" choice) goes first; a reply refers to the last text's choices.
    await waitFor(() => textsTo(phone)[0], 5000, 'the intake text');
    const asked = await text(phone, `can't come ${GROUP_DAY}, car broke down`);
    expect(asked.status).toBe(200);
    expect(twimlText(asked.text)).toMatch(/Reply YES/);
    expect(await app.database.prisma.absence.count({ where: { participantId } })).toBe(0);
    const yes = await text(phone, 'YES');
    expect(twimlText(yes.text)).toContain("I've told your care team");
    const absence = await app.database.prisma.absence.findFirstOrThrow({ where: { participantId } });
    expect(absence).toMatchObject({ sessionId, category: 'transport', reportedVia: 'sms' });
    const alert = await app.database.prisma.alert.findFirstOrThrow({ where: { kind: 'absence_reported', participantId } });
    expect(JSON.stringify(alert.detail)).toContain('transport');
    expect(JSON.stringify(alert.detail)).not.toContain('car');
    await waitFor(() => recorder.calls.find((c) => /absence reported/i.test(JSON.stringify(c.message))), 5000, 'the staff post');
    expect(JSON.stringify(recorder.calls)).not.toContain('car broke');
  });

  it('answers a webhook Twilio sent twice (same MessageSid) once', async () => {
    const phone = '+14155550105';
    const { participantId } = await enrol(phone, true);
    const sid = newMessageSid();
    const first = await text(phone, `can't make it ${GROUP_DAY}, I'm sick`, sid);
    const second = await text(phone, `can't make it ${GROUP_DAY}, I'm sick`, sid);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(twimlText(first.text)).toMatch(/Reply YES/);
    expect(twimlText(second.text)).toBeNull();
    expect(await app.database.prisma.inboundDelivery.count({ where: { platform: 'sms', deliveryId: sid } })).toBe(1);
    expect(participantId).toBeTruthy();
  });

  it('refuses a bad signature with 403 and stores nothing', async () => {
    const sid = newMessageSid();
    const form = twilioForm('inbound-sms', { From: '+14155550106', Body: 'I want to kill myself', MessageSid: sid });
    const refused = await postTwilio(app.url, PUBLIC_URL, '/sms/twilio', form, 'bm90IHRoZSBzaWduYXR1cmU=');
    expect(refused.status).toBe(403);
    expect(await app.database.prisma.inboundDelivery.count({ where: { deliveryId: sid } })).toBe(0);
    expect(await app.database.prisma.alert.count({ where: { kind: 'crisis', dedupeKey: { contains: sid } } })).toBe(0);
  });

  it('answers a crisis text from an unknown number with 988 and alerts staff', async () => {
    const sid = newMessageSid();
    const answer = await text('+14155550199', 'i want to kill myself', sid);
    expect(answer.status).toBe(200);
    expect(twimlText(answer.text)).toContain('988');
    const alerts = await app.database.prisma.alert.findMany({ where: { kind: 'crisis' } });
    expect(alerts.length).toBeGreaterThan(0);
    expect(JSON.stringify(alerts.map((a) => a.detail))).not.toContain('kill');
  });

  it('STOP stops a text that was due, confirmed once; START resumes; HELP names the clinic', async () => {
    const phone = '+14155550107';
    twilio.failNext({ status: 429, retryAfter: 2 });
    const { participantId } = await enrol(phone, true);
    const stop = await text(phone, 'STOP');
    expect(twimlText(stop.text)).toContain('unsubscribed');
    expect(twimlText((await text(phone, 'stop')).text)).toBeNull();
    const row = await waitFor(async () => {
      const found = await app.database.prisma.participantOutboxMessage.findFirst({ where: { participantId } });
      return found?.state === 'failed' ? found : undefined;
    }, 10000, 'the held intake to be stopped');
    expect(row.lastError).toBe('no SMS consent');
    expect(textsTo(phone)).toHaveLength(0);
    const list = await app.api('GET', `/api/v1/programs/${(await app.database.prisma.enrollment.findFirstOrThrow({ where: { participantId } })).programId}/participants`);
    expect(list.body.participants[0]).toMatchObject({ phone, smsConsent: false, smsConsentChange: { source: 'stop_keyword' } });
    // When: the moment the STOP arrived (app time), within the test's few seconds.
    const changedAt = Date.parse(list.body.participants[0].smsConsentChange.at);
    expect(Math.abs(changedAt - clock.now().getTime())).toBeLessThan(15_000);
    expect(twimlText((await text(phone, 'START')).text)).toContain('resubscribed');
    expect((await app.database.prisma.participant.findUniqueOrThrow({ where: { id: participantId } })).smsConsent).toBe(true);
    expect(twimlText((await text(phone, 'HELP')).text)).toMatch(/988/);
  });

  it('a reminder goes by text only with consent; a STOP before it is due stops it, and a STOP stops one held for quiet hours', async () => {
    // A program name can carry a diagnosis: on a lock screen it is "your group".
    const program = await app.api('POST', '/api/v1/programs', { name: 'Bipolar Recovery IOP', timezone: ZONE, alertChannel: { platform: 'slack', channelId: 'C0SMSSTAFF' }, policy: { reminderMinutesBefore: 30 } });
    const add = async (name: string, phone: string, consent: boolean, timezone = ZONE) =>
      (await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name, timezone, phone, ...(consent ? { smsConsent: true } : {}) })).body.id as string;
    const noConsent = await add('Robin Vale', '+14155550121', false);
    await add('Sam Ortiz', '+14155550122', true);
    const stopper = await add('Quill Park', '+14155550123', true);
    // 01:00 or 02:00 in Tokyo while it is noon in New York: her texts wait for 08:00.
    const sleeper = await add('Mika Sato', '+14155550124', true, 'Asia/Tokyo');
    await waitFor(() => textsTo('+14155550123')[0], 5000, "Quill's intake text");
    expect(twimlText((await text('+14155550123', 'STOP')).text)).toContain('unsubscribed');

    const startsAt = DateTime.fromJSDate(clock.now()).setZone(ZONE).plus({ minutes: 30, seconds: 3 });
    const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, { startsAt: startsAt.toISO(), endsAt: startsAt.plus({ hours: 1 }).toISO(), meeting: { platform: 'zoom', meetingId: '88000090' } });
    expect(session.status).toBe(201);
    const reminder = await waitFor(() => textsTo('+14155550122').find((m) => m.body.includes('friendly reminder')), 30000, "Sam's reminder");
    expect(reminder.body).toContain('your group starts at');
    const reminderRow = (participantId: string) => app.database.prisma.participantOutboxMessage.findFirst({ where: { participantId, purpose: 'reminder' } });
    expect(await reminderRow(noConsent)).toMatchObject({ state: 'skipped', lastError: 'no_sms_consent' });
    expect(await reminderRow(stopper)).toMatchObject({ state: 'skipped', lastError: 'no_sms_consent' });

    const held = await waitFor(async () => {
      const row = await reminderRow(sleeper);
      return row?.lastError === 'held for quiet hours' ? row : undefined;
    }, 20000, "Mika's reminder held for quiet hours");
    expect(held.state).toBe('pending');
    expect(twimlText((await text('+14155550124', 'STOP')).text)).toContain('unsubscribed');
    expect(await reminderRow(sleeper)).toMatchObject({ state: 'failed', lastError: 'no SMS consent' });

    expect(textsTo('+14155550121')).toHaveLength(0);
    expect(textsTo('+14155550124')).toHaveLength(0);
    expect(textsTo('+14155550123').filter((m) => m.body.includes('friendly reminder'))).toHaveLength(0);
    // Minimum necessary: no text names the program or anyone but the person it is for.
    for (const sent of twilio.messages.filter((m) => ['+14155550122', '+14155550123'].includes(m.to))) {
      expect(sent.body).not.toMatch(/Bipolar|Recovery IOP|Robin|Vale|Mika|Sato/);
      expect(sent.body).not.toMatch(sent.to === '+14155550122' ? /\bQuill\b|Park/ : /\bSam\b|Ortiz/);
    }
  }, 60_000);

  it('keeps a YES/NO confirmation answerable when a numbered menu arrives after it', async () => {
    const phone = '+14155550108';
    const program = await app.api('POST', '/api/v1/programs', { name: 'Menus IOP', timezone: ZONE, alertChannel: { platform: 'slack', channelId: 'C0SMSSTAFF' } });
    const created = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name: 'Lee Menu', timezone: ZONE, phone, smsConsent: true, enrolledAt: noon.minus({ days: 7 }).toISO() });
    const participantId = created.body.id as string;
    const upcoming = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, { startsAt: groupDay.toISO(), endsAt: groupDay.plus({ hours: 3 }).toISO(), meeting: { platform: 'zoom', meetingId: '88000091' } });
    const missed = await missedYesterday(program.body.id, participantId, '88000092');
    await waitFor(() => textsTo(phone)[0], 5000, 'the intake text');

    expect(twimlText((await text(phone, `can't come ${GROUP_DAY}, car broke down`)).text)).toMatch(/Reply YES/);
    // The no-show follow-up (four numbered replies) goes out while the confirmation waits.
    await smsMessenger().send({ organizationId: app.organizationId, platform: 'sms', userId: phone }, noShowFollowUpMessage({ sessionId: missed, materials: [] }));
    expect(textsTo(phone).at(-1)!.body).toMatch(/1: .*\n2: .*\n3: .*\n4: .*\nReply with a number/);

    expect(twimlText((await text(phone, 'YES')).text)).toContain("I've told your care team");
    expect(await app.database.prisma.absence.findFirst({ where: { participantId, sessionId: upcoming.body.id } })).toMatchObject({ category: 'transport', reportedVia: 'sms' });
    // The menu is still answerable by number: 2 is "something came up" for yesterday.
    expect((await text(phone, '2')).status).toBe(200);
    expect(await app.database.prisma.absence.findFirst({ where: { participantId, sessionId: missed } })).toMatchObject({ category: 'other', reportedBy: 'participant' });
    // Each question is answered once: another YES confirms nothing more.
    expect(twimlText((await text(phone, 'YES')).text)).not.toContain("I've told your care team");
    expect(await app.database.prisma.absence.count({ where: { participantId } })).toBe(2);
  });

  it('offers a recording by text without its passcode, and says who can give it', async () => {
    const phone = '+14155550109';
    const program = await app.api('POST', '/api/v1/programs', { name: 'Recorded IOP', timezone: ZONE, alertChannel: { platform: 'slack', channelId: 'C0SMSSTAFF' } });
    const created = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name: 'Ren Record', timezone: ZONE, phone, smsConsent: true, enrolledAt: noon.minus({ days: 7 }).toISO() });
    const sessionId = await missedYesterday(program.body.id, created.body.id, '88000093');
    const prisma = app.database.prisma;
    const box = createSecretBox(app.config.encryptionKey);
    const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { program: true } });
    const { materialId } = await storeRecordingMaterial({ prisma, box }, { session, externalKey: `zoom-recording:${sessionId}`, url: 'https://zoom.us/rec/share/abc?pwd=Tr0ut-77', passcode: 'Tr0ut-77', createdBy: 'test' });
    const messengerFor = (platform: string) => (platform === 'sms' ? smsMessenger() : undefined);
    const silent = { info() {}, warn() {} } as never;
    expect(await offerRecordingToAbsentees({ prisma, box, log: silent, messengerFor }, materialId)).toEqual({ offered: 1 });
    const offer = textsTo(phone).find((m) => m.body.includes('recording'))!;
    expect(offer.body).toContain('https://zoom.us/rec/share/abc');
    expect(offer.body).toContain('ask your care team');
    expect(offer.body).not.toContain('Tr0ut');
    expect(offer.body).not.toContain('Recorded IOP');
  });

  it('records a carrier rejection from the status callback in words', async () => {
    const sent = twilio.messages[0]!;
    const form = twilioForm('status-undelivered', { MessageSid: sent.sid, SmsSid: sent.sid, To: sent.to });
    expect((await postTwilio(app.url, PUBLIC_URL, '/sms/twilio/status', form)).status).toBe(204);
    const row = await app.database.prisma.participantOutboxMessage.findFirstOrThrow({ where: { externalMessageId: sent.sid } });
    expect(row).toMatchObject({ deliveryStatus: 'undelivered', state: 'failed', lastError: 'carrier rejected (error 30007)' });
  });
});
