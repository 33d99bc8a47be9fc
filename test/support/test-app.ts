import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import type { BacklogTiming } from '../../src/core/backlog-hold.js';
import type { Notifier } from '../../src/services/notifier.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startRollcall, type Rollcall, type RollcallOptions } from '../../src/rollcall.js';
import type { AttendanceReportSource } from '../../src/services/reconciliation.js';
import { createTestDatabase } from './test-database.js';
import { TEST_ZOOM_SECRET } from './zoom-signing.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * A test replaying backdated events is a backlog to the app, whose arrival alerts then wait for 3 s
 * of quiet: correct, but it adds those seconds to every such test. Shortened here; a burst sent by a
 * test has its deliveries well within half a second of each other. backlog-hold.test.ts uses the real one.
 */
export const TEST_BACKLOG_TIMING: BacklogTiming = { quietMs: 500, capMs: 3_000 };

/** Short, so tests that wait for idle() do not add the production window each time, but not zero: the debounce path runs in every test. */
export const TEST_EVALUATION_DEBOUNCE_MS = 10;

export interface TestApp extends Rollcall {
  config: Config;
  /** Every log line at info or above, parsed (when started with `captureLogs`). */
  logs: Array<{ level: number; msg?: string; [key: string]: unknown }>;
  /** fetch against the app with the admin token. */
  api(method: string, route: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
}

export async function startTestApp(
  options: {
    databaseUrl?: string;
    env?: Record<string, string>;
    clock?: Clock;
    notifier?: Notifier;
    reportSources?: AttendanceReportSource[];
    messengers?: RollcallOptions['messengers'];
    log?: Logger;
    captureLogs?: boolean;
    authLimits?: RollcallOptions['authLimits'];
    /** Boot only these of the configured platforms (the console is always there); all configured ones otherwise. */
    platforms?: RollcallOptions['platforms'];
    closeOutSteps?: RollcallOptions['closeOutSteps'];
    /** The backlog hold's timing: TEST_BACKLOG_TIMING unless a test of the hold itself passes the real one. */
    backlogTiming?: RollcallOptions['backlogTiming'];
    /** evaluateSoon's debounce: TEST_EVALUATION_DEBOUNCE_MS unless a test of the debounce passes its own. */
    evaluationDebounceMs?: number;
  } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-test-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ZOOM_WEBHOOK_SECRET_TOKEN: TEST_ZOOM_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The fake chat APIs do not rate-limit; Slack's one-post-a-second pace is tested in slack-notifier.test.ts.
    SLACK_CHANNEL_INTERVAL_MS: '50',
    ...options.env,
  });
  // A test that inspects what is logged passes its own logger, or asks for the lines.
  const logs: TestApp['logs'] = [];
  const log =
    options.log ??
    (options.captureLogs
      ? createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line) as TestApp['logs'][number]) })
      : createLogger(config.logLevel));
  const notifiers = options.notifier ? { zoom: options.notifier, slack: options.notifier, teams: options.notifier } : undefined;
  const { clock, reportSources, messengers, authLimits, platforms, closeOutSteps } = options;
  const backlogTiming = options.backlogTiming ?? TEST_BACKLOG_TIMING;
  const evaluationDebounceMs = options.evaluationDebounceMs ?? TEST_EVALUATION_DEBOUNCE_MS;
  const rollcall = await startRollcall({ config, log, port: 0, clock, notifiers, reportSources, messengers, authLimits, platforms, closeOutSteps, backlogTiming, evaluationDebounceMs });
  return {
    ...rollcall,
    config,
    logs,
    async api(method, route, body, token = TEST_ADMIN_TOKEN) {
      const response = await fetch(`${rollcall.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}
