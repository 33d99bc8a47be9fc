import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Applies every migration not yet recorded in `_prisma_migrations`. */
export async function applyMigrations(url: string, log: Logger): Promise<string[]> {
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
