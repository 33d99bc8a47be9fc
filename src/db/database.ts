import pg from 'pg';
import type { Logger } from 'pino';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Config } from '../config.js';
import { startEmbeddedPostgres, type EmbeddedSupervision } from './embedded-postgres.js';
import { applyMigrationsInChild } from './migrations-in-child.js';

export type Db = InstanceType<typeof PrismaClient>;

export interface Database {
  url: string;
  prisma: Db;
  close(): Promise<void>;
}

const EMBEDDED_DATABASE = 'rollcall';

/** Creates the named database on the server of `serverUrl` when it does not exist yet. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const plainPools = new WeakMap<Db, pg.Pool>();

export function createPrisma(url: string): Db {
  // One pool for Prisma and for the few statements sent as plain SQL (plainPool): no extra connections.
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => {}); // an idle client lost its connection; the next query opens another (PrismaPg's own handler only logs it)
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  plainPools.set(prisma, pool);
  return prisma;
}

/**
 * The pg pool under a client made by createPrisma, for a statement on the acknowledgement's path:
 * there, Prisma's own CPU cost per query (about 0.5–1.9 ms here) is several times the query's
 * (0.15–0.3 ms; issue 16). Undefined for any other client (a test's stand-in).
 */
export function plainPool(prisma: Db): pg.Pool | undefined {
  return plainPools.get(prisma);
}

/**
 * The embedded server when DATABASE_URL is unset, that server otherwise; migrated before use.
 * The embedded server is supervised (restarted when it dies); `onFatal` is called when it cannot be.
 */
export async function openDatabase(config: Config, log: Logger, supervision: EmbeddedSupervision): Promise<Database> {
  let url: string;
  let stopServer = async () => {};
  if (config.databaseUrl) {
    url = config.databaseUrl;
  } else {
    const embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      password: config.secrets.postgresPassword,
      log,
      supervision,
    });
    stopServer = embedded.stop;
    try {
      url = await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
    } catch (error) {
      await embedded.stop();
      throw error;
    }
  }
  try {
    await applyMigrationsInChild(url, log);
  } catch (error) {
    await stopServer();
    throw error;
  }
  const prisma = createPrisma(url);
  return {
    url,
    prisma,
    async close() {
      await prisma.$disconnect();
      await stopServer();
    },
  };
}
