/**
 * `npm run db:migrate:new -- <name>`: writes the next migration, the SQL that takes the migrations
 * folder to prisma/schema.prisma, so no one hand-writes migration SQL. The diff replays the folder
 * into a throw-away shadow database on DATABASE_URL's server, or on a temporary embedded one.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { diffMigrationsToSchema, migrationsDir } from '../src/db/migrations.js';
import { createLogger } from '../src/logger.js';

const name = (process.argv[2] ?? '').trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write('usage: npm run db:migrate:new -- <name>   (lower-case letters, digits, underscores)\n');
  process.exit(2);
}

const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
let url = process.env.DATABASE_URL;
let cleanup = async () => {};
if (!url) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-migrate-'));
  const embedded = await startEmbeddedPostgres({ dataDir: dir, password: 'migrate-only-password', log });
  url = embedded.url;
  cleanup = async () => {
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
const lock = path.join(migrationsDir, 'migration_lock.toml');
if (!existsSync(lock)) {
  await mkdir(migrationsDir, { recursive: true });
  await writeFile(lock, 'provider = "postgresql"\n');
}
try {
  const sql = await diffMigrationsToSchema(url, log);
  if (!sql.trim() || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) {
    process.stdout.write('schema.prisma matches the migrations: nothing to write\n');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'migration.sql'), sql);
    process.stdout.write(`wrote ${path.relative(process.cwd(), dir)}/migration.sql\n`);
  }
} finally {
  await cleanup();
}
