/**
 * `npm run bench`: signed Zoom participant webhooks over keep-alive HTTP to Rollcall running as its
 * own process (`src/main.ts`, as `npm start` runs it) on real PostgreSQL, then the same deliveries to
 * a floor (scripts/bench-floor.ts: express + one INSERT). Prints events/s, acknowledgement latency,
 * server CPU and memory (from /proc), how long evaluation lags behind the last acknowledgement, and
 * the delay from a no-show deadline to its alert, read from the console notifier's lines on the
 * child's stdout. No DATABASE_URL: an embedded PostgreSQL in a temporary directory. See docs/performance.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase } from '../src/db/database.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createLogger } from '../src/logger.js';
import { load, memoryMb, person, postSigned, sleep, startInstance, stopInstance, watch, zoomBody, type Instance, type LoadStats, type Person } from './bench-load.js';

const setting = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback) || fallback);
const EVENTS = setting('BENCH_EVENTS', 2000);
const CONCURRENCY = setting('BENCH_CONCURRENCY', 20);
const SESSIONS = setting('BENCH_SESSIONS', 8);
const PEOPLE = setting('BENCH_PEOPLE', 50);
const DEADLINES = 5;
/**
 * `--split` or BENCH_SPLIT=1: the load goes to an instance with ROLLCALL_ROLE=web (it acknowledges and
 * hands evaluations to the queue), and a second instance of the default role works the jobs; CPU and
 * memory columns add both processes up.
 */
const SPLIT = process.argv.includes('--split') || process.env.BENCH_SPLIT === '1';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const SECRET = 'bench-zoom-webhook-secret-token';
const MINUTE = 60_000;
const wholeSecond = (ms: number) => new Date(Math.ceil(ms / 1000) * 1000);
const send = (url: string, bodies: string[]) => load(url, bodies, { secret: SECRET, concurrency: CONCURRENCY });
const began = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - began) / 1000).toFixed(0).padStart(3)} s] ${line}`);

async function api(base: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${base}${route}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as { id: string };
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** One program (its own policy and people: every enrolled participant is expected) with one session, through the admin API. */
async function createGroup(base: string, name: string, policy: object, people: Person[], startsAt: Date) {
  const program = await api(base, 'POST', '/api/v1/programs', { name, timezone: 'America/New_York', policy, alertChannel: { platform: 'slack', channelId: 'C-BENCH' } });
  for (const p of people) await api(base, 'POST', `/api/v1/programs/${program.id}/participants`, { name: p.name, email: p.email });
  const endsAt = new Date(startsAt.getTime() + 60 * MINUTE).toISOString();
  const session = await api(base, 'POST', `/api/v1/programs/${program.id}/sessions`, { startsAt: startsAt.toISOString(), endsAt, meeting: { platform: 'zoom', meetingId: people[0]!.meetingId } });
  return session.id;
}

/**
 * SESSIONS sessions that started 20 minutes ago with PEOPLE people each, who join and leave in
 * rounds (EVENTS rounded down to whole rounds). The last leave is one instant for everyone, so "caught
 * up" is one query. The policy keeps the load free of alerts (no-show at 60 min; a rejoin window
 * past the bench's end, so nobody has left early yet).
 */
function planLoad() {
  const startsAt = wholeSecond(Date.now() - 20 * MINUTE);
  const groups = Array.from({ length: SESSIONS }, (_, s) => Array.from({ length: PEOPLE }, (_, p) => person(`Load${s} Person${p}`, `8${String(s).padStart(10, '0')}`)));
  const everyone = groups[0]!.flatMap((_, p) => groups.map((people) => people[p]!)); // interleaved across sessions
  const rounds = Math.max(1, Math.floor(EVENTS / (2 * everyone.length)));
  const step = Math.max(2, 2 * Math.floor((18 * 60) / rounds / 2)) * 1000;
  const at = (k: number, half: number) => new Date(startsAt.getTime() + k * step + half * (step / 2));
  const build = (who: Person[]) =>
    Array.from({ length: rounds }, (_, k) => [...who.map((p) => zoomBody('joined', p, at(k, 0))), ...who.map((p) => zoomBody('left', p, at(k, 1)))]).flat();
  // The same people and times on meetings Rollcall has no session for: ingest without evaluation.
  const strangers = everyone.map((p) => ({ ...p, meetingId: `7${p.meetingId.slice(1)}` }));
  const bodies = build(everyone);
  return { startsAt, groups, rounds, bodies, unmatchedBodies: build(strangers), warmup: Math.min(200, Math.floor(bodies.length / 10)), lastLeave: at(rounds - 1, 1), people: everyone.length };
}
type Plan = ReturnType<typeof planLoad>;

/** Seconds from now until every load participant's stored attendance shows the last leave. */
async function waitCaughtUp(db: pg.Client, prepared: { sessionIds: string[]; lastLeave: Date; people: number }) {
  const started = performance.now();
  for (const until = Date.now() + 120_000; Date.now() < until; await sleep(50)) {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "Attendance" WHERE "sessionId" = ANY($1::uuid[]) AND "lastLeaveAt" = $2', [prepared.sessionIds, prepared.lastLeave]);
    if (rows[0]!.n === prepared.people) return (performance.now() - started) / 1000;
  }
  return Number.NaN;
}

/** Evaluations committed so far: each one updates its Session row (PostgreSQL's statistics lag by up to a second). */
const sessionUpdates = async (db: pg.Client) =>
  Number((await db.query<{ n: string }>(`SELECT n_tup_upd AS n FROM pg_stat_user_tables WHERE relname = 'Session'`)).rows[0]?.n ?? 0);

/**
 * DEADLINES sessions whose no-show deadline (start + 1 min) falls `firstInMs` from now and then
 * every 1.3 s; in each, one person joins at once (on time, delivered live) and one never does. `delays()` waits for each
 * `Not joined` line on the console of the instance that works the jobs: its delay after the deadline (NaN: none came).
 */
async function armDeadlines(instance: Instance, tag: string, firstInMs: number, alerting: Instance = instance) {
  const first = Date.now() + firstInMs;
  const armed = await Promise.all(Array.from({ length: DEADLINES }, async (_, i) => {
    const deadline = new Date(first + i * 1300); // not a multiple of pg-boss's 0.5 s polling: each lands at another phase of it
    const startsAt = new Date(deadline.getTime() - MINUTE);
    const meetingId = `9${tag}${String(i).padStart(9, '0')}`;
    const [present, absent] = [person(`Present ${tag}${i}`, meetingId), person(`Absent ${tag}${i}`, meetingId)];
    await createGroup(instance.url, `Deadline ${tag}${i}`, { lateAfterMinutes: 1, noShowAfterMinutes: 1, nameDisplay: 'full' }, [present, absent], startsAt);
    // Delivered at its own time, as a live stream does: a join a minute old would read as a backlog
    // and hold the session's Not joined for a few seconds (core/backlog-hold.ts).
    const status = await postSigned(instance.url, zoomBody('joined', present, new Date()), SECRET);
    if (status !== 200) throw new Error(`deadline join: ${status}`);
    return { deadline: deadline.getTime(), line: `Not joined: ${absent.name} ·` };
  }));
  if (armed.some((a) => a.deadline < Date.now())) throw new Error('deadline setup took longer than the first deadline');
  const measured = () => armed.map((a) => (alerting.lines.find((l) => l.text.includes(a.line))?.at ?? Number.NaN) - a.deadline);
  return {
    deadlines: armed.map((a) => a.deadline),
    async delays() {
      for (const until = armed.at(-1)!.deadline + 15_000; measured().some(Number.isNaN) && Date.now() < until; ) await sleep(50);
      const sorted = measured().sort((a, b) => a - b);
      return { delaysMs: sorted, medianMs: sorted[Math.floor(sorted.length / 2)]!, maxMs: sorted.at(-1)! };
    },
  };
}

async function benchRollcall(databaseUrl: string, dataDir: string, plan: Plan, started: (instance: Instance) => void) {
  const env = { DATABASE_URL: databaseUrl, ADMIN_TOKEN, ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, DATA_DIR: dataDir };
  const rollcall = await startInstance('src/main.ts', SPLIT ? { ...env, ROLLCALL_ROLE: 'web' } : env);
  started(rollcall);
  // The second instance shares the first one's DATA_DIR: its development ENCRYPTION_KEY, so both read the same tokens.
  const worker = SPLIT ? await startInstance('src/main.ts', env) : undefined;
  if (worker) started(worker);
  const processes = worker ? [rollcall, worker] : [rollcall];
  const alerting = worker ?? rollcall;
  const readyRssMb = totalMb(processes, 'VmRSS');
  if (worker) say(`split: the load goes to a web instance (pid ${rollcall.pid}); another (pid ${worker.pid}) works the jobs`);
  say(`Rollcall ready (${readyRssMb.toFixed(0)} MB RSS); creating ${SESSIONS} programs x ${PEOPLE} participants and their sessions...`);
  const policy = { noShowAfterMinutes: 60, rejoinWindowMinutes: 120 };
  const sessionIds = await Promise.all(plan.groups.map((people, s) => createGroup(rollcall.url, `Load ${s}`, policy, people, plan.startsAt)));
  const { bodies, unmatchedBodies, warmup } = plan;
  const db = new pg.Client({ connectionString: databaseUrl });
  db.on('error', () => {}); // PostgreSQL going away (Ctrl-C) fails the next query; not an uncaught error as well
  await db.connect();
  try {
    say(`sending ${warmup} warm-up + ${bodies.length - warmup} measured deliveries (${plan.people} people x ${plan.rounds} join/leave rounds: BENCH_EVENTS=${EVENTS} rounded down)...`);
    await send(rollcall.url, bodies.slice(0, warmup));
    const underLoad = await armDeadlines(rollcall, '1', 4000, alerting);
    const evaluationsBefore = await sessionUpdates(db);
    const stop = watchAll(processes);
    const window = [Date.now(), 0] as [number, number];
    const stats = await send(rollcall.url, bodies.slice(warmup));
    window[1] = Date.now();
    const caughtUpSeconds = await waitCaughtUp(db, { ...plan, sessionIds });
    const usage = stop();
    const deadlinesUnderLoad = { ...(await underLoad.delays()), insideLoad: underLoad.deadlines.filter((d) => d >= window[0] && d <= window[1]).length };
    const evaluations = (await sessionUpdates(db)) - evaluationsBefore;
    say('measuring deadline -> alert with the instance idle...');
    const deadlinesIdle = await (await armDeadlines(rollcall, '2', 3000, alerting)).delays();
    say('sending the same deliveries for meetings with no session (ingest only, no evaluation)...');
    await send(rollcall.url, unmatchedBodies.slice(0, warmup));
    const stopIngest = watchAll(processes);
    const ingestOnly = { ...(await send(rollcall.url, unmatchedBodies.slice(warmup))), ...stopIngest() };
    const full = { ...stats, ...usage, readyRssMb, hwmMb: totalMb(processes, 'VmHWM'), caughtUpSeconds, evaluations, deadlinesUnderLoad, deadlinesIdle, split: SPLIT };
    return { full, ingestOnly };
  } finally {
    await db.end();
    await stopInstance(rollcall);
    await stopInstance(worker);
  }
}

/** A memory reading of /proc, added up over the processes. */
const totalMb = (processes: Instance[], key: Parameters<typeof memoryMb>[1]) => processes.reduce((sum, p) => sum + memoryMb(p.pid, key), 0);

/** CPU and peak RSS of several processes, added up (each peak is its own: an upper bound of the sum's peak). */
function watchAll(processes: Instance[]) {
  const stops = processes.map((p) => watch(p.pid));
  return () => stops.map((stop) => stop()).reduce((sum, u) => ({ peakRssMb: sum.peakRssMb + u.peakRssMb, cpuSeconds: sum.cpuSeconds + u.cpuSeconds }));
}

async function benchFloor(databaseUrl: string, bodies: string[], warmup: number, started: (instance: Instance) => void) {
  const floor = await startInstance('scripts/bench-floor.ts', { FLOOR_DATABASE_URL: databaseUrl });
  started(floor);
  try {
    const readyRssMb = memoryMb(floor.pid, 'VmRSS');
    say('sending the same deliveries to the floor (express + one INSERT)...');
    await send(floor.url, bodies.slice(0, warmup));
    const stop = watch(floor.pid);
    const stats = await send(floor.url, bodies.slice(warmup));
    return { ...stats, ...stop(), readyRssMb, hwmMb: memoryMb(floor.pid, 'VmHWM') };
  } finally {
    await stopInstance(floor);
  }
}

async function main() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rollcall-bench-'));
  const given = process.env.DATABASE_URL;
  const embedded = given ? undefined : await startEmbeddedPostgres({ dataDir: tmp, password: 'bench-postgres', log: createLogger('warn') });
  const serverUrl = given ?? embedded!.url;
  const names = [`rollcall_bench_${began}`, `rollcall_floor_${began}`] as const;
  const running: Instance[] = [];
  // Once, whether the run ends or Ctrl-C stops it (then PostgreSQL and the children got the SIGINT too).
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const instance of running) await stopInstance(instance);
      if (given) {
        const admin = new pg.Client({ connectionString: given });
        await admin.connect();
        for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
        await admin.end();
      }
      // After a Ctrl-C PostgreSQL has stopped already and stop() would wait for an exit that has happened.
      if (embedded) await Promise.race([embedded.stop(), sleep(5_000)]).catch(() => {});
      await rm(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); // PostgreSQL may still be writing its shutdown checkpoint
    })());
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    const [rollcallDb, floorDb] = [await ensureDatabase(serverUrl, names[0]), await ensureDatabase(serverUrl, names[1])];
    const probe = new pg.Client({ connectionString: floorDb });
    await probe.connect();
    const postgres = (await probe.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    await probe.end();
    say(`PostgreSQL ${postgres} (${given ? 'DATABASE_URL' : 'embedded'}); concurrency ${CONCURRENCY}`);
    // The floor first, on a quiet server: Rollcall's run leaves PostgreSQL with dead rows and a checkpoint to do.
    const plan = planLoad();
    const floor = await benchFloor(floorDb, plan.bodies, plan.warmup, (i) => running.push(i));
    const rollcall = await benchRollcall(rollcallDb, path.join(tmp, 'rollcall-data'), plan, (i) => running.push(i));
    const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres };
    const settings = { events: rollcall.full.events, warmup: plan.warmup, concurrency: CONCURRENCY, sessions: SESSIONS, peoplePerSession: PEOPLE };
    printTable(rollcall.full, rollcall.ingestOnly, floor);
    console.log(JSON.stringify({ machine, settings, rollcall: rollcall.full, rollcallIngestOnly: rollcall.ingestOnly, floor }));
    const summary = floorRatios(rollcall.full, floor);
    console.log(
      `floor ratio: events/s ${pct(summary.eventsPerSecondRatio)} of the floor's · CPU per event ${summary.cpuPerEventRatio.toFixed(1)}x the floor's (${summary.cpuPerEventMs.toFixed(2)} ms) · ack p99 ${summary.ackP99Ms.toFixed(0)} ms (floor ${summary.floorAckP99Ms.toFixed(0)} ms) · RSS ready ${summary.readyRssMb.toFixed(0)} MB`,
    );
    console.log(JSON.stringify({ summary }));
  } finally {
    await cleanUp();
  }
}

type Usage = LoadStats & ReturnType<ReturnType<typeof watch>>;

const pct = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;

/**
 * What the goals are stated in (issue 16): ratios to the floor measured in the same run, since
 * the machine is shared and absolute numbers move with its load; CPU per event includes the evaluation it causes.
 */
function floorRatios(r: Full, f: Usage & { readyRssMb: number }) {
  const cpuPerEvent = (u: Usage) => (u.cpuSeconds * 1000) / u.events;
  return {
    eventsPerSecondRatio: r.perSecond / f.perSecond,
    cpuPerEventRatio: cpuPerEvent(r) / cpuPerEvent(f),
    cpuPerEventMs: cpuPerEvent(r),
    ackP99Ms: r.p99,
    floorAckP99Ms: f.p99,
    ackP99Ratio: r.p99 / f.p99,
    deadlineToAlertMaxMs: Math.max(r.deadlinesUnderLoad.maxMs, r.deadlinesIdle.maxMs),
    readyRssMb: r.readyRssMb,
    floorReadyRssMb: f.readyRssMb,
  };
}
type Full = Awaited<ReturnType<typeof benchRollcall>>['full'];

function printTable(r: Full, i: Usage, f: Usage & { readyRssMb: number; hwmMb: number }) {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const mb = (n: number) => `${n.toFixed(0)} MB`;
  const each = (pick: (u: Usage) => string): [string, string, string] => [pick(r), pick(i), pick(f)];
  const rows: string[][] = [
    ['metric', 'rollcall', 'rollcall, ingest only', 'floor'],
    ['events measured (after warm-up)', ...each((u) => String(u.events))],
    ['events per second', ...each((u) => u.perSecond.toFixed(0))],
    ...(['p50', 'p95', 'p99', 'max'] as const).map((p) => [`ack latency ${p}`, ...each((u) => ms(u[p]))]),
    ['non-200 answers', ...each((u) => String(u.failed))],
    ['server CPU per event', ...each((u) => ms((u.cpuSeconds * 1000) / u.events))],
    ['peak RSS during the load', ...each((u) => mb(u.peakRssMb))],
    ['RSS when ready', mb(r.readyRssMb), '', mb(f.readyRssMb)],
    ['peak RSS of the process (VmHWM)', mb(r.hwmMb), '', mb(f.hwmMb)],
    ['evaluations during the load (approx.)', String(r.evaluations), '-', '-'],
    ['evaluation caught up after the last ack', `${r.caughtUpSeconds.toFixed(1)} s`, '-', '-'],
    [`deadline -> alert, under load (${r.deadlinesUnderLoad.insideLoad}/${DEADLINES} in it): median / max`, `${ms(r.deadlinesUnderLoad.medianMs)} / ${ms(r.deadlinesUnderLoad.maxMs)}`, '-', '-'],
    ['deadline -> alert, idle: median / max', `${ms(r.deadlinesIdle.medianMs)} / ${ms(r.deadlinesIdle.maxMs)}`, '-', '-'],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  console.log('');
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ').trimEnd());
  console.log('');
}

/** `--scale N` or BENCH_SCALE=N: N live sessions at rest and their top of the hour instead (scripts/bench-scale.ts). */
const flag = (name: string, variable: string) => {
  const at = process.argv.indexOf(name);
  return Number(at >= 0 ? process.argv[at + 1] : process.env[variable] ?? 0) || 0;
};
/** `--instances K` or BENCH_INSTANCES=K: that many processes on one database (1,000 live sessions unless --scale says). */
const INSTANCES = flag('--instances', 'BENCH_INSTANCES');
const SCALE = flag('--scale', 'BENCH_SCALE') || (INSTANCES > 1 ? 1000 : 0);

(SCALE > 0 ? import('./bench-scale.js').then((m) => m.benchScale(SCALE, Math.max(1, INSTANCES))) : main()).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
