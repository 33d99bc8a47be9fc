import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { migrationsUpToDate } from './migrations.js';

const childEntry = fileURLToPath(new URL('./migrate-child.ts', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/**
 * Applies pending migrations in a child process, so the schema engine (40-50 MB of WebAssembly that
 * wasm-bindgen's glue never lets go of) leaves with it: a first start is as small as a restart
 * (docs/performance.md). An up-to-date database is checked here with one query and starts no child.
 * The child runs under tsx's loader like `npm start` and writes its log lines to our stderr.
 */
export async function applyMigrationsInChild(url: string, log: Logger): Promise<string[]> {
  if (await migrationsUpToDate(url)) {
    log.debug('migrations up to date; schema engine not loaded');
    return [];
  }
  const child = spawn(process.execPath, ['--import', tsxLoader, childEntry], {
    env: { ...process.env, ROLLCALL_MIGRATE_URL: url, LOG_LEVEL: log.level },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  if (code !== 0) throw new Error(`applying migrations failed (the migration process exited with ${code}; its log says why)`);
  const { applied } = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { applied?: string[] };
  if (!Array.isArray(applied)) throw new Error('the migration process answered nothing readable');
  return applied;
}
