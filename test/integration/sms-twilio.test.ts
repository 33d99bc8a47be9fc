import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordingNotifier } from '../support/recording-notifier.js';
import { createShiftClock } from '../support/shift-clock.js';
import { newMessageSid, postTwilio, startFakeTwilio, TEST_TWILIO_ACCOUNT_SID, TEST_TWILIO_AUTH_TOKEN, TEST_TWILIO_SERVICE_SID, twilioForm, twimlText, type FakeTwilio } from '../support/fake-twilio.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const ZONE = 'America/New_York';
const PUBLIC_URL = 'https://rollcall.example.org';
// Midday in the participants' zone: texts are not held for quiet hours.
const noon = DateTime.now().setZone(ZONE).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
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
  const thursday = noon.plus({ days: ((4 - noon.weekday + 7) % 7) || 7 }).set({ hour: 18 });
  const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, { startsAt: thursday.toISO(), endsAt: thursday.plus({ hours: 3 }).toISO(), meeting: { platform: 'zoom', meetingId: `8800000${programCount}` } });
  return { programId: program.body.id as string, participantId: participant.body.id as string, sessionId: session.body.id as string };
}

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
    const asked = await text(phone, "can't come Thursday, car broke down");
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
    const first = await text(phone, "can't make it Thursday, I'm sick", sid);
    const second = await text(phone, "can't make it Thursday, I'm sick", sid);
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
    expect(list.body.participants[0]).toMatchObject({ smsConsent: false, smsConsentChange: { source: 'stop_keyword' } });
    expect(twimlText((await text(phone, 'START')).text)).toContain('resubscribed');
    expect((await app.database.prisma.participant.findUniqueOrThrow({ where: { id: participantId } })).smsConsent).toBe(true);
    expect(twimlText((await text(phone, 'HELP')).text)).toMatch(/988/);
  });

  it('records a carrier rejection from the status callback in words', async () => {
    const sent = twilio.messages[0]!;
    const form = twilioForm('status-undelivered', { MessageSid: sent.sid, SmsSid: sent.sid, To: sent.to });
    expect((await postTwilio(app.url, PUBLIC_URL, '/sms/twilio/status', form)).status).toBe(204);
    const row = await app.database.prisma.participantOutboxMessage.findFirstOrThrow({ where: { externalMessageId: sent.sid } });
    expect(row).toMatchObject({ deliveryStatus: 'undelivered', state: 'failed', lastError: 'carrier rejected (error 30007)' });
  });
});
