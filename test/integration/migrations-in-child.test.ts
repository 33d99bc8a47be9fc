import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { ensureDatabase } from '../../src/db/database.js';
import { applyMigrationsInChild } from '../../src/db/migrations-in-child.js';
import { migrationsUpToDate, readMigrationsList } from '../../src/db/migrations.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase } from '../support/test-database.js';

/** A first start applies migrations in a child process, so the schema engine leaves with it (docs/performance.md). */
describe('applyMigrationsInChild', () => {
  const log = createLogger('silent');

  it('migrates an empty database through the child and reports every migration it applied', async () => {
    const url = await ensureDatabase(inject('postgresServerUrl'), `rollcall_child_${randomBytes(4).toString('hex')}`);
    expect(await migrationsUpToDate(url)).toBe(false);
    const applied = await applyMigrationsInChild(url, log);
    const { migrationDirectories } = await readMigrationsList();
    expect(applied).toEqual(migrationDirectories.map((d) => d.path));
    expect(await migrationsUpToDate(url)).toBe(true);
  }, 60_000);

  it('starts no child for an up-to-date database', async () => {
    expect(await applyMigrationsInChild(await createTestDatabase(), log)).toEqual([]);
  });

  it('fails with a clear error when the child cannot migrate, and nothing counts as applied', async () => {
    const url = await ensureDatabase(inject('postgresServerUrl'), `rollcall_child_${randomBytes(4).toString('hex')}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // The first migration creates this table: it fails in the child.
    await client.query('CREATE TABLE "Organization" (squatter int)').finally(() => client.end());
    await expect(applyMigrationsInChild(url, log)).rejects.toThrow(/migration process exited with 1/);
    expect(await migrationsUpToDate(url)).toBe(false);
  }, 60_000);
});
