/**
 * `npm run demo`: a scripted group session played through the real pipeline, sped up. Zoom
 * deliveries built from the saved fixtures are signed and POSTed to /zoom/webhook as Zoom would;
 * the engine's deadlines run on a scaled clock (one virtual minute per real second), and every
 * alert the staff channel would get is printed as it fires. With no DATABASE_URL it runs its own
 * PostgreSQL in a temporary directory; with one, it uses a fresh database on that server.
 *
 * The delivery builder and signed POST are the test helpers' (test/support/zoom-events.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import pg from 'pg';
import { createScaledClock, type Clock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { ensureDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { startRollcall, type Rollcall } from '../src/rollcall.js';
import type { Notifier } from '../src/services/notifier.js';
import type { AlertMessage } from '../src/core/alert-message.js';
import { postZoom, zoomDelivery } from '../test/support/zoom-events.js';
import { DEVICES, EVENTS, PEOPLE, PROGRAM, SESSION_MINUTES } from './demo-script.js';

const SPEED = 60; // virtual minutes per real minute
const ADMIN_TOKEN = 'demo-admin-token-0123456789';
const ZOOM_SECRET = 'demo-zoom-webhook-secret-token';
const MEETING_ID = '86012345678';
const MINUTE = 60_000;

const realStart = Date.now();
// Today's 18:00 in the program's zone; the clock reads two virtual minutes before it once the app is up.
const startsAt = DateTime.now().setZone(PROGRAM.timezone).set({ hour: 18, minute: 0, second: 0, millisecond: 0 }).toJSDate();
const endsAt = new Date(startsAt.getTime() + SESSION_MINUTES * MINUTE);
const startClock = () => createScaledClock({ origin: new Date(startsAt.getTime() - 2 * MINUTE), speed: SPEED });
// Restarted when the app is ready, so the database's start-up does not eat the first virtual minutes
// (nothing is scheduled on it before then: the session does not exist yet).
let scaled = startClock();
const clock: Clock = { now: () => scaled.now(), toRealTime: (at) => scaled.toRealTime(at) };
const virtual = (minutes: number) => new Date(startsAt.getTime() + minutes * MINUTE);
const hhmm = (at: Date | string | null) => (at ? DateTime.fromJSDate(new Date(at), { zone: PROGRAM.timezone }).toFormat('HH:mm') : '-');
const say = (line: string) => process.stdout.write(`[${hhmm(clock.now())}] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The staff channel, printed: each alert as posted, and again when it is edited in place. */
const printAlert = (verb: string, message: AlertMessage) =>
  say(`${verb} ${message.title}${message.lines.length ? ` — ${message.lines.join(' ')}` : ''}`);
const channel: Notifier = {
  async post(_channel, message) {
    printAlert('ALERT ', message);
    return { messageId: randomUUID() };
  },
  async update(_channel, _messageId, message) {
    printAlert('UPDATE', message);
  },
};

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-demo-'));
  const serverUrl = process.env.DATABASE_URL;
  const demoDatabase = `rollcall_demo_${realStart}`;
  const config = loadConfig({
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    ...(serverUrl ? { DATABASE_URL: await ensureDatabase(serverUrl, demoDatabase) } : {}),
    ADMIN_TOKEN,
    ZOOM_WEBHOOK_SECRET_TOKEN: ZOOM_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  let app: Rollcall | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await app?.stop();
      await rm(dataDir, { recursive: true, force: true });
      if (serverUrl) {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${demoDatabase}"`).finally(() => client.end());
      }
    })());
  // Ctrl-C must not leave an embedded PostgreSQL running in the temporary directory.
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    app = await startRollcall({ config, log: createLogger(config.logLevel), port: 0, clock, notifiers: { slack: channel, teams: channel, zoom: channel } });
    scaled = startClock();
    await play(app);
  } finally {
    await cleanUp();
  }
  console.log(`\nDone in ${((Date.now() - realStart) / 1000).toFixed(1)} s real time.`);
}

async function play(app: Rollcall) {
  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${app.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as any;
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };

  const program = await api('POST', '/api/v1/programs', PROGRAM);
  for (const person of PEOPLE) {
    await api('POST', `/api/v1/programs/${program.id}/participants`, {
      name: person.name,
      ...(person.email ? { email: person.email } : {}),
      ...(person.registrantId ? { identities: [{ platform: 'zoom', kind: 'registrant_id', externalId: person.registrantId }] } : {}),
      enrolledAt: new Date(startsAt.getTime() - 7 * 24 * 60 * MINUTE).toISOString(),
    });
  }
  const session = await api('POST', `/api/v1/programs/${program.id}/sessions`, {
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    meeting: { platform: 'zoom', meetingId: MEETING_ID },
  });

  const p = PROGRAM.policy;
  console.log(`
Rollcall demo: "${PROGRAM.name}", ${hhmm(startsAt)}–${hhmm(endsAt)} (${PROGRAM.timezone}), Zoom meeting ${MEETING_ID}
${PEOPLE.length} people expected: ${PEOPLE.map((person) => person.name).join(', ')}
Policy: late after ${p.lateAfterMinutes} min, not joined after ${p.noShowAfterMinutes}, left early = gone before the last ${p.leftEarlyMinutes},
        waiting room alert after ${p.waitingRoomAlertMinutes}, rejoin window ${p.rejoinWindowMinutes}, at least ${p.minAttendancePercent}% present
Signed Zoom webhooks go to ${app.url}/zoom/webhook; the clock runs ${SPEED}x (a virtual minute per real second).
Watch it live on the dashboard: ${app.url}/ (sign in with the demo admin token ${ADMIN_TOKEN}).
Staff channel (${PROGRAM.alertChannel.platform} ${PROGRAM.alertChannel.channelId}) as it fills up:
`);

  const uuids = new Map<string, string>();
  for (const event of EVENTS) {
    const at = virtual(event.at);
    await sleep(clock.toRealTime(at).getTime() - Date.now());
    const device = event.device ? DEVICES[event.device]! : undefined;
    if (event.device && !uuids.has(event.device)) uuids.set(event.device, randomUUID().toUpperCase());
    const person = device && { ...device, participant_uuid: uuids.get(event.device!)! };
    const body = zoomDelivery(event.fixture, { meetingId: MEETING_ID, at, person });
    const response = await postZoom(app.url, body, { secret: ZOOM_SECRET });
    if (response.status !== 200 && response.status !== 204) throw new Error(`webhook ${event.fixture}: ${response.status} ${JSON.stringify(response.body)}`);
    say(`  zoom   ${event.says}`);
  }

  // The session is finalized at its end; then wait for the last alerts to reach the channel.
  const deadline = Date.now() + 20_000;
  const settled = async () => {
    const current = await api('GET', `/api/v1/sessions/${session.id}`);
    if (!current.finalizedAt) return false;
    const pending = await app.database.prisma.alert.count({ where: { sessionId: session.id, deliveryState: 'pending' } });
    return pending === 0;
  };
  while (!(await settled())) {
    if (Date.now() > deadline) throw new Error('the session was not finalized within 20 s of its end');
    await sleep(200);
  }
  await sleep(1000); // an in-place edit right after finalization still gets printed

  const { attendance } = await api('GET', `/api/v1/sessions/${session.id}/attendance`);
  console.log('\nFinal attendance (GET /api/v1/sessions/:id/attendance):\n');
  const rows = [['participant', 'status', 'minutes', 'first join', 'last leave', 'flags']];
  for (const row of attendance as any[]) {
    rows.push([row.name, row.status, String(row.minutesPresent), hhmm(row.firstJoinAt), hhmm(row.lastLeaveAt), row.flags.join(', ')]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(`  ${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
