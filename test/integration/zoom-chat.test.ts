import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlertMessage } from '../../src/core/alert-message.js';
import { decodeChoice } from '../../src/core/participant-message.js';
import { createLogger } from '../../src/logger.js';
import { createChatbotClient } from '../../src/platforms/zoom/chatbot-client.js';
import { createZoomNotifier } from '../../src/platforms/zoom/notify.js';
import { DeliveryError } from '../../src/services/notifier.js';
import { fakeZoomEnv, FAKE_ZOOM_BOT_JID, FAKE_ZOOM_CLIENT_ID, FAKE_ZOOM_CLIENT_SECRET, installZoom, startFakeZoom, type FakeZoom } from '../support/fake-zoom.js';
import { createScenario, minutesAgo, zoomClinicOf } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';
import { readZoomFixture } from '../support/zoom-signing.js';

let zoom: FakeZoom;
let app: TestApp;
const ACCOUNT = 'AbCdEfGhIjKlMnOpQr';
const CHANNEL_JID = 'b2f4c7d1e0a94f6b8c3d2e1f0a9b8c7d@conference.xmpp.zoom.us';
const STAFF = 'kDcQ0oWxS2aKc2t5r1Ab9Q';
/** The clinic the account founded when it installed. */
let clinic: { token: string; organizationId: string };

beforeAll(async () => {
  zoom = await startFakeZoom();
  zoom.account.id = ACCOUNT;
  app = await startTestApp({ env: fakeZoomEnv(zoom) });
  const installed = await installZoom(app.url, zoom);
  if (installed.status !== 200) throw new Error(`install failed: ${installed.text}`);
  clinic = await zoomClinicOf(app, ACCOUNT);
});
afterAll(async () => {
  await app?.stop();
  await zoom?.close();
});

type Json = Record<string, any>;
const fixture = (name: string) => structuredClone(readZoomFixture(name).json) as Json;
const channelMessages = () => zoom.messages.filter((m) => m.to_jid === CHANNEL_JID && !m.visible_to_user);
const buttonsOf = (message: { content: Json }) => (message.content.body as Json[]).flatMap((b) => (b.type === 'actions' ? (b.items as Json[]) : []));

/** A click on a button of a chatbot message, as Zoom delivers it. */
function click(value: string, options: { userId: string; userJid?: string; messageId: string; toJid: string; userName?: string }) {
  const body = fixture('interactive-message-actions');
  Object.assign(body.payload, {
    accountId: ACCOUNT,
    userId: options.userId,
    userJid: options.userJid ?? `${options.userId.toLowerCase()}@xmpp.zoom.us`,
    userName: options.userName ?? 'Dr. Rivera',
    messageId: options.messageId,
    toJid: options.toJid,
    actionItem: { text: 'button', value },
    timestamp: Date.now(),
  });
  body.event_ts = Date.now();
  return JSON.stringify(body);
}

/** A running session in the clinic the install founded, alerts to the Zoom channel. */
async function runningSession(meetingId: string, people: { name: string; zoomUser: string }[], policy?: Record<string, unknown>, startedMinutesAgo = 20) {
  const start = minutesAgo(startedMinutesAgo);
  const scenario = await createScenario(app, {
    meetingId,
    startsAt: start,
    minutes: 60,
    name: `Zoom group ${meetingId}`,
    people: people.map((p) => ({ name: p.name, identities: [{ platform: 'zoom', externalId: p.zoomUser }] })),
    policy,
    inOrganizationOf: clinic,
    alertChannel: { platform: 'zoom', channelId: CHANNEL_JID },
    staffUserIds: [STAFF],
  });
  await postZoom(app.url, zoomDelivery('meeting-started', { meetingId, at: start }));
  return { ...scenario, start };
}

describe('Zoom Team Chat alerts and facilitator buttons', () => {
  it('posts an alert to the channel (after one 429), edits it in place, and a staff click changes the database and the message', async () => {
    zoom.failNext('POST /im/chat/messages', { status: 429, retryAfter: 1 });
    const meetingId = '86100000001';
    const { sessionId, participants } = await runningSession(meetingId, [{ name: 'Alex Kim', zoomUser: 'zoom-alex-1' }]);
    const alert = await waitFor(async () => (await app.database.prisma.alert.findFirst({ where: { sessionId, kind: 'not_joined', deliveryState: 'delivered' } })) ?? undefined, 10_000, 'the delivered alert');
    expect(zoom.calls.some((c) => c.path === '/im/chat/messages' && c.status === 429)).toBe(true);
    const posted = channelMessages().find((m) => m.message_id === alert.externalMessageId)!;
    expect(posted).toMatchObject({ robot_jid: FAKE_ZOOM_BOT_JID, account_id: ACCOUNT, to_jid: CHANNEL_JID });
    expect(posted.content.head.text).toContain('Not joined');
    expect(JSON.stringify(posted.content)).toContain('Alex K.');
    // Chatbot tokens come from client credentials, once, then cached.
    expect(zoom.calls.filter((c) => c.path === '/oauth/token' && c.body.grant_type === 'client_credentials')).toHaveLength(1);
    const excuse = buttonsOf(posted).find((b) => JSON.parse(b.value).action === 'excuse')!;
    expect(JSON.parse(excuse.value)).toEqual({ action: 'excuse', alertId: alert.id, kind: 'not_joined', sessionId, participantId: participants['Alex Kim'] });

    // Not staff: refused, to that user only; nothing changes.
    const before = zoom.messages.length;
    expect((await postZoom(app.url, click(excuse.value, { userId: 'zSomeoneElse01', messageId: posted.message_id, toJid: CHANNEL_JID }))).status).toBe(200);
    const refusal = await waitFor(() => zoom.messages.slice(before).find((m) => m.visible_to_user === 'zSomeoneElse01'), 5000, 'the refusal');
    expect(JSON.stringify(refusal.content)).toContain('only this program');
    expect(await app.database.prisma.absence.count({ where: { sessionId } })).toBe(0);

    // Staff: asked for a reason (only to them), then the choice is recorded and the alert edited.
    expect((await postZoom(app.url, click(excuse.value, { userId: STAFF, messageId: posted.message_id, toJid: CHANNEL_JID }))).status).toBe(200);
    const chooser = await waitFor(() => zoom.messages.find((m) => m.visible_to_user === STAFF && JSON.stringify(m.content).includes('Reason')), 5000, 'the reason picker');
    const technical = buttonsOf(chooser).find((b) => JSON.parse(b.value).choice === 'technical')!;
    expect(technical.text).toBe('Technical problem');
    await postZoom(app.url, click(technical.value, { userId: STAFF, messageId: chooser.message_id, toJid: CHANNEL_JID }));
    const absence = await waitFor(async () => (await app.database.prisma.absence.findFirst({ where: { sessionId } })) ?? undefined, 5000, 'the absence');
    expect(absence).toMatchObject({ category: 'technical', excused: true, reportedBy: 'staff' });
    await waitFor(() => posted.edits > 0 && JSON.stringify(posted.content).includes('✅'), 8000, 'the alert edited in place');
    expect(zoom.calls.some((c) => c.method === 'PUT' && c.path === `/im/chat/messages/${posted.message_id}`)).toBe(true);
    const audit = await app.database.prisma.auditLog.findFirst({ where: { organizationId: clinic.organizationId, actor: `zoom:${STAFF}` } });
    expect(audit).not.toBeNull();
  });

  it('edits the alert when it changes: Not joined becomes Late join when the person arrives', async () => {
    const meetingId = '86100000002';
    const { sessionId, start } = await runningSession(meetingId, [{ name: 'Robin Diaz', zoomUser: 'zoom-robin-2' }]);
    const alert = await waitFor(async () => (await app.database.prisma.alert.findFirst({ where: { sessionId, kind: 'not_joined', deliveryState: 'delivered' } })) ?? undefined, 10_000, 'the alert');
    const posted = zoom.messages.find((m) => m.message_id === alert.externalMessageId)!;
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: new Date(start.getTime() + 19 * 60_000), person: { user_name: 'Robin Diaz', participant_uuid: 'UUID-ROBIN', id: 'zoom-robin-2' } }));
    await waitFor(() => posted.edits > 0 && posted.content.head.text.includes('Late join'), 8000, 'the edited alert');
    expect(channelMessages().filter((m) => m.message_id === alert.externalMessageId)).toHaveLength(1);
  });
});

describe('participants chatting with the Zoom chatbot', () => {
  it('takes an absence in the participant\'s own words, confirmed with a button, and edits the message with the answer', async () => {
    const zoomUser = 'z9AbCdEfGhIj1234KlMnOp';
    const meetingId = '86100000003';
    // Tomorrow's session, so the absence names it.
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const { sessionId, participants } = await runningSession(meetingId, [{ name: 'Jamie Fox', zoomUser }], undefined, -Math.round((tomorrow.getTime() - Date.now()) / 60_000));
    const participantId = participants['Jamie Fox']!;
    await app.database.prisma.participant.update({ where: { id: participantId }, data: { timezone: 'America/New_York' } });
    const dm = fixture('bot-notification');
    Object.assign(dm.payload, { accountId: ACCOUNT, userId: zoomUser, cmd: "can't make it tomorrow, my wifi is out", timestamp: Date.now() });
    expect((await postZoom(app.url, JSON.stringify(dm))).status).toBe(200);
    // Zoom retries a delivery it thinks went unanswered: it is answered once.
    expect(await postZoom(app.url, JSON.stringify(dm))).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    // The welcome message of the enrolment goes to the same chat; the reply is the one sent as the chatbot's answer to this user.
    const isReply = (m: (typeof zoom.messages)[number]) => m.to_jid === dm.payload.toJid && m.user_jid === dm.payload.userJid;
    const reply = await waitFor(() => zoom.messages.find(isReply), 5000, 'the reply');
    const buttons = buttonsOf(reply);
    expect(zoom.messages.filter(isReply)).toHaveLength(1);
    expect(decodeChoice(buttons[0]!.value)).toEqual({ t: 'absence', s: sessionId, c: 'technical' });
    expect(decodeChoice(buttons.at(-1)!.value)).toEqual({ t: 'absence_cancel' });

    await postZoom(app.url, click(buttons[0]!.value, { userId: zoomUser, userJid: dm.payload.userJid, messageId: reply.message_id, toJid: dm.payload.toJid, userName: 'Jamie Fox' }));
    const absence = await waitFor(async () => (await app.database.prisma.absence.findFirst({ where: { participantId } })) ?? undefined, 5000, 'the absence');
    expect(absence).toMatchObject({ sessionId, category: 'technical', reportedBy: 'participant', reportedVia: 'zoom' });
    await waitFor(() => reply.edits > 0 && JSON.stringify(reply.content).includes('Thank you'), 5000, 'the answer in place of the question');
    const staffAlert = await waitFor(() => channelMessages().find((m) => m.content.head.text.includes('Absence reported')), 8000, 'the staff alert');
    expect(JSON.stringify(staffAlert.content)).not.toMatch(/wifi/i);
  });
});

describe('recordings', () => {
  async function endedSession(meetingId: string, shareable: boolean) {
    const alex = 'zoom-alex-rec-' + meetingId;
    const sam = 'zoom-sam-rec-' + meetingId;
    const s = await runningSession(meetingId, [{ name: 'Alex Kim', zoomUser: alex }, { name: 'Sam Lee', zoomUser: sam }], shareable ? { recordingsShareable: true } : undefined, 70);
    const uuid = `REC-${meetingId}==`;
    const at = (m: number) => new Date(s.start.getTime() + m * 60_000);
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, uuid, at: at(0), person: { user_name: 'Alex Kim', participant_uuid: 'P-ALEX', id: alex } }));
    await postZoom(app.url, zoomDelivery('participant-left', { meetingId, uuid, at: at(60), person: { user_name: 'Alex Kim', participant_uuid: 'P-ALEX', id: alex } }));
    await postZoom(app.url, zoomDelivery('meeting-ended', { meetingId, uuid, at: at(60) }));
    // The session is over when created, so it is final at once; wait for Alex's stay to be in it.
    await waitFor(async () => {
      const rows = await app.database.prisma.attendance.findMany({ where: { sessionId: s.sessionId, final: true } });
      return rows.length === 2 && rows.some((r) => r.participantId === s.participants['Alex Kim'] && r.status === 'present');
    }, 10_000, 'the final record');
    await app.evaluator.idle();
    const body = fixture('recording-completed');
    Object.assign(body.payload.object, { uuid, id: Number(meetingId), start_time: `${s.start.toISOString().slice(0, 19)}Z` });
    body.payload.account_id = ACCOUNT;
    return { ...s, uuid, alex, sam, recording: JSON.stringify(body) };
  }

  it('stores a shareable recording once and offers it, with the passcode, to the absent participant only; attendance is unchanged', async () => {
    const s = await endedSession('86100000004', true);
    const attendanceBefore = await app.database.prisma.attendance.findMany({ where: { sessionId: s.sessionId }, orderBy: { participantId: 'asc' } });
    expect((await postZoom(app.url, s.recording)).status).toBe(200);
    const material = await waitFor(async () => (await app.database.prisma.material.findFirst({ where: { sessionId: s.sessionId } })) ?? undefined, 5000, 'the material');
    expect(material).toMatchObject({ kind: 'recording', url: 'https://example.zoom.us/rec/share/sHaReToKeN', externalKey: `zoom-recording:${s.uuid}` });
    expect(material.encryptedPasscode).not.toContain('Pa55code');
    const samJid = `${s.sam.toLowerCase()}@xmpp.zoom.us`;
    // Sam also gets the no-show follow-up (docs/care.md); the offer is the message with the recording.
    const isOffer = (m: (typeof zoom.messages)[number]) => m.to_jid === samJid && JSON.stringify(m.content).includes('sHaReToKeN');
    const offer = await waitFor(() => zoom.messages.find(isOffer), 5000, 'the offer');
    expect(JSON.stringify(offer.content)).toContain('Pa55code');
    expect(JSON.stringify(offer.content)).toContain('sHaReToKeN');
    // A duplicate delivery stores nothing more and offers no one twice.
    expect((await postZoom(app.url, s.recording)).status).toBe(200);
    await waitFor(async () => (await app.database.prisma.auditLog.count({ where: { action: 'material.offer', entityId: material.id } })) === 1, 3000, 'one offer audited');
    await waitForDrain(app);
    expect(zoom.messages.filter(isOffer)).toHaveLength(1);
    // Alex attended: other messages may reach him (the intake at enrolment), never the recording.
    expect(zoom.messages.some((m) => m.to_jid === `${s.alex.toLowerCase()}@xmpp.zoom.us` && JSON.stringify(m.content).includes('sHaReToKeN'))).toBe(false);
    expect(zoom.messages.filter((m) => JSON.stringify(m.content).includes('Pa55code')).map((m) => m.to_jid)).toEqual([samJid]);
    expect(await app.database.prisma.material.count({ where: { sessionId: s.sessionId } })).toBe(1);
    const attendanceAfter = await app.database.prisma.attendance.findMany({ where: { sessionId: s.sessionId }, orderBy: { participantId: 'asc' } });
    expect(attendanceAfter.map((r) => [r.participantId, r.status, r.minutesPresent])).toEqual(attendanceBefore.map((r) => [r.participantId, r.status, r.minutesPresent]));
    expect(attendanceAfter.find((r) => r.participantId === s.participants['Sam Lee'])!.status).toBe('no_show');
  });

  it('offers a recording that arrived while the session was still running once its record is final (close-out)', async () => {
    const meetingId = '86100000006';
    const sam = 'zoom-sam-rec-early';
    // Ends about a second from now: the recording webhook comes before the record is final.
    const start = new Date(Date.now() + 1200 - 60 * 60_000);
    const s = await createScenario(app, {
      meetingId,
      startsAt: start,
      minutes: 60,
      name: `Zoom group ${meetingId}`,
      people: [{ name: 'Sam Early', identities: [{ platform: 'zoom', externalId: sam }] }],
      policy: { recordingsShareable: true },
      inOrganizationOf: clinic,
    });
    const body = fixture('recording-completed');
    Object.assign(body.payload.object, { uuid: 'REC-EARLY==', id: Number(meetingId), start_time: `${start.toISOString().slice(0, 19)}Z` });
    body.payload.account_id = ACCOUNT;
    expect((await postZoom(app.url, JSON.stringify(body)))).toMatchObject({ status: 200, body: { status: 'stored' } });
    const material = await app.database.prisma.material.findFirstOrThrow({ where: { sessionId: s.sessionId } });
    expect(await app.database.prisma.materialOffer.count({ where: { materialId: material.id } })).toBe(0);
    const samJid = `${sam.toLowerCase()}@xmpp.zoom.us`;
    const offer = await waitFor(() => zoom.messages.find((m) => m.to_jid === samJid && JSON.stringify(m.content).includes('Pa55code')), 8000, 'the offer after close-out');
    expect(JSON.stringify(offer.content)).toContain('Pa55code');
    // The offer's state is written once Zoom has answered the send, just after the fake recorded it.
    const offerRow = await waitFor(async () => (await app.database.prisma.materialOffer.findFirst({ where: { materialId: material.id, state: { not: 'pending' } } })) ?? undefined, 5000, 'the offer recorded');
    expect(offerRow).toMatchObject({ state: 'sent', platform: 'zoom' });
  });

  it('stores nothing for a program that does not share recordings (the default)', async () => {
    const s = await endedSession('86100000005', false);
    const answer = await postZoom(app.url, s.recording);
    expect(answer).toMatchObject({ status: 200, body: { status: 'ignored' } });
    expect(await app.database.prisma.material.count({ where: { sessionId: s.sessionId } })).toBe(0);
  });
});

describe('the Zoom notifier and the outbox', () => {
  const notifier = () => {
    const chatbot = createChatbotClient(
      { oauthUrl: zoom.oauthUrl, apiUrl: zoom.apiUrl, clientId: FAKE_ZOOM_CLIENT_ID, clientSecret: FAKE_ZOOM_CLIENT_SECRET, botJid: FAKE_ZOOM_BOT_JID },
      { log: createLogger('silent') },
    );
    return createZoomNotifier({ chatbot, log: createLogger('silent'), accountOf: async (organizationId) => (organizationId === 'installed' ? ACCOUNT : null) });
  };
  const message = buildAlertMessage({ alertId: '0b1c2d3e-4f50-4a61-8b72-c3d4e5f60718', kind: 'crisis', state: 'active', participantLabel: 'Alex K.', sessionLabel: 'Group' });
  const channel = { organizationId: 'installed', platform: 'zoom' as const, channelId: CHANNEL_JID };

  it('retries 429 (after Retry-After) and 5xx, never other 4xx, and renews a token Zoom refuses', async () => {
    // The scripted failures are for this notifier's calls: let the app's own sends (outbox, offers) finish first.
    await app.evaluator.idle();
    await waitFor(async () => {
      const [row] = await app.database.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND start_after <= now()`;
      return row!.n === 0n;
    }, 10_000, 'no job due');
    const n = notifier();
    const attempt = () => n.post(channel, message).then(() => null, (error: unknown) => error as DeliveryError);
    zoom.failNext('POST /im/chat/messages', { status: 429, retryAfter: 7 });
    expect(await attempt()).toMatchObject({ retryable: true, retryAfterSeconds: 7 });
    zoom.failNext('POST /im/chat/messages', { status: 503 });
    expect(await attempt()).toMatchObject({ retryable: true });
    zoom.failNext('POST /im/chat/messages', { status: 400, body: { code: 7001, message: 'Invalid to_jid' } });
    const permanent = await attempt();
    expect(permanent).toBeInstanceOf(DeliveryError);
    expect(permanent).toMatchObject({ retryable: false });
    zoom.failNext('POST /im/chat/messages', { status: 401 });
    expect(await attempt()).toBeNull();
    zoom.failNext('PUT /im/chat/messages/:id', { status: 404 });
    await expect(n.update(channel, 'gone-message', message)).rejects.toMatchObject({ retryable: false });
    await expect(n.post({ ...channel, organizationId: 'not-installed' }, message)).rejects.toMatchObject({ retryable: false });
  });
});
