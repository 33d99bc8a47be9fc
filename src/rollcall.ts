import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { createHttpApp } from './http/app.js';
import { adminRouter } from './http/admin/admin-router.js';
import { startBoss, type Boss } from './jobs/boss.js';
import { ensureAdminOrganization } from './services/organization-bootstrap.js';
import { readAttendance } from './services/attendance-read.js';
import { registerPlanningJobs } from './jobs/planning-jobs.js';

export interface RollcallOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** Listen on this port instead of config.port (0 picks a free one). */
  port?: number;
}

export interface Rollcall {
  url: string;
  port: number;
  database: Database;
  boss: Boss;
  organizationId: string;
  /** Stops taking requests, finishes those in flight and running jobs, then closes the database. */
  stop(): Promise<void>;
}

/** The composition root: database, migrations, job runner, HTTP. main.ts, tests, demo and bench all use it. */
export async function startRollcall(options: RollcallOptions): Promise<Rollcall> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  let ready = false;
  const database = await openDatabase(config, log);
  const { prisma } = database;
  let boss: Boss | undefined;
  let server: Server | undefined;
  try {
    const organizationId = await ensureAdminOrganization(prisma, config.adminToken);
    boss = await startBoss(database.url, log);
    await registerPlanningJobs({ boss, prisma, clock, log });

    const app = createHttpApp({
      log,
      isReady: () => ready,
      mount(app) {
        app.use(
          '/api/v1',
          adminRouter({
            prisma,
            clock,
            afterSessionsCreated: async () => {},
            readAttendance: (orgId, sessionId) => readAttendance(prisma, orgId, sessionId),
          }),
        );
      },
    });
    server = await listen(app, options.port ?? config.port);
    const port = (server.address() as AddressInfo).port;
    ready = true;
    const startedBoss = boss;
    const startedServer = server;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      database,
      boss: startedBoss,
      organizationId,
      async stop() {
        ready = false;
        await closeServer(startedServer);
        await startedBoss.stop({ graceful: true, wait: true, timeout: 10_000 });
        await database.close();
      },
    };
  } catch (error) {
    if (server) await closeServer(server);
    if (boss) await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await database.close();
    throw error;
  }
}

function listen(app: ReturnType<typeof createHttpApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections with no request in flight would hold close() open.
    server.closeIdleConnections();
  });
}
