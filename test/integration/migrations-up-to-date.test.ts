import { appendFile, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir, migrationsUpToDate } from '../../src/db/migrations.js';
import { createTestDatabase } from '../support/test-database.js';

/** The check that lets a restart skip the schema engine (docs/performance.md) says "up to date" only when it is. */
describe('migrationsUpToDate', () => {
  let url: string;
  let dir: string;
  beforeAll(async () => {
    url = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-migrations-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const copy = async (name: string) => {
    const target = path.join(dir, name);
    await cp(migrationsDir, target, { recursive: true });
    return target;
  };

  it('is true for a database migrated from this folder', async () => {
    expect(await migrationsUpToDate(url)).toBe(true);
  });

  it('is false when the folder has a migration the database has not applied', async () => {
    const folder = await copy('extra');
    await mkdir(path.join(folder, '29991231000000_later'));
    await writeFile(path.join(folder, '29991231000000_later', 'migration.sql'), 'SELECT 1;\n');
    expect(await migrationsUpToDate(url, folder)).toBe(false);
  });

  it('is false when an applied migration was edited since', async () => {
    const folder = await copy('edited');
    const last = (await readdir(folder)).filter((n) => /^\d/.test(n)).sort().at(-1)!;
    await appendFile(path.join(folder, last, 'migration.sql'), '\n-- edited\n');
    expect(await migrationsUpToDate(url, folder)).toBe(false);
  });

  it('is false for an empty database and for a migration that failed', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations")`);
      expect(await migrationsUpToDate(url)).toBe(false);
      await client.query('DROP TABLE "_prisma_migrations"');
      expect(await migrationsUpToDate(url)).toBe(false);
    } finally {
      await client.end();
    }
  });
});
