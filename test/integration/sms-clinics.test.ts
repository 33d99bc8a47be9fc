import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/http/admin/auth.js';
import { createRecordingNotifier } from '../support/recording-notifier.js';
import { createShiftClock } from '../support/shift-clock.js';
import { newMessageSid, postTwilio, startFakeTwilio, TEST_TWILIO_ACCOUNT_SID, TEST_TWILIO_AUTH_TOKEN, TEST_TWILIO_SERVICE_SID, twilioForm, twimlText, type FakeTwilio } from '../support/fake-twilio.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/**
 * One deployment, three clinics on one Twilio account: Maple has its own number, Birch its own
 * Messaging Service, Cedar none (it shares the deployment's TWILIO_MESSAGING_SERVICE_SID).
 * The number texted decides the clinic; a phone may be a participant of two.
 */
const ZONE = 'America/New_York';
const PUBLIC_URL = 'https://rollcall.example.org';
const noon = DateTime.now().setZone(ZONE).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
const groupDay = noon.plus({ days: 2 }).set({ hour: 18 });
const GROUP_DAY = groupDay.setLocale('en-US').toFormat('cccc');
const clock = createShiftClock(noon.toJSDate());
const recorder = createRecordingNotifier();

const MAPLE_NUMBER = '+14155550111';
const BIRCH_SERVICE = `MG${'b'.repeat(32)}`;
/** A number in Birch's Messaging Service pool: Twilio names the service on the webhook. */
const BIRCH_POOL_NUMBER = '+12025550150';
const SHARED_POOL_NUMBER = '+14155550100';
const NOBODYS_NUMBER = '+14155550999';
const TWO_CLINIC_PHONE = '+14155550140';
const CEDAR_PHONE = '+14155550141';
const STRANGER = '+14155550177';

let twilio: FakeTwilio;
let app: TestApp;
const clinics = { maple: { id: '', token: '' }, birch: { id: '', token: '' }, cedar: { id: '', token: '' }, dogwood: { id: '', token: '' } };

beforeAll(async () => {
  twilio = await startFakeTwilio();
  app = await startTestApp({
    clock,
    notifier: recorder.notifier,
    platforms: ['sms'],
    env: { PUBLIC_URL, TWILIO_ACCOUNT_SID: TEST_TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN, TWILIO_MESSAGING_SERVICE_SID: TEST_TWILIO_SERVICE_SID, TWILIO_API_URL: twilio.url },
  });
  clinics.maple = { id: app.organizationId, token: '' };
  await app.api('PATCH', '/api/v1/organization', { name: 'Maple Clinic' });
  await addClinic('birch');
  await addClinic('cedar');
});

async function addClinic(name: Exclude<keyof typeof clinics, 'maple'>) {
  const token = randomBytes(16).toString('hex');
  const organization = await app.database.prisma.organization.create({ data: { name: `${name[0]!.toUpperCase()}${name.slice(1)} Clinic` } });
  await app.database.prisma.apiToken.create({ data: { organizationId: organization.id, tokenHash: hashToken(token), label: name } });
  clinics[name] = { id: organization.id, token };
}
afterAll(async () => {
  await app?.stop();
  await twilio?.close();
});

const api = (clinic: keyof typeof clinics, method: string, route: string, body?: unknown) => app.api(method, route, body, clinics[clinic].token || undefined);

async function enrol(clinic: keyof typeof clinics, phone: string, programName: string, meetingId: string) {
  const program = await api(clinic, 'POST', '/api/v1/programs', { name: programName, timezone: ZONE, alertChannel: { platform: 'slack', channelId: `C0${clinic.toUpperCase()}` } });
  const participant = await api(clinic, 'POST', `/api/v1/programs/${program.body.id}/participants`, { name: `Pat ${clinic}`, timezone: ZONE, phone, smsConsent: true });
  expect(participant.status).toBe(201);
  const session = await api(clinic, 'POST', `/api/v1/programs/${program.body.id}/sessions`, { startsAt: groupDay.toISO(), endsAt: groupDay.plus({ hours: 3 }).toISO(), meeting: { platform: 'zoom', meetingId } });
  expect(session.status).toBe(201);
  return { participantId: participant.body.id as string, sessionId: session.body.id as string };
}

/** A text as Twilio posts it: to a number, through a Messaging Service or not. */
function text(from: string, body: string, to: { number: string; service?: string }) {
  const sid = newMessageSid();
  const form = twilioForm('inbound-sms', { From: from, To: to.number, Body: body, MessageSid: sid, SmsSid: sid, SmsMessageSid: sid });
  if (to.service) form.set('MessagingServiceSid', to.service);
  else form.delete('MessagingServiceSid');
  return postTwilio(app.url, PUBLIC_URL, '/sms/twilio', form).then((answer) => ({ ...answer, reply: twimlText(answer.text) }));
}

const toMaple = { number: MAPLE_NUMBER };
const toBirch = { number: BIRCH_POOL_NUMBER, service: BIRCH_SERVICE };
const toShared = { number: SHARED_POOL_NUMBER, service: TEST_TWILIO_SERVICE_SID };
const toNobody = { number: NOBODYS_NUMBER };
const crisisAlerts = (organizationId: string) => app.database.prisma.alert.count({ where: { organizationId, kind: 'crisis' } });

describe('SMS for several clinics on one deployment', () => {
  it("takes a clinic's numbers and Messaging Service as settings: validated, one clinic's each, audited", async () => {
    expect((await api('maple', 'PATCH', '/api/v1/organization', { settings: { smsNumbers: ['555-0100'] } })).status).toBe(400);
    expect((await api('maple', 'PATCH', '/api/v1/organization', { settings: { smsMessagingServiceSid: 'MG123' } })).status).toBe(400);
    const maple = await api('maple', 'PATCH', '/api/v1/organization', { settings: { smsNumbers: [MAPLE_NUMBER] } });
    expect(maple.status).toBe(200);
    expect(maple.body.settings).toMatchObject({ smsNumbers: [MAPLE_NUMBER] });

    const taken = await api('birch', 'PATCH', '/api/v1/organization', { settings: { smsNumbers: [MAPLE_NUMBER] } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).not.toContain('Maple');
    expect((await api('birch', 'GET', '/api/v1/organization')).body.settings.smsNumbers).toEqual([]);
    const birch = await api('birch', 'PATCH', '/api/v1/organization', { settings: { smsMessagingServiceSid: BIRCH_SERVICE, smsProgramName: 'your day group' } });
    expect(birch.status).toBe(200);
    expect((await api('cedar', 'PATCH', '/api/v1/organization', { settings: { smsMessagingServiceSid: BIRCH_SERVICE } })).status).toBe(409);

    const audit = await app.database.prisma.auditLog.findFirstOrThrow({ where: { organizationId: clinics.maple.id, action: 'organization.update' }, orderBy: { createdAt: 'desc' } });
    expect(audit.data).toMatchObject({ smsNumbers: [MAPLE_NUMBER] });
  });

  it("texts each clinic's participants from that clinic's number or service, else from the deployment's", async () => {
    await enrol('maple', TWO_CLINIC_PHONE, 'Maple Evening IOP', '88100001');
    await enrol('birch', TWO_CLINIC_PHONE, 'Birch Day IOP', '88100002');
    await enrol('cedar', CEDAR_PHONE, 'Cedar IOP', '88100003');
    const intakes = await waitFor(() => {
      const two = twilio.messages.filter((m) => m.to === TWO_CLINIC_PHONE);
      const cedar = twilio.messages.filter((m) => m.to === CEDAR_PHONE);
      return two.length === 2 && cedar.length === 1 ? { two, cedar } : undefined;
    }, 10000, 'three intake texts');
    const fromMaple = intakes.two.find((m) => m.from === MAPLE_NUMBER)!;
    const fromBirch = intakes.two.find((m) => m.messagingServiceSid === BIRCH_SERVICE)!;
    expect(fromMaple).toMatchObject({ messagingServiceSid: undefined });
    expect(fromMaple.body).toContain('welcome to your group');
    expect(fromBirch).toMatchObject({ from: undefined });
    expect(fromBirch.body).toContain('welcome to your day group');
    expect(intakes.cedar[0]).toMatchObject({ messagingServiceSid: TEST_TWILIO_SERVICE_SID, from: undefined });
  });

  it('answers a phone that is in two clinics as the clinic whose number it texted', async () => {
    const prisma = app.database.prisma;
    const mapleP = await prisma.participant.findFirstOrThrow({ where: { organizationId: clinics.maple.id, phone: TWO_CLINIC_PHONE } });
    const birchP = await prisma.participant.findFirstOrThrow({ where: { organizationId: clinics.birch.id, phone: TWO_CLINIC_PHONE } });

    expect((await text(TWO_CLINIC_PHONE, `can't come ${GROUP_DAY}, car broke down`, toMaple)).reply).toMatch(/Reply YES/);
    expect((await text(TWO_CLINIC_PHONE, 'YES', toMaple)).reply).toContain("I've told your care team");
    expect(await prisma.absence.count({ where: { participantId: mapleP.id, category: 'transport', reportedVia: 'sms' } })).toBe(1);
    expect(await prisma.absence.count({ where: { participantId: birchP.id } })).toBe(0);
    expect(await prisma.alert.count({ where: { organizationId: clinics.birch.id, kind: 'absence_reported' } })).toBe(0);

    // Birch's HELP names Birch; a STOP to Birch's service stops Birch's texts only.
    expect((await text(TWO_CLINIC_PHONE, 'HELP', toBirch)).reply).toContain('Birch Clinic');
    expect((await text(TWO_CLINIC_PHONE, 'STOP', toBirch)).reply).toContain('unsubscribed');
    expect(await prisma.participant.findUniqueOrThrow({ where: { id: birchP.id } })).toMatchObject({ smsConsent: false, smsConsentSource: 'stop_keyword' });
    expect(await prisma.participant.findUniqueOrThrow({ where: { id: mapleP.id } })).toMatchObject({ smsConsent: true });
  });

  it("gives the deployment's shared service to the clinics without their own", async () => {
    const prisma = app.database.prisma;
    expect((await text(CEDAR_PHONE, 'STOP', toShared)).reply).toContain('unsubscribed');
    expect(await prisma.participant.findFirstOrThrow({ where: { organizationId: clinics.cedar.id, phone: CEDAR_PHONE } })).toMatchObject({ smsConsent: false });
    // Cedar is the only clinic sharing it: a stranger's crisis text reaches Cedar's staff, no one else's.
    const before = { maple: await crisisAlerts(clinics.maple.id), birch: await crisisAlerts(clinics.birch.id), cedar: await crisisAlerts(clinics.cedar.id) };
    expect((await text(STRANGER, 'i want to kill myself', toShared)).reply).toContain('988');
    expect(await crisisAlerts(clinics.cedar.id)).toBeGreaterThan(before.cedar);
    expect(await crisisAlerts(clinics.maple.id)).toBe(before.maple);
    expect(await crisisAlerts(clinics.birch.id)).toBe(before.birch);
  });

  it('answers a text to a number no clinic owns, stores nothing against a clinic, and still gives 988/911 at once', async () => {
    const prisma = app.database.prisma;
    const counts = async () => ({ alerts: await prisma.alert.count(), audit: await prisma.auditLog.count(), participants: await prisma.participant.count(), absences: await prisma.absence.count() });
    const before = await counts();
    const hello = await text(STRANGER, 'hello, is this the clinic?', toNobody);
    expect(hello.status).toBe(200);
    expect(hello.reply).toContain("isn't set up for your clinic's texts");
    expect((await text(TWO_CLINIC_PHONE, `can't come ${GROUP_DAY}`, toNobody)).reply).toContain("isn't set up");
    expect((await text(TWO_CLINIC_PHONE, 'STOP', toNobody)).reply).toBeNull();
    expect(await counts()).toEqual(before);
    expect(await prisma.participant.findFirstOrThrow({ where: { organizationId: clinics.maple.id, phone: TWO_CLINIC_PHONE } })).toMatchObject({ smsConsent: true });

    // A stranger's crisis: the answer at once, and it does not claim a care team was told.
    const stranger = await text(STRANGER, 'i want to kill myself', toNobody);
    expect(stranger.reply).toContain('988');
    expect(stranger.reply).toContain("isn't watched by a care team");
    expect(await counts()).toEqual(before);

    // A participant's crisis: their own clinics' staff are told (both of them), naming no words.
    const participant = await text(TWO_CLINIC_PHONE, 'i want to kill myself', toNobody);
    expect(participant.reply).toContain('988');
    expect(participant.reply).toContain('let your care team know');
    const ids = (await prisma.participant.findMany({ where: { phone: TWO_CLINIC_PHONE }, select: { id: true } })).map((p) => p.id);
    const alerts = await prisma.alert.findMany({ where: { kind: 'crisis', participantId: { in: ids } } });
    expect(new Set(alerts.map((a) => a.organizationId))).toEqual(new Set([clinics.maple.id, clinics.birch.id]));
    expect(JSON.stringify(alerts.map((a) => a.detail))).not.toContain('kill');
  });

  it('of several clinics sharing the sender, answers as the one that texted the phone last, records a STOP for all of them; a phone none knows reaches none', async () => {
    const prisma = app.database.prisma;
    await addClinic('dogwood');
    const phone = '+14155550142';
    await enrol('cedar', phone, 'Cedar Morning IOP', '88100004');
    await waitFor(() => twilio.messages.find((m) => m.to === phone), 10000, "Cedar's intake text");
    await enrol('dogwood', phone, 'Dogwood IOP', '88100005');
    await waitFor(() => (twilio.messages.filter((m) => m.to === phone).length === 2 ? true : undefined), 10000, "Dogwood's intake text");
    await waitFor(async () => ((await prisma.participantOutboxMessage.count({ where: { organizationId: clinics.dogwood.id, state: 'sent' } })) ? true : undefined), 5000, "Dogwood's text recorded");

    // A question answered goes to the clinic that asked last: Dogwood's intake "1: I understand".
    expect((await text(phone, '1', toShared)).reply).toContain("you've read the attendance expectations");
    const acknowledged = async (organizationId: string) => (await prisma.enrollment.findFirstOrThrow({ where: { organizationId, participant: { phone } } })).policyAcknowledgedAt;
    expect(await acknowledged(clinics.dogwood.id)).not.toBeNull();
    expect(await acknowledged(clinics.cedar.id)).toBeNull();
    // Twilio honours STOP per sender: the shared one now sends this phone nothing, for either clinic.
    expect((await text(phone, 'STOP', toShared)).reply).toContain('unsubscribed');
    for (const organizationId of [clinics.dogwood.id, clinics.cedar.id]) {
      expect(await prisma.participant.findFirstOrThrow({ where: { organizationId, phone } })).toMatchObject({ smsConsent: false, smsConsentSource: 'stop_keyword' });
    }

    const before = await prisma.alert.count({ where: { kind: 'crisis' } });
    const stranger = await text('+14155550178', 'i want to kill myself', toShared);
    expect(stranger.reply).toContain('988');
    expect(stranger.reply).toContain("isn't watched by a care team");
    expect(await prisma.alert.count({ where: { kind: 'crisis' } })).toBe(before);
  });
});
