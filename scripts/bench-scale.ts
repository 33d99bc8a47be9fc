/**
 * `npm run bench -- --scale 10000` (or BENCH_SCALE=10000): N live sessions at rest. Seeds N clinics'
 * programs with BENCH_SCALE_PEOPLE (10) enrolled participants and one running session each directly
 * in the database, as the evaluator leaves them (evaluated, next deadline at the end), starts
 * Rollcall as `npm start` does, and measures its idle CPU (share of one core) and RSS over
 * BENCH_SCALE_IDLE_S seconds (180) after a settling minute, then prints one JSON line. The
 * top-of-the-hour burst of issue 16 is not part of it yet (docs/performance.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase } from '../src/db/database.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { applyMigrations } from '../src/db/migrations.js';
import { createLogger } from '../src/logger.js';
import { memoryMb, sleep, startInstance, stopInstance, watch, type Instance } from './bench-load.js';

const setting = (name: string, fallback: number) => Math.max(1, Number(process.env[name] ?? fallback) || fallback);
const PEOPLE = setting('BENCH_SCALE_PEOPLE', 10);
const IDLE_S = setting('BENCH_SCALE_IDLE_S', 180);
const SETTLE_S = setting('BENCH_SCALE_SETTLE_S', 60);
const began = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - began) / 1000).toFixed(0).padStart(3)} s] ${line}`);

/** N programs, N×PEOPLE participants and enrollments, N running sessions: set-based SQL, seconds for 10,000. */
async function seed(url: string, sessions: number, now: Date) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const org = (await db.query<{ id: string }>(`INSERT INTO "Organization"(id, name, "updatedAt") VALUES (gen_random_uuid(), 'Scale clinic', now()) RETURNING id`)).rows[0]!.id;
    await db.query(
      `INSERT INTO "Program"(id, "organizationId", name, timezone, policy, "alertPlatform", "alertChannelId", "updatedAt")
       SELECT gen_random_uuid(), $1, 'Group ' || g, 'America/New_York', '{}', 'slack', 'C-SCALE', now() FROM generate_series(1, $2) g`,
      [org, sessions],
    );
    // One statement: the CTE is materialized once, so each participant's id is the one enrolled.
    await db.query(
      `WITH people AS (SELECT p.id AS program_id, gen_random_uuid() AS id, g FROM "Program" p, generate_series(1, $2) g WHERE p."organizationId" = $1),
       added AS (INSERT INTO "Participant"(id, "organizationId", name, "updatedAt") SELECT id, $1, 'Person ' || g, now() FROM people RETURNING id)
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
  } finally {
    await db.end();
  }
}

export async function benchScale(sessions: number): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rollcall-bench-scale-'));
  const given = process.env.DATABASE_URL;
  const embedded = given ? undefined : await startEmbeddedPostgres({ dataDir: tmp, password: 'bench-postgres', log: createLogger('warn') });
  let instance: Instance | undefined;
  try {
    const url = await ensureDatabase(given ?? embedded!.url, `rollcall_scale_${began}`);
    await applyMigrations(url, createLogger('warn'));
    say(`seeding ${sessions} live sessions of ${PEOPLE} people directly in the database...`);
    await seed(url, sessions, new Date());
    instance = await startInstance('src/main.ts', { DATABASE_URL: url, ADMIN_TOKEN: 'bench-admin-token-0123456789', DATA_DIR: path.join(tmp, 'rollcall-data') });
    const readyRssMb = memoryMb(instance.pid, 'VmRSS');
    say(`Rollcall ready (${readyRssMb.toFixed(0)} MB RSS); settling ${SETTLE_S} s, then measuring ${IDLE_S} s at rest...`);
    await sleep(SETTLE_S * 1000);
    const stop = watch(instance.pid);
    await sleep(IDLE_S * 1000);
    const usage = stop();
    const result = {
      sessions,
      peoplePerSession: PEOPLE,
      idleSeconds: IDLE_S,
      idleCpuPercentOfCore: (usage.cpuSeconds / IDLE_S) * 100,
      readyRssMb,
      idlePeakRssMb: usage.peakRssMb,
      hwmMb: memoryMb(instance.pid, 'VmHWM'),
    };
    console.log(`${sessions} live sessions at rest: ${result.idleCpuPercentOfCore.toFixed(1)} % of a core, RSS ${readyRssMb.toFixed(0)} MB ready, ${usage.peakRssMb.toFixed(0)} MB peak at rest`);
    console.log(JSON.stringify({ scale: result }));
  } finally {
    await stopInstance(instance);
    if (embedded) await embedded.stop().catch(() => {});
    await rm(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}
