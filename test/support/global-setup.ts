/**
 * One PostgreSQL for the integration suite: the server in DATABASE_URL when set, else an embedded
 * one in a temporary directory. A template database is migrated once; every test file clones it
 * into a database of its own (test-database.ts), so files share no state.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { ensureDatabase } from '../../src/db/database.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createLogger } from '../../src/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresServerUrl: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!serverUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-test-pg-'));
    const embedded = await startEmbeddedPostgres({ dataDir: dir, password: randomBytes(12).toString('hex'), log });
    serverUrl = embedded.url;
    stopServer = async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const templateDatabase = `rollcall_template_${process.pid}_${Date.now()}`;
  const templateUrl = await ensureDatabase(serverUrl, templateDatabase);
  await applyMigrations(templateUrl, log);
  project.provide('postgresServerUrl', serverUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'rollcall_t%' AND (datname = $1 OR datname LIKE $2)",
        [templateDatabase, `rollcall_test_${process.pid}_%`],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
    await stopServer();
  };
}
