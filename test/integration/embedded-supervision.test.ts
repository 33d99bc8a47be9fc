import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { EMBEDDED_POSTGRES_SETTINGS } from '../../src/db/embedded-postgres.js';
import { createLogger } from '../../src/logger.js';
import { startRollcall, type Rollcall } from '../../src/rollcall.js';
import { TEST_ADMIN_TOKEN } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** Rollcall as `npm start` runs it without DATABASE_URL: its own PostgreSQL in a data dir of its own. */
async function startEmbedded(supervision: { attempts: number; baseDelayMs: number }) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-embedded-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const fatal: Error[] = [];
  const app = await startRollcall({ config, log: createLogger(config.logLevel), port: 0, embeddedSupervision: { ...supervision, onFatal: (error) => void fatal.push(error) } });
  const postmasterPid = () => Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { app, fatal, postmasterPid };
}

const health = async (app: Rollcall) => {
  const response = await fetch(`${app.url}/healthz`);
  return { status: response.status, body: (await response.json()) as unknown };
};

const createProgram = (app: Rollcall, name: string) =>
  fetch(`${app.url}/api/v1/programs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, timezone: 'UTC', alertChannel: { platform: 'slack', channelId: 'C1' } }),
  });

describe('the embedded PostgreSQL', () => {
  it('runs with the settings Rollcall chose, commits still waiting for their WAL flush', async () => {
    const { app } = await startEmbedded({ attempts: 1, baseDelayMs: 1000 });
    try {
      for (const [name, value] of Object.entries(EMBEDDED_POSTGRES_SETTINGS)) {
        const rows = await app.database.prisma.$queryRawUnsafe<Record<string, string>[]>(`SHOW ${name}`);
        expect([name, rows[0]![name]]).toEqual([name, value]);
      }
      expect(EMBEDDED_POSTGRES_SETTINGS.synchronous_commit).toBe('on');
    } finally {
      await app.stop();
    }
  });
});

describe('the embedded PostgreSQL under supervision', () => {
  it('is restarted after kill -9: /healthz goes 503, then 200, and writes work again', async () => {
    // The first restart waits longer than /healthz caches its answer, so the outage is seen.
    const { app, fatal, postmasterPid } = await startEmbedded({ attempts: 5, baseDelayMs: 2500 });
    try {
      expect(await health(app)).toEqual({ status: 200, body: { status: 'ok', database: 'up' } });
      const first = postmasterPid();
      process.kill(first, 'SIGKILL');
      await waitFor(async () => (await health(app)).status === 503, 5000, '/healthz to report the database down');
      expect(await health(app)).toEqual({ status: 503, body: { status: 'unavailable', database: 'down' } });
      await waitFor(async () => (await health(app)).status === 200, 20_000, 'the supervisor to restart PostgreSQL');
      expect(postmasterPid()).not.toBe(first);
      const created = await waitFor(async () => {
        const response = await createProgram(app, 'After the restart');
        return response.status === 201 ? response : undefined;
      }, 5000, 'a write after the restart');
      expect(created.status).toBe(201);
      expect(fatal).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('hands over to onFatal when PostgreSQL cannot be started again', async () => {
    const { app, fatal, postmasterPid } = await startEmbedded({ attempts: 2, baseDelayMs: 400 });
    const port = Number(new URL(app.database.url).port);
    // It hangs up on whoever connects, as a port with no server refuses them.
    const squatter = net.createServer((socket) => socket.destroy());
    try {
      process.kill(postmasterPid(), 'SIGKILL');
      // Someone else takes the port as soon as it is free: every restart fails to bind.
      await waitFor(
        () => new Promise<boolean>((resolve) => {
          squatter.once('error', () => resolve(false));
          squatter.listen(port, '127.0.0.1', () => resolve(true));
        }),
        5000,
        'the port to be free',
      );
      await waitFor(() => fatal.length > 0, 15_000, 'onFatal');
      expect(fatal[0]!.message).toMatch(/could not be restarted after 2 attempts/);
      expect((await health(app)).status).toBe(503);
    } finally {
      squatter.close();
      await app.stop();
    }
  });
});
