/**
 * The tools `npm run bench` (scripts/bench.ts) measures with: servers as child processes with their
 * stdout lines time-stamped, their memory and CPU read from /proc, Zoom deliveries built from the
 * saved fixtures and signed as Zoom signs them, and a keep-alive HTTP load with latency percentiles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signZoomRequest, ZOOM_SIGNATURE_HEADER, ZOOM_TIMESTAMP_HEADER } from '../src/platforms/zoom/verify.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Instance { url: string; child: ChildProcess; pid: number; lines: { at: number; text: string }[]; stopping?: boolean }

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `node --import tsx <script>` (node itself, not the tsx wrapper: the pid is the server's) and waits for /healthz. */
export async function startInstance(script: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const instance: Instance = { url: `http://127.0.0.1:${port}`, child, pid: child.pid!, lines: [] };
  let partial = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const at = Date.now();
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop()!;
    for (const text of parts) instance.lines.push({ at, text });
  });
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString('utf8')).slice(-20_000)));
  // An instance that dies mid-run says why, instead of a missing /proc entry later.
  child.once('exit', (code, signal) => {
    if (!instance.stopping) console.error(`${script} (pid ${instance.pid}) exited (${code ?? signal}):\n${errors.slice(-4000)}\n${instance.lines.slice(-20).map((l) => l.text).join('\n')}`);
  });
  for (const until = Date.now() + 60_000; ; await sleep(100)) {
    if (child.exitCode !== null) throw new Error(`${script} exited: ${errors}`);
    if (await fetch(`${instance.url}/healthz`).then((r) => r.ok, () => false)) return instance;
    if (Date.now() > until) throw new Error(`${script} did not become healthy: ${errors}`);
  }
}

export async function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once('exit', resolve));
  instance.stopping = true;
  instance.child.kill('SIGTERM');
  await exited;
}

/** A memory line of /proc/<pid>/status (VmRSS, VmHWM), in MB. */
export const memoryMb = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** utime + stime of the process and all its threads, in seconds (Linux clock ticks are 1/100 s). */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** Starts watching a process; the returned function stops and gives peak RSS (sampled every 50 ms) and CPU seconds used. */
export function watch(pid: number) {
  const cpuBefore = cpuSeconds(pid);
  let peak = memoryMb(pid, 'VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, memoryMb(pid, 'VmRSS'))), 50);
  return () => {
    clearInterval(timer);
    return { peakRssMb: Math.max(peak, memoryMb(pid, 'VmRSS')), cpuSeconds: cpuSeconds(pid) - cpuBefore };
  };
}

type ZoomJson = { event_ts: number; payload: { object: Record<string, unknown> & { participant: Record<string, unknown> } } };
const fixture = (name: string) => JSON.parse(readFileSync(path.join(root, 'test/fixtures/zoom', `${name}.json`), 'utf8')) as ZoomJson;
const FIXTURES = { joined: fixture('participant-joined'), left: fixture('participant-left') };

export interface Person { name: string; email: string; uuid: string; meetingId: string }
export const person = (name: string, meetingId: string): Person => ({
  name,
  email: `${name.toLowerCase().replace(/\W+/g, '.')}@bench.example`,
  uuid: randomUUID().toUpperCase(),
  meetingId,
});

/** A delivery shaped like the saved fixture, for another meeting, person and time (Zoom sends whole seconds). */
export function zoomBody(kind: 'joined' | 'left', who: Person, at: Date): string {
  const body = structuredClone(FIXTURES[kind]);
  Object.assign(body.payload.object, { id: who.meetingId, uuid: `${who.meetingId}-bench==` });
  Object.assign(body.payload.object.participant, {
    user_name: who.name,
    email: who.email,
    participant_uuid: who.uuid,
    id: '',
    participant_user_id: '',
    user_id: String(Math.floor(Math.random() * 1e8)),
    [kind === 'joined' ? 'join_time' : 'leave_time']: `${at.toISOString().slice(0, 19)}Z`,
  });
  body.event_ts = at.getTime();
  return JSON.stringify(body);
}

const agents = new Map<number, http.Agent>();
/** POSTs a body to /zoom/webhook signed as Zoom signs it now; resolves with the status once the answer is read. */
export function postSigned(baseUrl: string, body: string, secret: string, concurrency = 1): Promise<number> {
  const agent = agents.get(concurrency) ?? agents.set(concurrency, new http.Agent({ keepAlive: true, maxSockets: concurrency })).get(concurrency)!;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    [ZOOM_TIMESTAMP_HEADER]: timestamp,
    [ZOOM_SIGNATURE_HEADER]: signZoomRequest(secret, timestamp, body),
  };
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}/zoom/webhook`, { method: 'POST', agent, headers }, (response) => {
      response.resume().on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject).end(body);
  });
}

export type LoadStats = Awaited<ReturnType<typeof load>>;

/**
 * Sends every body, `concurrency` in flight over keep-alive connections; latency is request written
 * to answer read. Several base URLs (instances behind a load balancer): each body goes to the next in turn.
 */
export async function load(baseUrl: string | string[], bodies: string[], options: { secret: string; concurrency: number }) {
  const urls = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const t0 = performance.now();
      if ((await postSigned(urls[i % urls.length]!, bodies[i]!, options.secret, options.concurrency)) !== 200) failed++;
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { events: bodies.length, seconds, perSecond: bodies.length / seconds, ...percentiles(latencies), failed };
}

/** p50, p95, p99 and max of a list of milliseconds (sorted in place). */
export function percentiles(ms: number[]) {
  ms.sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] ?? Number.NaN;
  return { p50: pct(50), p95: pct(95), p99: pct(99), max: pct(100) };
}
