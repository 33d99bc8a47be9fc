/**
 * Throughput of one Rollcall instance against several on the same PostgreSQL (`npm run bench --
 * --instances 2`): the same closed loop as `npm run bench` (20 deliveries in flight), over the
 * people of the first live sessions the scale bench seeded, first to one instance, then spread
 * over all of them in turn (as a load balancer would). Each run ends when every session is
 * evaluated through its last delivery, so evaluation counts as well as the acknowledgement.
 */
import pg from 'pg';
import { load, sleep, watch, type Instance, type Person } from './bench-load.js';
import { zoomBody } from './bench-load.js';

/** Sessions whose people make the load (10 people each: three deliveries per person and run). */
const SESSIONS = Math.max(1, Number(process.env.BENCH_THROUGHPUT_SESSIONS ?? 40) || 40);
const CONCURRENCY = 20;

interface Attendee extends Person { sessionId: string; startsAt: Date }

async function attendees(db: pg.Client): Promise<Attendee[]> {
  const { rows } = await db.query<{ sessionId: string; meetingId: string; startsAt: Date; name: string; email: string; participantId: string }>(
    `SELECT s.id AS "sessionId", s."meetingId", s."startsAt", p.name, p.email, p.id AS "participantId"
     FROM (SELECT * FROM "Session" WHERE "meetingId" LIKE '8%' ORDER BY "meetingId" LIMIT $1) s
     JOIN "Enrollment" e ON e."programId" = s."programId" JOIN "Participant" p ON p.id = e."participantId"`,
    [SESSIONS],
  );
  return rows.map((r) => ({ sessionId: r.sessionId, startsAt: r.startsAt, name: r.name, email: r.email, meetingId: r.meetingId, uuid: r.participantId.toUpperCase() }));
}

/** Everyone joins, then leaves and rejoins `rounds` times a second apart (ending present: no alert), from `offsetS` into the session. */
function deliveries(people: Attendee[], offsetS: number, rounds: number): string[] {
  const at = (p: Attendee, s: number) => new Date(p.startsAt.getTime() + (offsetS + s) * 1000);
  const steps = [(p: Attendee) => zoomBody('joined', p, at(p, 0))];
  for (let k = 1; k <= rounds; k++) steps.push((p) => zoomBody('left', p, at(p, 2 * k - 1)), (p) => zoomBody('joined', p, at(p, 2 * k)));
  return steps.flatMap((step) => people.map(step));
}

/** Seconds until no measured session has a delivery received after its last evaluation. */
async function caughtUp(db: pg.Client, sessionIds: string[], events: number, since: Date) {
  const started = performance.now();
  for (const until = Date.now() + 300_000; Date.now() < until; await sleep(100)) {
    const { rows } = await db.query<{ stored: number; dirty: number }>(
      `SELECT (SELECT count(*)::int FROM "PresenceEvent" WHERE "sessionId" = ANY($1::uuid[]) AND "receivedAt" >= $2) AS stored,
              (SELECT count(*)::int FROM "Session" s WHERE s.id = ANY($1::uuid[]) AND (s."evaluatedAt" IS NULL OR EXISTS (
                 SELECT 1 FROM "PresenceEvent" e WHERE e."sessionId" = s.id AND e."receivedAt" > s."evaluatedAt"))) AS dirty`,
      [sessionIds, since],
    );
    if (rows[0]!.stored >= events && rows[0]!.dirty === 0) return (performance.now() - started) / 1000;
  }
  return Number.NaN;
}

async function run(db: pg.Client, instances: Instance[], secret: string, bodies: string[], sessionIds: string[]) {
  const since = new Date(Date.now() - 1000);
  const stops = instances.map((i) => watch(i.pid));
  const started = performance.now();
  const stats = await load(instances.map((i) => i.url), bodies, { secret, concurrency: CONCURRENCY });
  const caughtUpAfterLastAckS = await caughtUp(db, sessionIds, bodies.length, since);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = stops.reduce((sum, stop) => sum + stop().cpuSeconds, 0);
  return { instances: instances.length, ...stats, caughtUpAfterLastAckS, evaluatedPerSecond: bodies.length / seconds, cpuMsPerEvent: (cpuSeconds * 1000) / bodies.length };
}

export async function compareInstances(url: string, instances: Instance[], secret: string, log: (line: string) => void) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const people = await attendees(db);
    const sessionIds = [...new Set(people.map((p) => p.sessionId))];
    log(`throughput: ${people.length} people of ${sessionIds.length} live sessions; warm-up on every instance...`);
    await run(db, instances, secret, deliveries(people, 60, 0), sessionIds);
    log('throughput: one instance...');
    const one = await run(db, instances.slice(0, 1), secret, deliveries(people, 120, 1), sessionIds);
    log(`throughput: ${instances.length} instances...`);
    const all = await run(db, instances, secret, deliveries(people, 240, 1), sessionIds);
    return { one, all, ackRateRatio: all.perSecond / one.perSecond, evaluatedRateRatio: all.evaluatedPerSecond / one.evaluatedPerSecond };
  } finally {
    await db.end();
  }
}
