import { decodeChoice } from '../../src/core/participant-message.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createLogger } from '../../src/logger.js';
import { systemClock } from '../../src/clock.js';
import { createConnectStates } from '../../src/services/installs/connect-state.js';
import { createSlackInstallationStore } from '../../src/platforms/slack/installation-store.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { at, createScenario, minutes, minutesAgo } from '../support/scenario.js';
import { postSlack, readSlackFixture, TEST_SLACK_SIGNING_SECRET } from '../support/slack-signing.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';

let slack: FakeSlack;
let app: TestApp;
const CHANNEL = 'C0STAFF01';
const STAFF = 'U0STAFF01';

beforeAll(async () => {
  slack = await startFakeSlack();
  app = await startTestApp({
    env: { SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.url },
  });
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});


/** A running session whose "Not joined" alert for Alex is in the Slack channel. */
async function sessionWithNotJoinedAlert(meetingId: string, kind: 'not_joined' | 'no_show' = 'not_joined') {
  // A session running for twenty minutes, or one that ended ten minutes ago.
  const start = minutesAgo(kind === 'not_joined' ? 20 : 70);
  // In the admin token's organization, where this deployment's Slack workspace belongs.
  const scenario = await createScenario(app, {
    meetingId,
    startsAt: start,
    minutes: 60,
    name: `Group ${meetingId}`,
    people: [{ name: 'Alex Kim', identities: [{ platform: 'zoom', externalId: `zoom-user-alex-${meetingId}` }] }],
    inOrganizationOf: { token: TEST_ADMIN_TOKEN, organizationId: app.organizationId },
    alertChannel: { platform: 'slack', channelId: CHANNEL },
    staffUserIds: [STAFF],
  });
  await postZoom(app.url, zoomDelivery('meeting-started', { meetingId, at: start }));
  const alert = await waitFor(
    async () => (await app.database.prisma.alert.findFirst({ where: { sessionId: scenario.sessionId, kind, deliveryState: 'delivered' } })) ?? undefined,
    8000,
    `the delivered ${kind} alert`,
  );
  const alex = { user_name: 'Alex Kim', participant_uuid: `UUID-ALEX-${meetingId}`, id: `zoom-user-alex-${meetingId}` };
  return { ...scenario, start, alert, alex };
}

/** The click Slack would send for a button of the alert's message as it sits in the channel. */
function buttonPayload(actionId: string, alertId: string, userId = STAFF) {
  const message = slack.messages(CHANNEL).find((m) => m.metadata?.event_payload.alertId === alertId);
  const buttons = ((message?.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
  const button = buttons.find((b) => b.action_id === actionId);
  if (!button) throw new Error(`no ${actionId} button on the alert's message`);
  const payload = readSlackFixture('block-actions-button');
  payload.user.id = userId;
  payload.container.message_ts = message!.ts;
  payload.message.ts = message!.ts;
  payload.actions[0].action_id = actionId;
  payload.actions[0].value = button.value;
  return payload;
}

const updatesOf = (ts: string) => slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === ts);

describe('the Slack notifier through the whole pipeline', () => {
  it('posts an alert with blocks and metadata, and edits it when the person arrives', async () => {
    const meetingId = '87000000001';
    const { sessionId, start, alert, alex } = await sessionWithNotJoinedAlert(meetingId);
    const post = slack.calls.find((c) => c.method === 'chat.postMessage' && String(c.body.text).startsWith('Not joined: Alex K.'));
    expect(post?.token).toBe('xoxb-test-token');
    expect(post?.body.channel).toBe(CHANNEL);
    expect(post?.body.metadata).toEqual({
      event_type: 'rollcall_alert',
      event_payload: { kind: 'not_joined', sessionId, participantId: alert.participantId, alertId: alert.id },
    });
    expect((post?.body.blocks as { type: string }[]).some((b: { type: string }) => b.type === 'actions')).toBe(true);
    expect(alert.externalMessageId).toBeTruthy();

    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId, at: at(start, minutes(20)), person: alex }));
    const edit = await waitFor(() => updatesOf(alert.externalMessageId!).find((c) => String(c.body.text).startsWith('Late join: Alex K.')), 8000, 'the edit');
    expect(edit.body.channel).toBe(CHANNEL);
    expect(slack.messages(CHANNEL).filter((m) => m.metadata?.event_payload.alertId === alert.id)).toHaveLength(1);
  });
});

describe('facilitator buttons', () => {
  it('"I\'ll reach out" assigns a follow-up to the clicker, audits it and shows it on the alert', async () => {
    const { alert } = await sessionWithNotJoinedAlert('87000000002');
    const response = await postSlack(app.url, buttonPayload('rollcall:reach_out', alert.id), { form: true });
    expect(response.status).toBe(200);
    const followUp = await waitFor(async () => (await app.database.prisma.followUp.findFirst({ where: { alertId: alert.id } })) ?? undefined, 5000, 'follow-up');
    expect(followUp).toMatchObject({ kind: 'outreach', assignee: `slack:${STAFF}`, state: 'open' });
    const audit = await app.database.prisma.auditLog.findFirst({ where: { entityId: alert.id, action: 'alert.reach_out' } });
    expect(audit?.actor).toBe(`slack:${STAFF}`);
    const edit = await waitFor(() => updatesOf(alert.externalMessageId!).find((c) => JSON.stringify(c.body.blocks).includes('Outreach taken on by dana.facilitator')), 8000, 'the edit');
    expect(edit).toBeDefined();
  });

  it('refuses someone who is not the program\'s staff, politely and without changing anything', async () => {
    const { alert } = await sessionWithNotJoinedAlert('87000000003');
    const before = slack.calls.length;
    const response = await postSlack(app.url, buttonPayload('rollcall:reach_out', alert.id, 'U0SOMEONE'), { form: true });
    expect(response.status).toBe(200);
    const ephemeral = await waitFor(() => slack.calls.slice(before).find((c) => c.method === 'chat.postEphemeral'), 5000, 'the ephemeral no');
    expect(ephemeral.body.user).toBe('U0SOMEONE');
    expect(await app.database.prisma.followUp.count({ where: { alertId: alert.id } })).toBe(0);
  });

  it('"Mark excused" opens a reason picker; the choice excuses the attendance and resolves the alert', async () => {
    const { alert, sessionId, api } = await sessionWithNotJoinedAlert('87000000004');
    await postSlack(app.url, buttonPayload('rollcall:excuse', alert.id), { form: true });
    const opened = await waitFor(() => slack.calls.find((c) => c.method === 'views.open' && JSON.stringify(c.body.view).includes(alert.id)), 5000, 'the modal');
    expect((opened.body.view as { callback_id: string }).callback_id).toBe('rollcall_choose');

    const submission = readSlackFixture('view-submission-excuse');
    submission.view.private_metadata = JSON.stringify({ alertId: alert.id, action: 'excuse' });
    expect((await postSlack(app.url, submission, { form: true })).status).toBe(200);
    const absence = await waitFor(async () => (await app.database.prisma.absence.findFirst({ where: { sessionId } })) ?? undefined, 5000, 'the absence');
    expect(absence).toMatchObject({ category: 'illness', excused: true, reportedBy: 'staff' });
    const attendance = await api('GET', `/api/v1/sessions/${sessionId}/attendance`);
    expect(attendance.body.attendance[0].status).toBe('excused');
    const resolved = await waitFor(() => updatesOf(alert.externalMessageId!).find((c) => String(c.body.text).includes('resolved: marked excused')), 8000, 'the resolved edit');
    expect((resolved.body.blocks as { type: string }[]).some((b: { type: string }) => b.type === 'actions')).toBe(false);
    expect(await app.database.prisma.auditLog.count({ where: { action: 'attendance.excuse', actor: `slack:${STAFF}` } })).toBeGreaterThan(0);
  });
});

describe('an unrecognized joiner', () => {
  it('"Link to participant" offers the program\'s people; the choice learns the alias and resolves the alert', async () => {
    const { alert, sessionId, start } = await sessionWithNotJoinedAlert('87000000013');
    await postZoom(app.url, zoomDelivery('participant-joined', { meetingId: '87000000013', at: at(start, minutes(3)), person: { user_name: 'Pixel 8', participant_uuid: 'UUID-PIXEL' } }));
    const identity = await waitFor(
      async () => (await app.database.prisma.alert.findFirst({ where: { sessionId, kind: 'unrecognized_participant', deliveryState: 'delivered' } })) ?? undefined,
      8000,
      'the unrecognized alert',
    );
    const posted = slack.calls.find((c) => c.method === 'chat.postMessage' && (c.body.metadata as { event_payload?: { alertId?: string } } | undefined)?.event_payload?.alertId === identity.id);
    expect(String(posted?.body.text)).toMatch(/^Unrecognized participant: "Pixel 8"/);
    await postSlack(app.url, buttonPayload('rollcall:link_participant', identity.id), { form: true });
    const modal = await waitFor(() => slack.calls.find((c) => c.method === 'views.open' && JSON.stringify(c.body.view).includes(identity.id)), 5000, 'the picker');
    expect(JSON.stringify(modal.body.view)).toContain('Alex K.');
    const submission = readSlackFixture('view-submission-link');
    submission.view.private_metadata = JSON.stringify({ alertId: identity.id, action: 'link_participant' });
    submission.view.state.values.choice.value.selected_option.value = alert.participantId;
    await postSlack(app.url, submission, { form: true });
    await waitFor(async () => (await app.database.prisma.identity.findFirst({ where: { participantId: alert.participantId!, kind: 'alias', value: 'pixel 8' } })) ?? undefined, 5000, 'the alias');
    const resolved = await waitFor(() => updatesOf(identity.externalMessageId!).find((c) => String(c.body.text).includes('resolved: identified')), 8000, 'the resolved alert');
    expect(resolved).toBeDefined();
    expect(await app.database.prisma.auditLog.count({ where: { action: 'identity.link', actor: `slack:${STAFF}` } })).toBe(1);
  });
});

describe('reaching the participant', () => {
  it('refuses "Send check-in" while participant chat on Slack is off, and says why', async () => {
    const { alert } = await sessionWithNotJoinedAlert('87000000011');
    await app.database.prisma.identity.create({ data: { organizationId: app.organizationId, participantId: alert.participantId!, platform: 'slack', kind: 'user_id', value: 'U0ALEX0011' } });
    const before = slack.calls.length;
    await postSlack(app.url, buttonPayload('rollcall:send_checkin', alert.id), { form: true });
    const no = await waitFor(() => slack.calls.slice(before).find((c) => c.method === 'chat.postEphemeral'), 5000, 'the explanation');
    expect(String(no.body.text)).toMatch(/Participant chat is off for your organization/);
    expect(slack.calls.slice(before).some((c) => c.method === 'conversations.open')).toBe(false);
  });

  it('"Offer make-up" DMs the participant bookable make-ups (buttons) on other days, once chat is on', async () => {
    await app.api('PATCH', '/api/v1/organization', { settings: { participantChat: { slack: true } } });
    try {
      const { alert, programId, api } = await sessionWithNotJoinedAlert('87000000012', 'no_show');
      await app.database.prisma.identity.create({ data: { organizationId: app.organizationId, participantId: alert.participantId!, platform: 'slack', kind: 'user_id', value: 'U0ALEX0012' } });
      const later = new Date(Date.now() + 2 * 86_400_000);
      await api('POST', `/api/v1/programs/${programId}/sessions`, { startsAt: later.toISOString(), endsAt: new Date(later.getTime() + 3600_000).toISOString(), meeting: { platform: 'zoom', meetingId: '87000000012' } });
      const before = slack.calls.length;
      await postSlack(app.url, buttonPayload('rollcall:offer_makeup', alert.id), { form: true });
      const opened = await waitFor(() => slack.calls.slice(before).find((c) => c.method === 'conversations.open'), 5000, 'the DM');
      expect(opened.body.users).toBe('U0ALEX0012');
      const dm = await waitFor(() => slack.calls.slice(before).find((c) => c.method === 'chat.postMessage' && String(c.body.text).includes('make up the session')), 5000, 'the offer');
      const buttons = (dm.body.blocks as { type: string; elements?: { text: { text: string }; value: string }[] }[]).find((b) => b.type === 'actions')!.elements!;
      expect(buttons[0]!.text.text).toContain('Group 87000000012');
      expect(decodeChoice(buttons[0]!.value)).toMatchObject({ t: 'makeup', m: alert.sessionId });
      await waitFor(async () => (await app.database.prisma.participantOutboxMessage.count({ where: { participantId: alert.participantId!, purpose: 'offer_makeup', state: 'sent' } })) === 1, 5000, 'the outbox row sent');
      expect(await app.database.prisma.auditLog.count({ where: { action: 'alert.offer_makeup', entityId: alert.id } })).toBe(1);
    } finally {
      await app.api('PATCH', '/api/v1/organization', { settings: { participantChat: { slack: false } } });
    }
  });
});

describe('/rollcall', () => {
  it('shows staff the live roster of today\'s sessions for the channel\'s program, ephemerally', async () => {
    const { sessionId } = await sessionWithNotJoinedAlert('87000000007');
    const command = { ...readSlackFixture('slash-command-rollcall'), text: 'today' };
    const response = await postSlack(app.url, command, { command: true });
    expect(response.status).toBe(200);
    const answer = JSON.parse(response.text) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Alex K.: not joined, 0 min');
    expect(answer.text).not.toContain('Alex Kim');
    expect(sessionId).toBeTruthy();
  });

  it('links a Zoom meeting to the channel\'s program for upcoming sessions, for staff only', async () => {
    const { programId, api } = await sessionWithNotJoinedAlert('87000000008');
    const later = new Date(Date.now() + 86_400_000);
    const upcoming = await api('POST', `/api/v1/programs/${programId}/sessions`, {
      startsAt: later.toISOString(),
      endsAt: new Date(later.getTime() + 3600_000).toISOString(),
      meeting: { platform: 'zoom', meetingId: '87000000008' },
    });
    // A channel of its own: a channel's program is the one that posts there.
    await api('PATCH', `/api/v1/programs/${programId}`, { alertChannel: { platform: 'slack', channelId: 'C0LINK01' } });
    const command = { ...readSlackFixture('slash-command-rollcall'), channel_id: 'C0LINK01' };
    const refused = await postSlack(app.url, { ...command, text: 'link 870 0000 0099', user_id: 'U0SOMEONE' }, { command: true });
    expect(JSON.parse(refused.text).text).toMatch(/^Sorry/);
    const linked = await postSlack(app.url, { ...command, text: 'link 870 0000 0099' }, { command: true });
    expect(JSON.parse(linked.text).text).toMatch(/^Linked: \d+ upcoming session/);
    expect((await api('GET', `/api/v1/sessions/${upcoming.body.id}`)).body.meeting).toEqual({ platform: 'zoom', meetingId: '87000000099' });
    expect(await app.database.prisma.auditLog.count({ where: { action: 'program.link_meeting', actor: `slack:${STAFF}` } })).toBe(1);
  });
});

describe('App Home', () => {
  it("shows staff today's sessions and their open follow-ups", async () => {
    const { alert } = await sessionWithNotJoinedAlert('87000000009');
    await postSlack(app.url, buttonPayload('rollcall:reach_out', alert.id), { form: true });
    await waitFor(async () => (await app.database.prisma.followUp.findFirst({ where: { alertId: alert.id } })) ?? undefined, 5000, 'follow-up');
    const before = slack.calls.length;
    expect((await postSlack(app.url, readSlackFixture('event-app-home-opened'))).status).toBe(200);
    const publish = await waitFor(() => slack.calls.slice(before).find((c) => c.method === 'views.publish'), 5000, 'views.publish');
    expect(publish.body.user_id).toBe(STAFF);
    const view = JSON.stringify(publish.body.view);
    expect(view).toContain("Today's sessions");
    expect(view).toContain('Group 87000000009');
    expect(view).toContain('outreach');
  });

  it('shows a participant only how to reach the clinic while participant chat on Slack is off, and their own week once it is on', async () => {
    const { programId, api } = await sessionWithNotJoinedAlert('87000000010');
    await api('POST', `/api/v1/programs/${programId}/participants`, { name: 'Robin Park', identities: [{ platform: 'slack', externalId: 'U0ROBIN01' }] });
    const openHome = async (eventId: string) => {
      const event = readSlackFixture('event-app-home-opened');
      event.event.user = 'U0ROBIN01';
      event.event_id = eventId;
      const before = slack.calls.length;
      expect((await postSlack(app.url, event)).status).toBe(200);
      const publish = await waitFor(() => slack.calls.slice(before).find((c) => c.method === 'views.publish'), 5000, 'views.publish');
      expect(publish.body.user_id).toBe('U0ROBIN01');
      return JSON.stringify(publish.body.view);
    };

    // Off is the default (Slack's terms forbid patient communication there).
    await app.api('PATCH', '/api/v1/organization', { settings: { clinicContact: 'the front desk at 555-0100 <ext. 2>' } });
    const off = await openHome('Ev0HOME2');
    expect(off).toContain('please contact the front desk at 555-0100 &lt;ext. 2&gt;');
    expect(off).not.toMatch(/ h \d+ min|This week|next sessions|Group 87000000010|Robin|Alex/);

    await app.api('PATCH', '/api/v1/organization', { settings: { participantChat: { slack: true } } });
    try {
      const on = await openHome('Ev0HOME3');
      // The week requires what the program offers (one 1-hour session), and it is still attendable.
      expect(on).toContain('0 h 0 min of 1 h 0 min this week: on track (1 session left)');
      expect(on).not.toContain('Alex');
    } finally {
      await app.api('PATCH', '/api/v1/organization', { settings: { participantChat: { slack: false } } });
    }
  });
});

describe('huddles', () => {
  it('reads a participant entering and leaving a huddle as presence in their huddle session', async () => {
    const program = await app.api('POST', '/api/v1/programs', { name: 'Huddle group', timezone: 'America/New_York', alertChannel: { platform: 'slack', channelId: 'C0HUDDLEST' } });
    await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name: 'Casey Nguyen', identities: [{ platform: 'slack', externalId: 'U0HUDDLE01' }], enrolledAt: minutesAgo(60 * 24).toISOString() });
    const start = minutesAgo(30);
    const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3600_000).toISOString(),
      meeting: { platform: 'slack', meetingId: 'C0HUDDLEGRP' },
    });
    const joined = readSlackFixture('event-user-huddle-changed');
    joined.event.event_ts = String((start.getTime() + minutes(2)) / 1000);
    const left = readSlackFixture('event-user-huddle-changed');
    left.event_id = 'Ev0HUDDLE2';
    left.event.user.profile.huddle_state = 'default_unset';
    left.event.event_ts = String((start.getTime() + minutes(22)) / 1000);
    expect((await postSlack(app.url, joined)).status).toBe(200);
    expect((await postSlack(app.url, left)).status).toBe(200);
    expect((await postSlack(app.url, left)).status).toBe(200);
    const row = await waitFor(async () => {
      const attendance = await app.api('GET', `/api/v1/sessions/${session.body.id}/attendance`);
      const casey = attendance.body.attendance[0];
      return casey?.minutesPresent === 20 ? casey : undefined;
    }, 5000, 'huddle presence');
    expect(row).toMatchObject({ name: 'Casey Nguyen', status: 'present', flags: ['left_early'] });
    expect(await app.database.prisma.presenceEvent.count({ where: { sessionId: session.body.id } })).toBe(2);
  });
});

describe('the door', () => {
  it('answers 401 to a bad signature and changes nothing', async () => {
    const { alert } = await sessionWithNotJoinedAlert('87000000005');
    const response = await postSlack(app.url, buttonPayload('rollcall:reach_out', alert.id), { form: true, secret: 'wrong-secret' });
    expect(response.status).toBe(401);
    await waitForDrain(app);
    expect(await app.database.prisma.followUp.count({ where: { alertId: alert.id } })).toBe(0);
  });

  it('posts once after Slack answers 429 with Retry-After', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const { alert } = await sessionWithNotJoinedAlert('87000000006');
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage' && (c.body.metadata as { event_payload: { alertId: string } } | undefined)?.event_payload.alertId === alert.id);
    expect(posts.map((c) => c.outcome)).toEqual(['http_429', 'ok']);
    expect(slack.messages(CHANNEL).filter((m) => m.metadata?.event_payload.alertId === alert.id)).toHaveLength(1);
  });
});

describe('OAuth installs', () => {
  it('deletes a workspace\'s tokens when the app is uninstalled or its tokens revoked', async () => {
    const oauthApp = await startTestApp({
      databaseUrl: app.database.url,
      env: {
        SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
        SLACK_CLIENT_ID: '1234.5678',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret-for-tests',
        SLACK_API_URL: slack.url,
      },
    });
    try {
      const store = createSlackInstallationStore({
        prisma: oauthApp.database.prisma,
        box: createSecretBox(oauthApp.config.encryptionKey),
        log: createLogger('silent'),
        clock: systemClock,
        connectStates: createConnectStates(oauthApp.config.encryptionKey),
        revoke: async () => {},
      });
      const installation = { team: { id: 'T0CLINIC1' }, enterprise: undefined, user: { id: 'U0ADMIN', token: undefined, scopes: undefined }, bot: { token: 'xoxb-installed', scopes: ['chat:write'], id: 'B1', userId: 'U0ROLLCALL' }, isEnterpriseInstall: false };
      await store.storeInstallation(installation as never);
      const stored = await oauthApp.database.prisma.installation.findFirstOrThrow({ where: { externalId: 'T0CLINIC1' } });
      expect(stored.encryptedTokens).not.toContain('xoxb-installed');
      // A workspace that installs on its own founds its own clinic, never the deployment's first one.
      expect(stored.organizationId).not.toBe(oauthApp.organizationId);
      expect(await store.botTokenForOrganization(stored.organizationId)).toBe('xoxb-installed');

      // Slack sends these in either order; the second finds nothing left to delete.
      expect((await postSlack(oauthApp.url, readSlackFixture('event-tokens-revoked'))).status).toBe(200);
      expect((await postSlack(oauthApp.url, readSlackFixture('event-app-uninstalled'))).status).toBe(200);
      await waitFor(async () => (await oauthApp.database.prisma.installation.findFirst({ where: { externalId: 'T0CLINIC1', encryptedTokens: null } })) ?? undefined, 5000, 'tokens deleted');
      expect(await store.botTokenForOrganization(stored.organizationId)).toBeNull();

      const install = await fetch(`${oauthApp.url}/slack/install`, { redirect: 'manual' });
      expect(install.status).toBe(302);
      const authorize = new URL(install.headers.get('location') ?? '');
      expect(`${authorize.origin}${authorize.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
      expect(authorize.searchParams.get('client_id')).toBe('1234.5678');
      expect(authorize.searchParams.get('scope')).toContain('chat:write');
      expect(authorize.searchParams.get('redirect_uri')).toBe(`${oauthApp.config.publicUrl}/slack/oauth_redirect`);
    } finally {
      await oauthApp.stop();
    }
  });
});
