/**
 * npm run replay -- <payload.json> [--at now|<ISO time>] [--meeting <id>] [--url <base>] [--wait <ms>]
 *
 * Sends a saved platform payload (a Zoom event notification, a Slack Events API delivery, a Teams
 * activity under ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS=1) through the real route of a running
 * instance (npm start), signed with its secret, and prints what changed in the sessions open at
 * the payload's time: attendance statuses and alerts (read through the admin API).
 *
 * Reads ROLLCALL_URL (else http://127.0.0.1:$PORT, 3000), ZOOM_WEBHOOK_SECRET_TOKEN,
 * SLACK_SIGNING_SECRET, and ADMIN_TOKEN (else DATA_DIR/secrets.json, as npm start wrote it).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeChanges, takeSnapshot, type AdminApi } from './replay-changes.js';
import { prepareDelivery, signDelivery, type ReplayDelivery, type ReplaySecrets } from './replay-payload.js';

export interface ReplayOptions {
  file: string;
  url: string;
  adminToken: string;
  secrets: ReplaySecrets;
  at?: Date;
  meetingId?: string;
  /** How long to wait for the evaluation to show (it runs just after the answer). */
  waitMs?: number;
}

export interface ReplayReport {
  delivery: ReplayDelivery;
  status: number;
  body: unknown;
  /** One line per change, grouped by session; empty when nothing changed. */
  changes: string[];
}

const POLL_MS = 150;

export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  const delivery = prepareDelivery(JSON.parse(readFileSync(options.file, 'utf8')), { at: options.at, meetingId: options.meetingId });
  const api = adminApi(options.url, options.adminToken);
  const before = await takeSnapshot(api, delivery.occurredAt);
  const response = await fetch(`${options.url}${delivery.route}`, { method: 'POST', headers: signDelivery(delivery, options.secrets), body: delivery.rawBody });
  const text = await response.text();
  const body = text ? parseJson(text) : undefined;
  // Evaluation and alerts follow the answer: wait until what changed holds still, or the time runs out.
  const deadline = Date.now() + (options.waitMs ?? 3000);
  let changes: string[] = [];
  let previous = '';
  while (response.ok && Date.now() < deadline) {
    changes = describeChanges(before, await takeSnapshot(api, delivery.occurredAt));
    const now = changes.join('\n');
    if (changes.length > 0 && now === previous) break;
    previous = now;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return { delivery, status: response.status, body, changes };
}

/** The options from the command line and the environment a local instance was started with. */
export function replayOptionsFrom(argv: string[], env: NodeJS.ProcessEnv = process.env): ReplayOptions {
  const flags = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) flags.set(arg.slice(2), argv[(i += 1)] ?? '');
    else files.push(arg);
  }
  if (files.length !== 1) throw new Error('usage: npm run replay -- <payload.json> [--at now|<ISO time>] [--meeting <id>] [--url <base>] [--wait <ms>]');
  const at = flags.get('at');
  const atDate = at === undefined ? undefined : at === 'now' ? new Date() : new Date(at);
  if (atDate && Number.isNaN(atDate.getTime())) throw new Error(`--at ${at}: not a time (use now or an ISO-8601 time)`);
  return {
    file: files[0]!,
    url: (flags.get('url') ?? env.ROLLCALL_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/$/, ''),
    adminToken: adminTokenFrom(env),
    secrets: { zoomSecret: env.ZOOM_WEBHOOK_SECRET_TOKEN?.split(',')[0]?.trim() || undefined, slackSigningSecret: env.SLACK_SIGNING_SECRET || undefined },
    at: atDate,
    meetingId: flags.get('meeting'),
    waitMs: flags.has('wait') ? Number(flags.get('wait')) : undefined,
  };
}

function adminTokenFrom(env: NodeJS.ProcessEnv): string {
  if (env.ADMIN_TOKEN) return env.ADMIN_TOKEN;
  const file = path.resolve(env.DATA_DIR ?? './data', 'secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { adminToken?: string }).adminToken : undefined;
  if (!stored) throw new Error(`no admin token: set ADMIN_TOKEN, or DATA_DIR to the instance's data directory (${file} not found)`);
  return stored;
}

function adminApi(url: string, token: string): AdminApi {
  return {
    async get(route) {
      const response = await fetch(`${url}${route}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${await response.text()}`);
      return response.json();
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function main(): Promise<void> {
  const options = replayOptionsFrom(process.argv.slice(2));
  const report = await replay(options);
  const { delivery } = report;
  process.stdout.write(`POST ${delivery.route} (${delivery.platform} ${delivery.event} at ${delivery.occurredAt.toISOString()}) → ${report.status} ${JSON.stringify(report.body ?? '')}\n`);
  if (report.changes.length === 0) process.stdout.write(`nothing changed in the sessions open at ${delivery.occurredAt.toISOString()}\n`);
  for (const line of report.changes) process.stdout.write(`${line}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`replay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
