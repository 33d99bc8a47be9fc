import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createSecretBox } from './crypto/secret-box.js';
import { openDatabase, type Database } from './db/database.js';
import { createDatabaseProbe } from './db/database-probe.js';
import type { EmbeddedSupervision } from './db/embedded-postgres.js';
import { createHost } from './host.js';
import type { BacklogTiming } from './core/backlog-hold.js';
import { createHttpApp } from './http/app.js';
import type { AuthLimits } from './http/auth-limiter.js';
import { closeServer, listen } from './http/listen.js';
import { mountPlatformRoutes } from './http/platform-routes.js';
import { createStaffRoutes } from './http/staff-routes.js';
import { startBoss, type Boss } from './jobs/boss.js';
import { createCareQueues } from './jobs/care-jobs.js';
import { createEngineQueues } from './jobs/engine-jobs.js';
import type { ModuleName, PlatformHost, PlatformModule } from './platforms/module.js';
import { createPlatformSet, type StandIns } from './platforms/platform-set.js';
import { loadEnabledModules } from './platforms/registry.js';
import { ensureAdminOrganization } from './services/organization-bootstrap.js';
import type { CloseOutStep } from './services/session-close-out.js';
import { startDashboardLiveFeed } from './services/dashboard-live-feed.js';
import { createStopList } from './stop-list.js';
import { startWorkers } from './workers.js';

export interface RollcallOptions extends StandIns {
  config: Config;
  log: Logger;
  clock?: Clock;
  port?: number; // instead of config.port; 0 picks a free one
  /** Only these of the configured platform modules (tests); the console is always there. */
  platforms?: ModuleName[];
  /** Modules to attach instead of the registry's (tests). */
  modules?: PlatformModule[];
  /** Close-out steps run after the built-in ones (tests). */
  closeOutSteps?: CloseOutStep[];
  /** The embedded PostgreSQL's restarts; by default, when they fail the process exits with status 1. */
  embeddedSupervision?: Partial<EmbeddedSupervision>;
  /** Failed-authentication limits (tests); DEFAULT_AUTH_LIMITS otherwise. */
  authLimits?: Partial<AuthLimits>;
  /** The backlog hold's quiet window and cap (tests shorten them); core/backlog-hold.ts's otherwise. */
  backlogTiming?: BacklogTiming;
  /** How long a session's facts are gathered before evaluating them (tests shorten it); DEFAULT_EVALUATION_DEBOUNCE_MS otherwise. */
  evaluationDebounceMs?: number;
}

export interface Rollcall extends Pick<PlatformHost, 'evaluator' | 'organizationId' | 'receive'> {
  url: string;
  port: number;
  database: Database;
  boss: Boss;
  /** Runs the engine's safety sweep and the retry of stored inbound deliveries now (both also run every minute). */
  sweep(): Promise<void>;
  /** Resolves when work started off the request path (evaluations, platform chat work) has finished. */
  idle(): Promise<void>;
  /** Stops taking requests, finishes those in flight and running jobs, then closes the database. */
  stop(): Promise<void>;
}

/** The composition root: main.ts, tests, demo and bench all start Rollcall here. */
export async function startRollcall(options: RollcallOptions): Promise<Rollcall> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const database = await openDatabase(config, log, {
    // A supervisor (systemd, the container runtime) restarts the whole process.
    onFatal: (error) => (log.fatal({ err: error }, 'the database cannot be brought back; exiting'), process.exit(1)),
    ...options.embeddedSupervision,
  });
  const stops = createStopList();
  stops.add(() => database.close());
  let ready = false;
  try {
    const organizationId = await ensureAdminOrganization(database.prisma, config.adminToken);
    const boss = await startBoss(database.url, log, { work: config.role === 'all' });
    stops.add((graceful) => boss.stop(graceful ? { graceful, wait: true, timeout: 10_000 } : { graceful, wait: true }));
    const queues = { ...(await createEngineQueues(boss, clock)), ...(await createCareQueues(boss)) };
    const platforms = createPlatformSet(options);
    const host = createHost({ config, log, clock, prisma: database.prisma, box: createSecretBox(config.encryptionKey), organizationId, queues, platforms, backlogTiming: options.backlogTiming, evaluationDebounceMs: options.evaluationDebounceMs });
    stops.add(() => host.evaluator.idle());
    for (const m of options.modules ?? (await loadEnabledModules(config, log, options.platforms))) platforms.add(m.name, await m.attach(host));
    stops.add(() => platforms.idle());
    const workers = await startWorkers(host, { boss, queues, platforms, extraCloseOutSteps: options.closeOutSteps });
    const liveFeed = await startDashboardLiveFeed(database.url, log);
    stops.add(() => liveFeed.close());
    const staff = createStaffRoutes(host, { workers, liveFeed, authLimits: options.authLimits });
    const mount = (app: Express) => (mountPlatformRoutes(app, platforms.attached), staff.mount(app));
    const app = createHttpApp({ log, isReady: () => ready, isDatabaseUp: createDatabaseProbe(database.prisma).isUp, mount });
    const server = await listen(app, options.port ?? config.port);
    // Open event streams would hold the server open.
    stops.add(() => (staff.close(), closeServer(server)));
    ready = true;
    const { port } = server.address() as AddressInfo;
    const idle = async () => (await platforms.idle(), await host.evaluator.idle());
    const stop = async () => ((ready = false), await stops.stopAll(true));
    return { url: `http://127.0.0.1:${port}`, port, database, boss, organizationId, evaluator: host.evaluator, receive: host.receive, sweep: workers.sweep, idle, stop };
  } catch (error) {
    await stops.stopAll(false).catch(() => {});
    throw error;
  }
}
