/**
 * `npm run bench -- --scale 10000` (or BENCH_SCALE=10000): N live sessions at rest, then the top of
 * the hour. Seeds N programs with BENCH_SCALE_PEOPLE (10) enrolled participants and one running
 * session each directly in the database, as the evaluator leaves them (evaluated, next deadline at
 * the end), starts Rollcall as `npm start` does, and measures its idle CPU (share of one core) and
 * RSS over BENCH_SCALE_IDLE_S seconds (180) after a settling minute. Then N more groups start
 * within one minute (scripts/bench-burst.ts; BENCH_BURST=0 skips it). With `--instances K`
 * (BENCH_INSTANCES) K processes share the database: the idle figures are their sum, a throughput
 * comparison of one against K runs first (scripts/bench-instances.ts) and the burst's deliveries
 * are spread over them. Prints one JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase } from '../src/db/database.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { applyMigrations } from '../src/db/migrations.js';
import { createLogger } from '../src/logger.js';
import { BURST_LEAD_MS, runBurst, seedBurst } from './bench-burst.js';
import { compareInstances } from './bench-instances.js';
import { memoryMb, sleep, startInstance, stopInstance, watch, type Instance } from './bench-load.js';

const setting = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback) || fallback);
const PEOPLE = setting('BENCH_SCALE_PEOPLE', 10);
const IDLE_S = setting('BENCH_SCALE_IDLE_S', 180);
const SETTLE_S = setting('BENCH_SCALE_SETTLE_S', 60);
const BURST = process.env.BENCH_BURST !== '0';
const SECRET = 'bench-zoom-webhook-secret-token';
const began = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - began) / 1000).toFixed(0).padStart(3)} s] ${line}`);

/** N programs, N×PEOPLE participants and enrollments, N running sessions: set-based SQL, seconds for 10,000. */
async function seed(url: string, sessions: number, now: Date): Promise<string> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const org = (await db.query<{ id: string }>(`INSERT INTO "Organization"(id, name, "updatedAt") VALUES (gen_random_uuid(), 'Scale clinic', now()) RETURNING id`)).rows[0]!.id;
    await db.query(
      `INSERT INTO "Program"(id, "organizationId", name, timezone, policy, "alertPlatform", "alertChannelId", "updatedAt")
       SELECT gen_random_uuid(), $1, 'Group ' || g, 'America/New_York', '{"noShowAfterMinutes": 60, "rejoinWindowMinutes": 120}', 'slack', 'C-SCALE-' || g, now() FROM generate_series(1, $2) g`,
      [org, sessions],
    );
    // One statement: the CTE is materialized once, so each participant's id is the one enrolled.
    await db.query(
      `WITH people AS (SELECT p.id AS program_id, gen_random_uuid() AS id, g FROM "Program" p, generate_series(1, $2) g WHERE p."organizationId" = $1),
       added AS (INSERT INTO "Participant"(id, "organizationId", name, email, "updatedAt") SELECT id, $1, 'Person ' || g, id || '@bench.example', now() FROM people RETURNING id)
       INSERT INTO "Enrollment"(id, "organizationId", "programId", "participantId", "enrolledAt")
       SELECT gen_random_uuid(), $1, program_id, id, $3::timestamptz - interval '30 days' FROM people`,
      [org, PEOPLE, now],
    );
    await db.query(
      `INSERT INTO "Session"(id, "organizationId", "programId", "startsAt", "endsAt", "meetingPlatform", "meetingId", "startedAt", "evaluatedAt", "wakeAt")
       SELECT gen_random_uuid(), $1, p.id, $2::timestamptz - interval '20 minutes', $2::timestamptz + interval '160 minutes', 'zoom',
              (80000000000 + row_number() OVER ())::text, $2::timestamptz - interval '20 minutes', $2::timestamptz, $2::timestamptz + interval '160 minutes'
       FROM "Program" p WHERE p."organizationId" = $1`,
      [org, now],
    );
    await db.query('ANALYZE');
    return org;
  } finally {
    await db.end();
  }
}

export async function benchScale(sessions: number, instanceCount = 1): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rollcall-bench-scale-'));
  const given = process.env.DATABASE_URL;
  const embedded = given ? undefined : await startEmbeddedPostgres({ dataDir: tmp, password: 'bench-postgres', log: createLogger('warn') });
  const instances: Instance[] = [];
  try {
    const url = await ensureDatabase(given ?? embedded!.url, `rollcall_scale_${began}`);
    await applyMigrations(url, createLogger('warn'));
    say(`seeding ${sessions} live sessions of ${PEOPLE} people directly in the database...`);
    const org = await seed(url, sessions, new Date());
    for (let i = 0; i < instanceCount; i++) {
      const env = { DATABASE_URL: url, ADMIN_TOKEN: 'bench-admin-token-0123456789', ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, DATA_DIR: path.join(tmp, `rollcall-data-${i}`) };
      instances.push(await startInstance('src/main.ts', env));
    }
    const rss = () => instances.reduce((sum, i) => sum + memoryMb(i.pid, 'VmRSS'), 0);
    const readyRssMb = rss();
    say(`${instanceCount} Rollcall instance(s) ready (${readyRssMb.toFixed(0)} MB RSS); settling ${SETTLE_S} s, then measuring ${IDLE_S} s at rest...`);
    await sleep(SETTLE_S * 1000);
    const stops = instances.map((i) => watch(i.pid));
    await sleep(IDLE_S * 1000);
    const usage = stops.map((stop) => stop());
    const idle = {
      idleSeconds: IDLE_S,
      idleCpuPercentOfCore: (usage.reduce((sum, u) => sum + u.cpuSeconds, 0) / IDLE_S) * 100,
      readyRssMb,
      idlePeakRssMb: usage.reduce((sum, u) => sum + u.peakRssMb, 0),
    };
    say(`${sessions} live sessions at rest: ${idle.idleCpuPercentOfCore.toFixed(1)} % of a core, RSS ${readyRssMb.toFixed(0)} MB ready, ${idle.idlePeakRssMb.toFixed(0)} MB peak at rest`);
    const throughput = instanceCount > 1 ? await compareInstances(url, instances, SECRET, say) : undefined;
    let burst;
    if (BURST) {
      const groups = await seedBurst(url, org, sessions, PEOPLE, new Date(Date.now() + BURST_LEAD_MS));
      burst = await runBurst(instances, SECRET, groups, say);
    }
    const hwmMb = instances.reduce((sum, i) => sum + memoryMb(i.pid, 'VmHWM'), 0);
    console.log(JSON.stringify({ scale: { sessions, peoplePerSession: PEOPLE, instances: instanceCount, ...idle, hwmMb, throughput, burst } }));
  } finally {
    for (const instance of instances) await stopInstance(instance);
    if (embedded) await embedded.stop().catch(() => {});
    await rm(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}
