import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import type { CareDeps } from '../../src/services/care-deps.js';
import { CARE_PLAN_HORIZON_MS, planCare, type CarePlanState, type CareSchedule } from '../../src/services/care-planning.js';
import { createTestDatabase } from '../support/test-database.js';

/**
 * The per-minute care plan past its old silent caps (2,000 sessions, 5,000 enrollments a run), and
 * its cost at rest: once planned, a run reads no session or enrollment until something is due.
 * Rows are seeded with SQL to keep the file fast; the plan runs against real PostgreSQL.
 */
const SESSIONS = 2_100;
const ENROLLED = 5_100;
const MINUTE = 60_000;
let now = new Date('2026-03-02T12:00:00Z'); // a Monday; weekly progress is Tuesday 09:00
const clock = { now: () => now, toRealTime: (at: Date) => at };

let prisma: Db;
let sql: pg.Client;
let organizationId: string;
const rowsRead = { session: 0, enrollment: 0 };

/** Runs the plan once with a schedule that records what it was asked to schedule. */
async function runPlan(state: CarePlanState) {
  const reminders = new Map<string, Date>();
  const weekly = new Map<string, Date>();
  const schedule: CareSchedule = {
    reminder: async (id, due) => void reminders.set(id, due),
    weekly: async (id, at) => void weekly.set(id, at),
  };
  const deps = { prisma, clock, log: createLogger('silent') } as unknown as CareDeps;
  rowsRead.session = rowsRead.enrollment = 0;
  await planCare(deps, schedule, state);
  return { reminders, weekly, read: { ...rowsRead } };
}

beforeAll(async () => {
  const url = await createTestDatabase();
  const base = createPrisma(url);
  // Counts the rows the plan reads, to show a run at rest reads none.
  prisma = base.$extends({
    query: {
      session: { findMany: async ({ args, query }) => { const rows = await query(args); rowsRead.session += rows.length; return rows; } },
      enrollment: { findMany: async ({ args, query }) => { const rows = await query(args); rowsRead.enrollment += rows.length; return rows; } },
    },
  }) as unknown as Db;
  sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const q = async (text: string, values: unknown[] = []) => (await sql.query(text, values)).rows;
  organizationId = (await q(`INSERT INTO "Organization"(id, name, "updatedAt") VALUES (gen_random_uuid(), 'Big Clinic', now()) RETURNING id`))[0].id;
  // Rows last changed an hour ago: the plan's change check has nothing to pick up.
  const program = async (name: string, policy: object) =>
    (await q(`INSERT INTO "Program"(id, "organizationId", name, timezone, policy, "alertPlatform", "alertChannelId", "updatedAt") VALUES (gen_random_uuid(), $1, $2, 'America/New_York', $3, 'slack', 'C1', now() - interval '1 hour') RETURNING id`, [organizationId, name, policy]))[0].id as string;
  const busy = await program('Adult IOP', { reminderMinutesBefore: 30, weeklyProgress: { weekday: 2, time: '09:00' } });
  const quiet = await program('Quiet group', { reminderMinutesBefore: 0, weeklyProgress: null });
  // Sessions every 50 s from an hour ahead (the last starts about 30 h ahead), and one in the quiet program.
  await q(
    `INSERT INTO "Session"(id, "organizationId", "programId", "startsAt", "endsAt", "meetingPlatform", "meetingId")
     SELECT gen_random_uuid(), $1, $2, $3::timestamptz + interval '1 hour' + g * interval '50 seconds', $3::timestamptz + interval '2 hours' + g * interval '50 seconds', 'zoom', (84000000000 + g)::text
     FROM generate_series(1, $4) g`,
    [organizationId, busy, now, SESSIONS],
  );
  await q(`INSERT INTO "Session"(id, "organizationId", "programId", "startsAt", "endsAt", "meetingPlatform", "meetingId") VALUES (gen_random_uuid(), $1, $2, $3, $4, 'zoom', '85000000001')`, [organizationId, quiet, new Date(now.getTime() + 5 * 3600_000), new Date(now.getTime() + 6 * 3600_000)]);
  // ENROLLED people in the program's zone, 3 in Los Angeles, 2 who left, 1 in the quiet program.
  const enrol = (programId: string, count: number, zone: string | null, status: string) =>
    q(
      `WITH people AS (SELECT gen_random_uuid() AS id, g FROM generate_series(1, $3) g),
       added AS (INSERT INTO "Participant"(id, "organizationId", name, timezone, "updatedAt") SELECT id, $1, 'Person ' || g, $4, now() - interval '1 hour' FROM people RETURNING id)
       INSERT INTO "Enrollment"(id, "organizationId", "programId", "participantId", status) SELECT gen_random_uuid(), $1, $2, id, $5 FROM people`,
      [organizationId, programId, count, zone, status],
    );
  await enrol(busy, ENROLLED, null, 'active');
  await enrol(busy, 3, 'America/Los_Angeles', 'active');
  await enrol(busy, 2, null, 'withdrawn');
  await enrol(quiet, 1, null, 'active');
  await q('ANALYZE');
}, 60_000);
afterAll(async () => {
  await sql?.end();
  await prisma?.$disconnect();
});

describe('the care plan', () => {
  const state: CarePlanState = {};

  it('plans every reminder and weekly message within the horizon, past the old caps', async () => {
    const first = await runPlan(state);
    expect(first.reminders.size).toBe(SESSIONS);
    const sessions = await prisma.session.findMany({ where: { meetingId: { startsWith: '84' } }, select: { id: true, startsAt: true } });
    for (const s of sessions) expect(first.reminders.get(s.id)).toEqual(new Date(s.startsAt.getTime() - 30 * MINUTE));

    expect(first.weekly.size).toBe(ENROLLED + 3);
    const at = [...first.weekly.values()].map((d) => d.toISOString());
    // Tuesday 09:00 in New York (EST) and, for the three who set their own zone, in Los Angeles (PST).
    expect(at.filter((d) => d === '2026-03-03T14:00:00.000Z')).toHaveLength(ENROLLED);
    expect(at.filter((d) => d === '2026-03-03T17:00:00.000Z')).toHaveLength(3);
  }, 60_000);

  it('reads no session or enrollment a minute later, when nothing entered the horizon', async () => {
    now = new Date(now.getTime() + MINUTE);
    const quiet = await runPlan(state);
    expect(quiet.reminders.size + quiet.weekly.size).toBe(0);
    expect(quiet.read).toEqual({ session: 0, enrollment: 0 });
  });

  it('plans a session as it enters the horizon, and a program whose policy changed', async () => {
    const program = await prisma.program.findFirstOrThrow({ where: { organizationId, name: 'Adult IOP' } });
    const entering = await prisma.session.create({
      data: { organizationId, programId: program.id, startsAt: new Date(now.getTime() + CARE_PLAN_HORIZON_MS + 30_000), endsAt: new Date(now.getTime() + CARE_PLAN_HORIZON_MS + 90 * MINUTE), meetingPlatform: 'zoom', meetingId: '86000000001' },
    });
    const quietProgram = await prisma.program.findFirstOrThrow({ where: { organizationId, name: 'Quiet group' } });
    await prisma.program.update({ where: { id: quietProgram.id }, data: { policy: { reminderMinutesBefore: 60, weeklyProgress: null } } });
    const quietSession = await prisma.session.findFirstOrThrow({ where: { programId: quietProgram.id } });

    now = new Date(now.getTime() + MINUTE);
    const next = await runPlan(state);
    expect([...next.reminders.keys()].sort()).toEqual([entering.id, quietSession.id].sort());
    expect(next.reminders.get(quietSession.id)).toEqual(new Date(quietSession.startsAt.getTime() - 60 * MINUTE));
    expect(next.weekly.size).toBe(0);
  });
});
