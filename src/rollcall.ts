import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { createDatabaseProbe } from './db/database-probe.js';
import type { EmbeddedSupervision } from './db/embedded-postgres.js';
import { createHttpApp } from './http/app.js';
import { createAuthLimiter, DEFAULT_AUTH_LIMITS, type AuthLimits } from './http/auth-limiter.js';
import { adminRouter } from './http/admin/admin-router.js';
import { startBoss, type Boss } from './jobs/boss.js';
import { ensureAdminOrganization } from './services/organization-bootstrap.js';
import { readAttendance } from './services/attendance-read.js';
import { registerPlanningJobs } from './jobs/planning-jobs.js';
import { createEngineQueues, startEngineWorkers } from './jobs/engine-jobs.js';
import { sendJob } from './jobs/send-job.js';
import { createSessionEvaluator, type SessionEvaluator } from './services/session-evaluator.js';
import { ingestPresence } from './services/ingest.js';
import { createConsoleNotifier } from './services/console-notifier.js';
import type { Notifier } from './services/notifier.js';
import type { Platform, PresenceEvent } from './core/presence-event.js';
import { zoomRoutes } from './http/zoom-routes.js';
import { identityRouter } from './http/admin/identity-links.js';
import { createSecretBox } from './crypto/secret-box.js';
import { createSlackApp } from './platforms/slack/slack-app.js';
import type { ParticipantMessenger } from './services/participant-messenger.js';
import type { CloseOutStep } from './services/session-close-out.js';
import type { AttendanceReportSource } from './services/reconciliation.js';
import { registerReconciliation } from './jobs/reconciliation-jobs.js';
import { recomputeStrikesForSession, strikesCloseOutStep } from './services/strikes.js';
import { sessionSummaryStep } from './services/session-summary.js';
import { careRouter } from './http/admin/care.js';
import { createZoomApp } from './platforms/zoom/zoom-app.js';
import type { IngestOptions } from './services/ingest.js';
import { createDashboard } from './http/dashboard/dashboard-router.js';
import { startSessionEventHub, type SessionEventHub } from './services/session-events.js';
import { createTeamsApp } from './platforms/teams/teams-app.js';
import { createCareQueues, startCare } from './jobs/care-jobs.js';
import { materialsRouter } from './http/admin/materials.js';
import { deadLettersRouter } from './http/admin/dead-letters.js';
import { createZoomAccountKey } from './platforms/zoom/account-key.js';
import { hashStoredZoomAccountIds } from './platforms/zoom/account-key-migration.js';
import { registerInboundRetry } from './jobs/inbound-jobs.js';

export interface RollcallOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** Listen on this port instead of config.port (0 picks a free one). */
  port?: number;
  /** Chat notifiers by platform; the console stands in for any platform not given. */
  notifiers?: Partial<Record<Platform, Notifier>>;
  /** Participant messengers by platform (tests); platforms configured in `config` add their own. */
  messengers?: Partial<Record<Platform, ParticipantMessenger>>;
  /** Post-meeting report sources (tests); platforms configured in `config` add their own. */
  reportSources?: AttendanceReportSource[];
  /** The embedded PostgreSQL's restarts; by default, when they fail the process exits with status 1. */
  embeddedSupervision?: Partial<EmbeddedSupervision>;
  /** Failed-authentication limits (tests); DEFAULT_AUTH_LIMITS otherwise. */
  authLimits?: Partial<AuthLimits>;
}

export interface Rollcall {
  url: string;
  port: number;
  database: Database;
  boss: Boss;
  organizationId: string;
  evaluator: SessionEvaluator;
  /** Adds work to run once after each session is finalized (tests; services register theirs at start). */
  addCloseOutStep(step: CloseOutStep): void;
  /** Runs the engine's safety sweep and the retry of stored inbound deliveries now (both also run every minute). */
  sweep(): Promise<void>;
  /** Resolves when the in-process work started off the request path (evaluations, platform chat work) has finished. */
  idle(): Promise<void>;
  /** Stops taking requests, finishes those in flight and running jobs, then closes the database. */
  stop(): Promise<void>;
}

/** The composition root: database, migrations, job runner, HTTP. main.ts, tests, demo and bench all use it. */
export async function startRollcall(options: RollcallOptions): Promise<Rollcall> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  let ready = false;
  const database = await openDatabase(config, log, {
    onFatal: (error) => {
      log.fatal({ err: error }, 'the database cannot be brought back; exiting');
      process.exit(1);
    },
    ...options.embeddedSupervision,
  });
  const databaseProbe = createDatabaseProbe(database.prisma);
  const { prisma } = database;
  let boss: Boss | undefined;
  let server: Server | undefined;
  let sessionEvents: SessionEventHub | undefined;
  try {
    const organizationId = await ensureAdminOrganization(prisma, config.adminToken);
    const box = createSecretBox(config.encryptionKey);
    // Zoom account ids stored in clear by earlier versions become keyed hashes (idempotent).
    await hashStoredZoomAccountIds({ prisma, box, accountKey: createZoomAccountKey(config.encryptionKey), log });
    boss = await startBoss(database.url, log);
    const queues = await createEngineQueues(boss, clock);
    const careQueues = await createCareQueues(boss);
    const evaluator = createSessionEvaluator({
      prisma,
      clock,
      log,
      ...queues,
      afterFinalAttendanceChanged: (sessionId, participantIds) => recomputeStrikesForSession({ prisma, clock, enqueueDeliveries: queues.enqueueDeliveries }, sessionId, participantIds),
    });
    const consoleNotifier = createConsoleNotifier();
    // Filled as each platform starts; read at call time, so adapters can be handed the lookup before they exist.
    const messengers: Partial<Record<Platform, ParticipantMessenger>> = { ...options.messengers };
    const messengerFor = (platform: Platform) => messengers[platform];
    const ingestAndEvaluate = async (events: PresenceEvent[], ingestOptions?: IngestOptions) => {
      const result = await ingestPresence(prisma, log, events, ingestOptions);
      for (const sessionId of result.sessionIds) evaluator.evaluateSoon(sessionId);
      return result;
    };
    // What every chat platform's adapter is handed. One deployment serves the clinic its admin token
    // belongs to: every Slack workspace, Teams tenant and Zoom account installed joins it.
    const chatDeps = {
      config,
      prisma,
      box,
      log,
      clock,
      evaluator,
      enqueueDeliveries: queues.enqueueDeliveries,
      enqueueParticipantMessages: careQueues.enqueueParticipantMessages,
      messengerFor,
      organizationFor: async () => organizationId,
      ingestPresence: ingestAndEvaluate,
    };
    const slackApp = createSlackApp(chatDeps);
    if (slackApp && !messengers.slack) messengers.slack = slackApp.messenger;
    const teamsApp = createTeamsApp(chatDeps);
    if (!messengers.teams) messengers.teams = teamsApp.messenger;
    const zoomApp = createZoomApp({ ...chatDeps, organizationId });
    if (zoomApp.messenger && !messengers.zoom) messengers.zoom = zoomApp.messenger;
    const platformNotifiers: Partial<Record<Platform, Notifier>> = {
      ...(slackApp ? { slack: slackApp.notifier } : {}),
      teams: teamsApp.notifier,
      ...(zoomApp.notifier ? { zoom: zoomApp.notifier } : {}),
      ...options.notifiers,
    };
    const notifierFor = (platform: Platform) => platformNotifiers[platform] ?? consoleNotifier;
    // Services and platforms add theirs below; the close-out job reads the list when it runs.
    const closeOutSteps: CloseOutStep[] = [];
    const engine = await startEngineWorkers({ boss, prisma, clock, log, evaluator, queues, delivery: { prisma, clock, log, notifierFor }, closeOutSteps });
    // Sources given by a test stand in for the platform's own.
    const reportSources: AttendanceReportSource[] = [...(options.reportSources ?? [])];
    for (const source of [teamsApp.reportSource, zoomApp.reportSource]) {
      if (source && !reportSources.some((s) => s.platform === source.platform)) reportSources.push(source);
    }
    closeOutSteps.push(await registerReconciliation({ boss, prisma, clock, log, evaluator, sources: reportSources }));
    closeOutSteps.push(zoomApp.closeOutStep);
    // Strikes before the summary, so the summary counts the follow-ups they open.
    closeOutSteps.push(strikesCloseOutStep({ prisma, clock, enqueueDeliveries: queues.enqueueDeliveries }));
    closeOutSteps.push(sessionSummaryStep({ prisma, enqueueDeliveries: queues.enqueueDeliveries }));
    const care = await startCare({ boss, prisma, clock, log, evaluator, messengerFor, enqueueDeliveries: queues.enqueueDeliveries, ...careQueues });
    closeOutSteps.push(...care.closeOutSteps);
    const afterSessionsCreated = async (ids: string[]) => {
      for (const id of ids) await evaluator.evaluate(id);
      await care.afterSessionsCreated(ids);
    };
    await registerPlanningJobs({ boss, prisma, clock, log, afterSessionsCreated });
    const retryInbound = await registerInboundRetry({ boss, log, retries: slackApp ? [slackApp.retryStoredEvents] : [] });
    sessionEvents = await startSessionEventHub(database.url, log);
    const authLimiter = createAuthLimiter(prisma, { ...DEFAULT_AUTH_LIMITS, ...options.authLimits });
    const dashboard = createDashboard({
      prisma,
      authLimiter,
      clock,
      evaluator,
      sessionEvents,
      cookies: { secure: config.publicUrl.startsWith('https:') },
    });

    const app = createHttpApp({
      log,
      isReady: () => ready,
      isDatabaseUp: databaseProbe.isUp,
      mount(app) {
        if (slackApp) app.use(slackApp.router);
        app.use(teamsApp.router);
        app.use(
          zoomRoutes({
            secrets: config.zoom.webhookSecrets,
            log,
            // Signatures are checked against the wall clock: the replay window is about real deliveries.
            nowMs: () => Date.now(),
            // An installed account's events match only its own clinic's sessions.
            ingest: (events) => ingestAndEvaluate(events, { organizationOf: (event) => (event.accountId ? zoomApp.organizationOf(event.accountId) : Promise.resolve(null)) }),
            onAppEvent: zoomApp.onAppEvent,
            accountKey: zoomApp.accountKey,
            storeDeadLetter: zoomApp.storeDeadLetter,
          }, zoomApp.router),
        );
        const adminDeps = {
          prisma,
          authLimiter,
          clock,
          afterSessionsCreated,
          afterEnrolled: care.afterEnrolled,
          readAttendance: (orgId: string, sessionId: string) => readAttendance({ prisma, evaluator }, orgId, sessionId),
        };
        app.use(
          '/api/v1',
          adminRouter(adminDeps, [
            identityRouter({ prisma, evaluator }),
            careRouter({ prisma, clock, evaluator, enqueueDeliveries: queues.enqueueDeliveries }),
            materialsRouter({ prisma }),
            deadLettersRouter({ prisma, box, clock }),
          ]),
        );
        app.use(dashboard.router);
      },
    });
    if (config.zoom.webhookSecrets.length === 0) log.warn('ZOOM_WEBHOOK_SECRET_TOKEN is not set: Zoom webhooks will be refused');
    server = await listen(app, options.port ?? config.port);
    // Overdue deadlines are pg-boss jobs and run at once; the sweep catches anything else a crash left.
    await sendJob(boss, 'sweep', {});
    const port = (server.address() as AddressInfo).port;
    ready = true;
    const idle = async () => {
      await Promise.all([slackApp?.idle(), zoomApp.idle()]);
      await evaluator.idle();
    };
    const startedBoss = boss;
    const startedServer = server;
    const startedEvents = sessionEvents;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      database,
      boss: startedBoss,
      organizationId,
      evaluator,
      async sweep() {
        await engine.sweep();
        await retryInbound();
      },
      addCloseOutStep: (step) => void closeOutSteps.push(step),
      idle,
      async stop() {
        ready = false;
        // Open event streams would hold the server open.
        dashboard.close();
        await closeServer(startedServer);
        await startedEvents.close();
        await idle();
        await startedBoss.stop({ graceful: true, wait: true, timeout: 10_000 });
        await database.close();
      },
    };
  } catch (error) {
    if (server) await closeServer(server);
    await sessionEvents?.close();
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
