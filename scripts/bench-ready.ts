/**
 * `npm run bench:ready`: RSS of Rollcall when ready with no platform configured (issue 16: ≤ 200 MB),
 * run as `npm start` runs it (tsx, src/main.ts), twice: a first start on an empty database (migrations
 * applied, so the schema engine is loaded) and a restart on the same, up-to-date database (it is not).
 * Each reading is VmRSS from /proc a few seconds after /healthz answers; BENCH_READY_RUNS restarts
 * (default 3) give the median. No DATABASE_URL: an embedded PostgreSQL in a temporary directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase } from '../src/db/database.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createLogger } from '../src/logger.js';
import { memoryMb, sleep, startInstance, stopInstance } from './bench-load.js';

const RUNS = Math.max(1, Number(process.env.BENCH_READY_RUNS ?? 3) || 3);
const SETTLE_MS = 5_000;

async function readyRss(databaseUrl: string, dataDir: string): Promise<number> {
  // No platform secret: only the console module (and Teams' "not configured" answer) is loaded.
  const instance = await startInstance('src/main.ts', { DATABASE_URL: databaseUrl, ADMIN_TOKEN: 'bench-admin-token-0123456789', DATA_DIR: dataDir });
  try {
    await sleep(SETTLE_MS);
    return memoryMb(instance.pid, 'VmRSS');
  } finally {
    await stopInstance(instance);
  }
}

async function main() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rollcall-bench-ready-'));
  const given = process.env.DATABASE_URL;
  const embedded = given ? undefined : await startEmbeddedPostgres({ dataDir: tmp, password: 'bench-postgres', log: createLogger('warn') });
  try {
    const url = await ensureDatabase(given ?? embedded!.url, `rollcall_ready_${Date.now()}`);
    const dataDir = path.join(tmp, 'rollcall-data');
    const firstStartMb = await readyRss(url, dataDir);
    const restarts: number[] = [];
    for (let i = 0; i < RUNS; i++) restarts.push(await readyRss(url, dataDir));
    const restartMb = [...restarts].sort((a, b) => a - b)[Math.floor(restarts.length / 2)]!;
    console.log(`RSS when ready, no platform configured: first start ${firstStartMb.toFixed(0)} MB (migrations applied) · restart ${restartMb.toFixed(0)} MB (median of ${RUNS}: ${restarts.map((n) => n.toFixed(0)).join(', ')})`);
    console.log(JSON.stringify({ readyRss: { firstStartMb, restartMb, restarts } }));
  } finally {
    if (embedded) await embedded.stop().catch(() => {});
    await rm(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
