import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createLogger } from '../../src/logger.js';
import { createZoomAccountKey } from '../../src/platforms/zoom/account-key.js';
import { hashStoredZoomAccountIds } from '../../src/platforms/zoom/account-key-migration.js';
import { createZoomInstallations } from '../../src/platforms/zoom/installations.js';
import { fakeZoomEnv, FAKE_ZOOM_CLIENT_ID, FAKE_ZOOM_CLIENT_SECRET, installZoom, startFakeZoom, type FakeZoom } from '../support/fake-zoom.js';
import { createScenario, minutesAgo, zoomClinicOf } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery } from '../support/zoom-events.js';
import { waitFor } from '../support/wait-for.js';
import { readZoomFixture } from '../support/zoom-signing.js';

const ACCOUNT = 'zAcctPIIxQ7rT2vW9yB4nM';
/** The clinic the account founded when it installed. */
let clinic: { token: string; organizationId: string };
const CHANNEL_JID = 'c0ffee00aa11bb22cc33dd44ee55ff66@conference.xmpp.zoom.us';
const logLines: string[] = [];
let zoom: FakeZoom;
let app: TestApp;

beforeAll(async () => {
  zoom = await startFakeZoom();
  zoom.account.id = ACCOUNT;
  // Everything the app logs, down to debug, to look for the account id in.
  app = await startTestApp({ env: fakeZoomEnv(zoom), log: createLogger('debug', { write: (line: string) => void logLines.push(line) }) });
  const installed = await installZoom(app.url, zoom);
  if (installed.status !== 200) throw new Error(`install failed: ${installed.text}`);
  clinic = await zoomClinicOf(app, ACCOUNT);
});
afterAll(async () => {
  await app?.stop();
  await zoom?.close();
});

const keyOf = (id: string) => createZoomAccountKey(app.config.encryptionKey)(id);
const fromAccount = (raw: string, accountId = ACCOUNT) => {
  const body = JSON.parse(raw);
  body.payload.account_id = accountId;
  return JSON.stringify(body);
};

/** Every row of every table (Rollcall's and pg-boss's) whose text holds `value`, as `table: count`. */
async function rowsHolding(value: string): Promise<Record<string, number>> {
  const prisma = app.database.prisma;
  const tables = await prisma.$queryRaw<{ schema: string; name: string }[]>`
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
    WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`;
  const found: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table.schema}"."${table.name}" t WHERE t::text LIKE $1`, `%${value}%`);
    if (row && row.n > 0n) found[`${table.schema}.${table.name}`] = Number(row.n);
  }
  return found;
}

describe('Zoom account ids are stored and logged only as keyed hashes', () => {
  it('after an install, presence, chat and a dead letter, no column holds the clear id; lookups, routing and Team Chat still work', async () => {
    const prisma = app.database.prisma;
    const installation = await prisma.installation.findFirstOrThrow({ where: { platform: 'zoom', externalId: keyOf(ACCOUNT) } });
    expect(installation.externalId).toBe(keyOf(ACCOUNT));
    expect(installation.externalId.startsWith('hmac1:')).toBe(true);
    expect(installation.encryptedExternalId).not.toBeNull();

    // A session of the installing clinic, and one of another clinic on the same meeting id at the same time.
    const meetingId = '88000000001';
    const start = minutesAgo(20);
    const mine = await createScenario(app, {
      meetingId,
      startsAt: start,
      minutes: 60,
      people: [{ name: 'Alex Kim', identities: [{ platform: 'zoom', externalId: 'zoom-alex-pii' }] }],
      inOrganizationOf: clinic,
    });
    const theirs = await createScenario(app, { meetingId, startsAt: start, minutes: 60, people: [] });
    expect((await mine.api('PATCH', `/api/v1/programs/${mine.programId}`, { alertChannel: { platform: 'zoom', channelId: CHANNEL_JID } })).status).toBe(200);
    const joined = await postZoom(app.url, fromAccount(zoomDelivery('participant-joined', { meetingId, at: new Date(start.getTime() + 60_000), person: { user_name: 'Sam Lee', participant_uuid: 'UUID-PII-SAM' } })));
    expect(joined).toMatchObject({ status: 200, body: { status: 'stored' } });
    const fact = await prisma.presenceEvent.findFirstOrThrow({ where: { meetingId, personKey: 'UUID-PII-SAM' } });
    expect(fact).toMatchObject({ accountId: keyOf(ACCOUNT), sessionId: mine.sessionId, organizationId: clinic.organizationId });

    // Alex has not joined: the alert goes to the Zoom channel with the account id Team Chat needs (opened from its seal).
    await postZoom(app.url, fromAccount(zoomDelivery('meeting-started', { meetingId, at: start })));
    const alert = await waitFor(() => zoom.messages.find((m) => m.to_jid === CHANNEL_JID), 10_000, 'the alert in the Zoom channel');
    expect(alert.account_id).toBe(ACCOUNT);

    // A participant writes to the chatbot from the account: answered in their chat, with the account id.
    const dm = structuredClone(readZoomFixture('bot-notification').json) as Record<string, any>;
    Object.assign(dm.payload, { accountId: ACCOUNT, userId: 'zPiiUser01', userJid: 'zpiiuser01@xmpp.zoom.us', toJid: 'zpiiuser01@xmpp.zoom.us', cmd: 'hello', timestamp: Date.now() });
    expect((await postZoom(app.url, JSON.stringify(dm))).status).toBe(200);
    const reply = await waitFor(() => zoom.messages.find((m) => m.to_jid === 'zpiiuser01@xmpp.zoom.us'), 5000, 'the chatbot reply');
    expect(reply.account_id).toBe(ACCOUNT);

    // The account moves to another clinic: its events and its unusable deliveries follow the keyed lookup there.
    await prisma.installation.update({ where: { id: installation.id }, data: { organizationId: theirs.organizationId } });
    await postZoom(app.url, fromAccount(zoomDelivery('participant-joined', { meetingId, at: new Date(start.getTime() + 120_000), person: { user_name: 'Robin Diaz', participant_uuid: 'UUID-PII-ROBIN' } })));
    expect(await prisma.presenceEvent.findFirstOrThrow({ where: { personKey: 'UUID-PII-ROBIN' } })).toMatchObject({ sessionId: theirs.sessionId, organizationId: theirs.organizationId });
    const broken = JSON.parse(fromAccount(zoomDelivery('participant-left', { meetingId, at: new Date(), person: { user_name: 'Robin Diaz', participant_uuid: 'UUID-PII-ROBIN' } })));
    broken.payload.object.participant.leave_time = 'soon';
    expect(await postZoom(app.url, JSON.stringify(broken))).toMatchObject({ status: 200, body: { status: 'dead_letter' } });
    expect(await prisma.deadLetter.findFirstOrThrow({ where: { accountKey: keyOf(ACCOUNT) } })).toMatchObject({ organizationId: theirs.organizationId });
    await prisma.installation.update({ where: { id: installation.id }, data: { organizationId: clinic.organizationId } });

    await app.evaluator.idle();
    expect(await rowsHolding(ACCOUNT)).toEqual({});
    const logged = logLines.join('');
    expect(logged).toContain(keyOf(ACCOUNT));
    expect(logged).not.toContain(ACCOUNT);
  });

  it('hashes account ids stored in clear by an earlier version, once, and the installation keeps working', async () => {
    const prisma = app.database.prisma;
    const box = createSecretBox(app.config.encryptionKey);
    const OLD = 'zOldClearAcct0123456789';
    // Rows as the previous version wrote them: the id in clear, tokens sealed to `zoom:<id>`.
    const tokens = { accessToken: 'zat-old', refreshToken: 'zrt-old', expiresAt: Date.now() + 3_600_000, scope: '' };
    await prisma.installation.create({ data: { organizationId: app.organizationId, platform: 'zoom', externalId: OLD, encryptedTokens: box.seal(JSON.stringify(tokens), `zoom:${OLD}`) } });
    const fact = JSON.parse(fromAccount(zoomDelivery('participant-joined', { meetingId: '88000000002', at: new Date(), person: { user_name: 'Kim', participant_uuid: 'UUID-OLD' } }), OLD));
    await prisma.presenceEvent.create({ data: { platform: 'zoom', dedupeKey: 'old-clear-fact', kind: 'joined', occurredAt: new Date(), meetingId: '88000000002', accountId: fact.payload.account_id } });
    await prisma.auditLog.create({ data: { organizationId: app.organizationId, actor: 'zoom:ZADMIN01', action: 'zoom.install', entityType: 'Installation', entityId: OLD } });
    expect(Object.keys(await rowsHolding(OLD)).sort()).toEqual(['public.AuditLog', 'public.Installation', 'public.PresenceEvent']);

    const deps = { prisma, box, accountKey: createZoomAccountKey(app.config.encryptionKey), log: createLogger('silent') };
    expect(await hashStoredZoomAccountIds(deps)).toEqual({ installations: 1, facts: 1, audits: 1 });
    expect(await hashStoredZoomAccountIds(deps)).toEqual({ installations: 0, facts: 0, audits: 0 });
    expect(await rowsHolding(OLD)).toEqual({});
    expect(await prisma.presenceEvent.findFirstOrThrow({ where: { dedupeKey: 'old-clear-fact' } })).toMatchObject({ accountId: keyOf(OLD) });

    const installations = createZoomInstallations({
      prisma,
      box,
      log: createLogger('silent'),
      accountKey: deps.accountKey,
      oauth: { oauthUrl: zoom.oauthUrl, apiUrl: zoom.apiUrl, clientId: FAKE_ZOOM_CLIENT_ID, clientSecret: FAKE_ZOOM_CLIENT_SECRET },
    });
    expect(await installations.organizationOf(OLD)).toBe(app.organizationId);
    expect(await installations.accessToken(OLD)).toBe('zat-old');
    await prisma.installation.deleteMany({ where: { externalId: keyOf(OLD) } });
  });
});
