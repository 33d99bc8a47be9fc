import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotFrameworkIssuer, seedOutboundToken, TEST_OUTBOUND_TOKEN, TEST_TEAMS_APP_ID, type BotFrameworkIssuerFake } from '../support/bot-framework-auth.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fake-bot-connector.js';
import { minutes, minutesAgo } from '../support/scenario.js';
import { meetingActivity, messageActivity, postTeams, STAFF_CHANNEL_ID, TEAMS_DEVELOPMENT_ENV, TEAMS_TENANT, teamsActivity } from '../support/teams-activities.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** An address of this machine that is not loopback: a serviceUrl there is "somewhere else" to the app. */
function nonLoopbackAddress(): string {
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4');
  if (!address) throw new Error('this test needs a non-loopback IPv4 interface to stand for a serviceUrl elsewhere');
  return address.address;
}

const OTHER_TENANT = '0e0e0e0e-0000-4bad-8bad-00000000bad1';
const ALEX_AAD = '7e8f9a0b-0000-4c1d-8e2f-3000000000a1';
const CRISIS = 'I want to kill myself';

let connector: FakeBotConnector;
let outside: FakeBotConnector;
let issuer: BotFrameworkIssuerFake;

beforeAll(async () => {
  connector = await startFakeBotConnector();
  outside = await startFakeBotConnector({ host: nonLoopbackAddress() });
  issuer = await startBotFrameworkIssuer();
});
afterAll(async () => {
  await Promise.all([connector?.close(), outside?.close(), issuer?.close()]);
});

async function storedCounts(app: TestApp) {
  const prisma = app.database.prisma;
  return {
    conversations: await prisma.chatConversation.count(),
    claims: await prisma.inboundDelivery.count({ where: { platform: 'teams' } }),
    presence: await prisma.presenceEvent.count({ where: { platform: 'teams' } }),
    alerts: await prisma.alert.count(),
    installations: await prisma.installation.count({ where: { platform: 'teams' } }),
  };
}
const NOTHING = { conversations: 0, claims: 0, presence: 0, alerts: 0, installations: 0 };

describe('Teams off: no MICROSOFT_APP_ID and no development switch (what `npm start` gives)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.stop());

  it('answers 401 to every activity, with or without a token: nothing stored, nothing sent, no alert', async () => {
    const callsBefore = connector.calls.length;
    const activities = [
      teamsActivity('bot-added-to-team', { serviceUrl: connector.url }),
      messageActivity('message-personal', { serviceUrl: connector.url, text: CRISIS }),
      meetingActivity('meeting-participant-join', { serviceUrl: connector.url, meetingId: 'MCMxOTptZWV0aW5nX09mZg==', at: new Date(), people: [{ name: 'Eve', aadObjectId: ALEX_AAD }] }),
    ];
    for (const activity of activities) {
      for (const authorization of [undefined, issuer.bearer({ serviceUrl: connector.url })]) {
        const answer = await postTeams(app.url, activity, { authorization });
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({ error: { code: 'teams_off', message: 'Teams is not configured on this server' } });
      }
    }
    expect(await storedCounts(app)).toEqual(NOTHING);
    expect(connector.calls).toHaveLength(callsBefore);
  });
});

describe('the development switch (ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS=1, no app id)', () => {
  let app: TestApp;
  let intruder: FakeBotConnector;
  beforeAll(async () => {
    intruder = await startFakeBotConnector();
    app = await startTestApp({ env: TEAMS_DEVELOPMENT_ENV });
    expect((await postTeams(app.url, teamsActivity('bot-added-to-team', { serviceUrl: connector.url }))).status).toBe(200);
  });
  afterAll(async () => {
    await app?.stop();
    await intruder?.close();
  });

  it('refuses (403) an activity whose serviceUrl is not on this machine, before storing or sending anything', async () => {
    const before = await storedCounts(app);
    const added = teamsActivity('bot-added-to-team', { serviceUrl: outside.url });
    added.conversation.id = '19:elsewhere0000@thread.tacv2';
    added.channelData.team.id = '19:elsewhere0000@thread.tacv2';
    const crisis = messageActivity('message-personal', { serviceUrl: outside.url, text: CRISIS });
    for (const activity of [added, crisis]) {
      const answer = await postTeams(app.url, activity);
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('service_url_refused');
    }
    expect(await storedCounts(app)).toEqual(before);
    expect(outside.calls).toHaveLength(0);
  });

  it("never lets another tenant's activity re-point or remove a stored conversation: the channel's alerts keep going to its connector", async () => {
    const program = await app.api('POST', '/api/v1/programs', { name: 'Evening IOP', timezone: 'America/New_York', alertChannel: { platform: 'teams', channelId: STAFF_CHANNEL_ID } });
    const start = minutesAgo(20);
    await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name: 'Alex Kim', enrolledAt: new Date(start.getTime() - 86_400_000).toISOString(), identities: [{ platform: 'teams', externalId: ALEX_AAD }] });
    const meetingId = 'MCMxOTptZWV0aW5nX1RlbmFudA==';
    const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + minutes(60)).toISOString(), meeting: { platform: 'teams', meetingId } });
    // Alex's own personal chat, in the clinic's tenant.
    const install = teamsActivity('installation-update-add-personal', { serviceUrl: connector.url });
    install.from.aadObjectId = ALEX_AAD;
    expect((await postTeams(app.url, install)).status).toBe(200);

    const fromOtherTenant = (activity: any) => {
      activity.channelData.tenant.id = OTHER_TENANT;
      activity.conversation.tenantId = OTHER_TENANT;
      return activity;
    };
    const intrusions = [
      fromOtherTenant(teamsActivity('bot-added-to-team', { serviceUrl: intruder.url })),
      fromOtherTenant(messageActivity('message-channel-link', { serviceUrl: intruder.url, text: 'help', conversationId: STAFF_CHANNEL_ID })),
      fromOtherTenant(teamsActivity('bot-removed-from-team', { serviceUrl: intruder.url })),
      fromOtherTenant(Object.assign(teamsActivity('installation-update-add-personal', { serviceUrl: intruder.url }), { conversation: { ...install.conversation, id: 'a:1intruderPersonalChat' } })),
    ];
    intrusions[3].from.aadObjectId = ALEX_AAD;
    for (const activity of intrusions) expect((await postTeams(app.url, activity)).status).toBe(200);

    const rows = await app.database.prisma.chatConversation.findMany({ where: { OR: [{ conversationId: STAFF_CHANNEL_ID }, { userId: ALEX_AAD }] } });
    expect(rows.map((r) => [r.conversationType, r.tenantId, (r.reference as { serviceUrl: string }).serviceUrl])).toEqual(
      expect.arrayContaining([
        ['channel', TEAMS_TENANT, connector.url],
        ['personal', TEAMS_TENANT, connector.url],
      ]),
    );
    expect(rows).toHaveLength(2);

    await postTeams(app.url, meetingActivity('meeting-start', { serviceUrl: connector.url, meetingId, at: start }));
    const alert = await waitFor(async () => (await app.database.prisma.alert.findFirst({ where: { sessionId: session.body.id, kind: 'not_joined', deliveryState: 'delivered' } })) ?? undefined, 8000, 'the delivered alert');
    expect(connector.messages(STAFF_CHANNEL_ID).some((m) => m.id === alert.externalMessageId)).toBe(true);
    expect(intruder.calls).toHaveLength(0);
  });

  it('stores a meeting member\'s name without NUL or control characters, capped at 256 characters', async () => {
    const meetingId = 'MCMxOTptZWV0aW5nX051bA==';
    const join = meetingActivity('meeting-participant-join', { serviceUrl: connector.url, meetingId, at: new Date(), people: [{ name: 'Eve\u0000 Guest\u0007' }, { name: `${'N'.repeat(300)}\u0000` }] });
    const answer = await postTeams(app.url, join);
    expect(answer.status).toBe(200);
    const events = await app.database.prisma.presenceEvent.findMany({ where: { meetingId }, orderBy: { personKey: 'asc' } });
    const names = events.map((e) => (e.person as { displayName?: string }).displayName);
    expect(names).toHaveLength(2);
    expect(names).toContain('Eve Guest');
    expect(names).toContain('N'.repeat(256));
  });
});

describe('authenticated (MICROSOFT_APP_ID): Bot Connector JWTs checked against the published keys', () => {
  let app: TestApp;
  beforeAll(async () => {
    seedOutboundToken();
    app = await startTestApp({ env: issuer.env });
  });
  afterAll(async () => app?.stop());

  /** The bot added to the staff team; `null`: an activity naming no serviceUrl at all. */
  const added = (serviceUrl: string | null = connector.url) => {
    const activity = teamsActivity('bot-added-to-team', { serviceUrl: serviceUrl ?? '' });
    if (serviceUrl === null) delete activity.serviceUrl;
    return activity;
  };

  it('answers 401, storing and sending nothing, without a valid token or when the token names another serviceUrl', async () => {
    const callsBefore = connector.calls.length;
    const refused: [unknown, string | undefined][] = [
      [added(), undefined],
      [added(), 'Bearer not.a.token'],
      [added(), issuer.forgedBearer({ serviceUrl: connector.url })],
      [added(), issuer.bearer({ serviceUrl: connector.url, audience: '11111111-0000-4000-8000-000000000000' })],
      [added(), issuer.bearer({ serviceUrl: connector.url, expiresIn: -3600 })],
      // The token vouches for one connector; the activity asks for replies elsewhere.
      [added(outside.url), issuer.bearer({ serviceUrl: connector.url })],
      [added(), issuer.bearer({ serviceUrl: outside.url })],
      // botbuilder skips the serviceUrl check for an activity without one; Rollcall does not.
      [added(null), issuer.bearer({ serviceUrl: connector.url })],
      [added(), issuer.bearer({})],
    ];
    for (const [activity, authorization] of refused) {
      const answer = await postTeams(app.url, activity, { authorization });
      expect(answer.status, JSON.stringify(answer.body)).toBe(401);
      expect(Object.keys(answer.body.error).sort()).toEqual(['code', 'message']);
    }
    expect(await storedCounts(app)).toEqual(NOTHING);
    expect(connector.calls).toHaveLength(callsBefore);
    expect(outside.calls).toHaveLength(0);
  });

  it('handles an activity with a good token; the reply goes to the connector the token names, with the app\'s own token', async () => {
    const answer = await postTeams(app.url, added(), { authorization: issuer.bearer({ serviceUrl: connector.url }) });
    expect(answer.status).toBe(200);
    const row = await app.database.prisma.chatConversation.findFirst({ where: { platform: 'teams', conversationId: STAFF_CHANNEL_ID } });
    expect(row).toMatchObject({ tenantId: TEAMS_TENANT });
    expect((row!.reference as { serviceUrl: string }).serviceUrl).toBe(connector.url);
    const welcome = await waitFor(() => connector.calls.find((c) => c.op === 'reply' && c.conversationId === STAFF_CHANNEL_ID && c.authorization), 5000, 'the welcome');
    expect(welcome.authorization).toBe(`Bearer ${TEST_OUTBOUND_TOKEN}`);
    expect(String(welcome.body.text)).toContain('link <program name>');
    expect(app.config.teams.appId).toBe(TEST_TEAMS_APP_ID);
  });
});
