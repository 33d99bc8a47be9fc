/**
 * The top-of-the-hour burst of `npm run bench -- --scale N` (issue 16): N more groups whose sessions
 * all start within one minute. Everyone but one per group joins, through the real Zoom webhook
 * route with real signatures, at their own moment between 3 minutes before and 2 minutes after
 * their start (an open loop: a delivery is sent at its time whether or not earlier ones are
 * answered, as Zoom does); the last one never comes, so every session has one `Not joined` at its
 * deadline (start + 5 minutes). Measures every acknowledgement (from the moment the delivery was
 * due to its answer) and, for every session, the delay from its deadline to its `Not joined` line
 * on an instance's console, and counts any deadline alerted more than once.
 */
import pg from 'pg';
import { percentiles, person, postSigned, sleep, zoomBody, type Instance, type Person } from './bench-load.js';

const MINUTE = 60_000;
/** BENCH_BURST_QUICK=1: a one-minute deadline and joins within a minute of the start, to try the bench out. */
const QUICK = process.env.BENCH_BURST_QUICK === '1';
const NO_SHOW_MINUTES = QUICK ? 1 : 5;
const JOIN_FROM_MS = QUICK ? -30_000 : -3 * MINUTE;
const JOIN_SPAN_MS = QUICK ? 50_000 : 5 * MINUTE;
/** How long after seeding the first session starts: its first joins come JOIN_FROM_MS before. */
export const BURST_LEAD_MS = 30_000 - JOIN_FROM_MS;
/** Sockets per instance the sender may hold open: Zoom's deliveries arrive on many connections. */
const SOCKETS = 256;

export interface BurstGroup { startsAt: Date; deadline: Date; present: Person[]; absent: Person }

/**
 * N programs of `people` enrolled participants and one session each, starting over one minute from
 * `first`, in organization `org` (the one Zoom deliveries without a known account go to); set-based SQL.
 */
export async function seedBurst(url: string, org: string, groups: number, people: number, first: Date): Promise<BurstGroup[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const policy = { noShowAfterMinutes: NO_SHOW_MINUTES, lateAfterMinutes: Math.min(5, NO_SHOW_MINUTES), nameDisplay: 'full', reminderMinutesBefore: 0, weeklyProgress: null };
    // One alert channel per program, as clinics set them up.
    await db.query(
      `INSERT INTO "Program"(id, "organizationId", name, timezone, policy, "alertPlatform", "alertChannelId", "updatedAt")
       SELECT gen_random_uuid(), $1, 'Burst ' || g, 'America/New_York', $3, 'slack', 'C-BURST-' || g, now() FROM generate_series(1, $2) g`,
      [org, groups, policy],
    );
    await db.query(
      `WITH people AS (SELECT p.id AS program_id, substr(p.name, 7)::int AS g, k, gen_random_uuid() AS id FROM "Program" p, generate_series(1, $2) k WHERE p."organizationId" = $1 AND p.name LIKE 'Burst %'),
       added AS (INSERT INTO "Participant"(id, "organizationId", name, email, "updatedAt") SELECT id, $1, 'Burst' || g || ' P' || k, 'burst' || g || '.p' || k || '@bench.example', now() FROM people RETURNING id)
       INSERT INTO "Enrollment"(id, "organizationId", "programId", "participantId", "enrolledAt") SELECT gen_random_uuid(), $1, program_id, id, now() - interval '30 days' FROM people`,
      [org, people],
    );
    // Starts spread evenly over one minute; not evaluated yet, as the admin API leaves a new session.
    await db.query(
      `INSERT INTO "Session"(id, "organizationId", "programId", "startsAt", "endsAt", "meetingPlatform", "meetingId")
       SELECT gen_random_uuid(), $1, p.id, $3::timestamptz + (substr(p.name, 7)::int - 1) * (60000.0 / $2)::float8 * interval '1 millisecond',
              $3::timestamptz + interval '90 minutes', 'zoom', (60000000000 + substr(p.name, 7)::int)::text
       FROM "Program" p WHERE p."organizationId" = $1 AND p.name LIKE 'Burst %'`,
      [org, groups, first],
    );
    await db.query('ANALYZE');
    const starts = await db.query<{ g: number; startsAt: Date }>(
      `SELECT ("meetingId"::bigint - 60000000000)::int AS g, "startsAt" FROM "Session" WHERE "organizationId" = $1 AND "meetingId" LIKE '6%'`,
      [org],
    );
    return starts.rows.map(({ g, startsAt }) => {
      const meetingId = String(60000000000 + g);
      const who = Array.from({ length: people }, (_, k) => ({ ...person(`Burst${g} P${k + 1}`, meetingId), email: `burst${g}.p${k + 1}@bench.example` }));
      return { startsAt, deadline: new Date(startsAt.getTime() + NO_SHOW_MINUTES * MINUTE), present: who.slice(0, -1), absent: who.at(-1)! };
    });
  } finally {
    await db.end();
  }
}

/** Every join at its moment, spread over the instances in turn; resolves with each ack's latency from its due time. */
async function sendJoins(instances: Instance[], secret: string, groups: BurstGroup[]) {
  const joins = groups
    .flatMap((g) => g.present.map((who) => ({ who, at: g.startsAt.getTime() + JOIN_FROM_MS + Math.random() * JOIN_SPAN_MS })))
    .sort((a, b) => a.at - b.at);
  const latencies: number[] = [];
  let failed = 0;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < joins.length; i++) {
    const join = joins[i]!;
    const wait = join.at - Date.now();
    if (wait > 0) await sleep(wait);
    const url = instances[i % instances.length]!.url;
    pending.push(
      postSigned(url, zoomBody('joined', join.who, new Date(join.at)), secret, SOCKETS).then(
        (status) => void (status === 200 ? latencies.push(Date.now() - join.at) : failed++),
        () => void failed++,
      ),
    );
  }
  await Promise.all(pending);
  return { joins: joins.length, failed, ...percentiles(latencies), over1s: latencies.filter((ms) => ms > 1000).length };
}

/** `Not joined: <name> ·` lines of every instance: when each name was first posted, and how often. */
function notJoinedLines(instances: Instance[]) {
  const posted = new Map<string, { first: number; count: number }>();
  for (const instance of instances) {
    for (const line of instance.lines) {
      const name = /Not joined: (Burst\d+ P\d+) ·/.exec(line.text)?.[1];
      if (!name) continue;
      const seen = posted.get(name);
      if (seen) Object.assign(seen, { first: Math.min(seen.first, line.at), count: seen.count + 1 });
      else posted.set(name, { first: line.at, count: 1 });
    }
  }
  return posted;
}

export async function runBurst(instances: Instance[], secret: string, groups: BurstGroup[], log: (line: string) => void) {
  log(`burst: ${groups.length} sessions start within one minute; ${groups.reduce((n, g) => n + g.present.length, 0)} joins from ${-JOIN_FROM_MS / 1000} s before to ${(JOIN_FROM_MS + JOIN_SPAN_MS) / 1000} s after each start...`);
  const acks = await sendJoins(instances, secret, groups);
  log(`burst: joins sent (ack p99 ${acks.p99.toFixed(0)} ms, max ${acks.max.toFixed(0)} ms); waiting for the Not joined alerts...`);
  const lastDeadline = Math.max(...groups.map((g) => g.deadline.getTime()));
  const waitUntil = lastDeadline + Number(process.env.BENCH_BURST_GRACE_S ?? 120) * 1000;
  while (Date.now() < waitUntil && notJoinedLines(instances).size < groups.length) await sleep(500);
  await sleep(3000); // a duplicate posted by another instance would come within seconds
  const posted = notJoinedLines(instances);
  const delays = groups.map((g) => (posted.get(g.absent.name)?.first ?? Number.NaN) - g.deadline.getTime());
  const found = delays.filter((d) => !Number.isNaN(d));
  const duplicates = [...posted.values()].reduce((n, p) => n + p.count - 1, 0);
  if (found.length < groups.length) {
    const tail = instances.flatMap((i) => i.lines.slice(-15).map((l) => `${i.pid}: ${l.text}`));
    log(`burst: ${groups.length - found.length} Not joined missing; the instances' last lines:\n${tail.join('\n')}`);
  }
  return {
    sessions: groups.length,
    acks,
    notJoined: { posted: found.length, missing: groups.length - found.length, duplicates, over5s: found.filter((d) => d > 5000).length, ...percentiles(found) },
  };
}
