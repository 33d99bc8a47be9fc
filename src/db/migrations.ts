import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';
import { openSchemaEngine } from './schema-engine.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const schemaPath = path.join(root, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(root, 'prisma', 'migrations');

/** The migrations folder in the shape the schema engine reads (the same as `prisma migrate deploy`). */
export async function readMigrationsList(dir = migrationsDir) {
  const entries = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : [];
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const lockPath = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(dir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

/**
 * Whether `_prisma_migrations` records every migration of the folder as applied, unchanged (the
 * checksum Prisma stores is the SHA-256 of migration.sql), and nothing failed or unknown. Read with
 * one query, so a restart of an up-to-date database never loads the schema engine (40-50 MB of
 * WebAssembly the process could not release; docs/performance.md).
 */
export async function migrationsUpToDate(url: string, dir = migrationsDir): Promise<boolean> {
  const { migrationDirectories } = await readMigrationsList(dir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query<{ table: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS table`);
    if (!exists.rows[0]?.table) return false;
    const { rows } = await client.query<{ name: string; checksum: string; finished: boolean; rolledBack: boolean }>(
      `SELECT migration_name AS name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack" FROM "_prisma_migrations"`,
    );
    const applied = rows.filter((row) => !row.rolledBack);
    if (applied.some((row) => !row.finished)) return false;
    const checksums = new Map(applied.map((row) => [row.name, row.checksum]));
    if (checksums.size !== migrationDirectories.length) return false;
    return migrationDirectories.every(({ path: name, migrationFile }) => {
      const sql = migrationFile.content.tag === 'ok' ? migrationFile.content.value : '';
      return checksums.get(name) === createHash('sha256').update(sql).digest('hex');
    });
  } finally {
    await client.end();
  }
}

/** Applies every migration not yet recorded in `_prisma_migrations`. */
export async function applyMigrations(url: string, log: Logger): Promise<string[]> {
  if (await migrationsUpToDate(url)) {
    log.debug('migrations up to date; schema engine not loaded');
    return [];
  }
  const { engine, close } = await openSchemaEngine({ url, schemaPath, log });
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: await readMigrationsList(), filters: noFilters });
    if (appliedMigrationNames.length > 0) log.info({ migrations: appliedMigrationNames }, 'migrations applied');
    return appliedMigrationNames;
  } finally {
    await close();
  }
}

/** The SQL that takes a database from the migrations folder to schema.prisma (needs a shadow database). */
export async function diffMigrationsToSchema(url: string, log: Logger): Promise<string> {
  const { engine, close } = await openSchemaEngine({ url, schemaPath, log });
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrationsList()) },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return result.stdout ?? '';
  } finally {
    await close();
  }
}
