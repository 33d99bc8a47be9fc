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

interface SharedServer {
  serverUrl: string;
  templateDatabase: string;
  users: number;
  teardown(): Promise<void>;
}

/**
 * Several projects (integration, e2e) name this setup and vitest runs each project's in the same
 * process: they share one server and one template, made once (two schema engines migrating at once
 * share one WebAssembly instance and crash), and the last project to finish tears it down.
 */
const shared = globalThis as typeof globalThis & { rollcallTestServer?: Promise<SharedServer> };

export default async function setup(project: TestProject) {
  shared.rollcallTestServer ??= startSharedServer();
  const server = await shared.rollcallTestServer;
  server.users += 1;
  project.provide('postgresServerUrl', server.serverUrl);
  project.provide('templateDatabase', server.templateDatabase);
  return async () => {
    server.users -= 1;
    if (server.users > 0) return;
    shared.rollcallTestServer = undefined;
    await server.teardown();
  };
}

async function startSharedServer(): Promise<SharedServer> {
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
  const url = serverUrl;
  return {
    serverUrl: url,
    templateDatabase,
    users: 0,
    async teardown() {
      const client = new pg.Client({ connectionString: url });
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
    },
  };
}
