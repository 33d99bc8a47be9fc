import { resolvePolicy, type Policy } from '../core/policy.js';
import { nextWeeklyAt, reminderDueAt } from '../core/weekly-hours.js';
import type { Db } from '../db/database.js';
import type { CareDeps } from './care-deps.js';
import { sendSessionReminders } from './reminders.js';

/** Reminders and weekly messages are scheduled this far ahead (app time); the plan runs every minute. */
export const CARE_PLAN_HORIZON_MS = 36 * 3600_000;

/** Where the plan puts what is due later: durable jobs that run at an app-clock instant. */
export interface CareSchedule {
  reminder(sessionId: string, due: Date): Promise<void>;
  weekly(enrollmentId: string, at: Date): Promise<void>;
}

/**
 * What this process's per-minute plan has covered: the horizon's end it planned through (app time)
 * and when it last looked for changed programs and participants (wall clock, as `updatedAt` is).
 * Each process keeps its own: a plan run by another instance meanwhile only widens the next window.
 */
export interface CarePlanState {
  through?: Date;
  changesCheckedAt?: Date;
}

/** A change committed this long after its `updatedAt` was stamped is still seen (one more replan at most). */
const COMMIT_MARGIN_MS = 5_000;
const PAGE = 1000;
const FIRST_UUID = '00000000-0000-0000-0000-000000000000';

interface Window {
  from: Date;
  to: Date;
}

/** Every row a keyset query gives, a page at a time in id order: never a silent cap. */
async function* pages<T extends { id: string }>(read: (after: string, take: number) => Promise<T[]>): AsyncGenerator<T[]> {
  for (let after = FIRST_UUID; ; ) {
    const rows = await read(after, PAGE);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * The per-minute plan. Jobs already scheduled are durable (pg-boss), so a run only plans what
 * entered the horizon since the last one (sessions starting, weekly instants falling in
 * `(through, now + horizon]`), plus everything of a program or participant changed since (policy,
 * time zone). The first run, or one after the app clock jumped, plans the whole horizon.
 */
export async function planCare(deps: CareDeps, schedule: CareSchedule, state: CarePlanState): Promise<void> {
  const now = deps.clock.now();
  const to = new Date(now.getTime() + CARE_PLAN_HORIZON_MS);
  const resume = state.through && state.through >= now && state.through <= to;
  const window = { from: resume ? state.through! : now, to };
  const checkedAt = new Date();
  await planSessionReminders(deps, schedule, undefined, window);
  await planWeeklyWindow(deps, schedule, window);
  if (resume && state.changesCheckedAt) await planChanged(deps, schedule, new Date(state.changesCheckedAt.getTime() - COMMIT_MARGIN_MS), { from: now, to });
  state.through = to;
  state.changesCheckedAt = checkedAt;
}

async function planReminder(deps: CareDeps, schedule: CareSchedule, session: { id: string; startsAt: Date; program: { policy: unknown } }, now: Date) {
  const due = reminderDueAt(session.startsAt, resolvePolicy(session.program.policy).reminderMinutesBefore);
  if (!due) return;
  if (due <= now) await sendSessionReminders(deps, session.id);
  else await schedule.reminder(session.id, due);
}

/**
 * Session reminders for the sessions starting in `window` (default: within the horizon), or only
 * `sessionIds`: one due already (a session added at short notice, or the app was down) is sent
 * now; the outbox keeps it to one. The others are scheduled.
 */
export async function planSessionReminders(deps: CareDeps, schedule: CareSchedule, sessionIds?: string[], window?: Window, programChangedSince?: Date): Promise<void> {
  const now = deps.clock.now();
  const { from, to } = window ?? { from: now, to: new Date(now.getTime() + CARE_PLAN_HORIZON_MS) };
  const sessions = pages((after, take) =>
    deps.prisma.session.findMany({
      where: {
        id: { gt: after, ...(sessionIds ? { in: sessionIds } : {}) },
        startsAt: { gt: from, lte: to },
        ...(programChangedSince ? { program: { updatedAt: { gt: programChangedSince } } } : {}),
      },
      select: { id: true, startsAt: true, program: { select: { policy: true } } },
      orderBy: { id: 'asc' },
      take,
    }),
  );
  for await (const page of sessions) for (const session of page) await planReminder(deps, schedule, session, now);
}

type Enrollment = { id: string; program: { policy: unknown; timezone: string }; participant: { timezone: string | null } };
const enrollmentSelect = { id: true, program: { select: { policy: true, timezone: true } }, participant: { select: { timezone: true } } } as const;

async function planEnrollment(schedule: CareSchedule, enrollment: Enrollment, window: Window) {
  const setting = resolvePolicy(enrollment.program.policy).weeklyProgress;
  if (!setting) return;
  const at = nextWeeklyAt(setting, enrollment.participant.timezone ?? enrollment.program.timezone, window.from);
  if (at <= window.to) await schedule.weekly(enrollment.id, at);
}

/** Weekly progress due within the horizon for one enrollment (just enrolled). */
export async function planWeeklyProgress(deps: CareDeps, schedule: CareSchedule, enrollmentId: string): Promise<void> {
  const now = deps.clock.now();
  const enrollment = await deps.prisma.enrollment.findFirst({ where: { id: enrollmentId, status: 'active' }, select: enrollmentSelect });
  if (enrollment) await planEnrollment(schedule, enrollment, { from: now, to: new Date(now.getTime() + CARE_PLAN_HORIZON_MS) });
}

/**
 * Weekly progress whose instant falls in `window`. The instant depends only on the program's
 * setting and the participant's zone, so it is worked out per (program, zone) and only the
 * enrollments of the pairs that are due are read.
 */
async function planWeeklyWindow(deps: CareDeps, schedule: CareSchedule, window: Window): Promise<void> {
  const { prisma } = deps;
  const zones = (await prisma.participant.findMany({ where: { timezone: { not: null } }, distinct: ['timezone'], select: { timezone: true } })).map((p) => p.timezone!);
  const settings = new Map<string, Policy['weeklyProgress']>();
  const instants = new Map<string, Date | null>();
  const dueIn = (setting: NonNullable<Policy['weeklyProgress']>, zone: string) => {
    const key = `${setting.weekday} ${setting.time} ${zone}`;
    if (!instants.has(key)) {
      const at = nextWeeklyAt(setting, zone, window.from);
      instants.set(key, at <= window.to ? at : null);
    }
    return instants.get(key)!;
  };
  const programs = pages((after, take) => prisma.program.findMany({ where: { id: { gt: after } }, select: { id: true, policy: true, timezone: true }, orderBy: { id: 'asc' }, take }));
  for await (const page of programs) {
    for (const program of page) {
      const policyKey = JSON.stringify(program.policy);
      if (!settings.has(policyKey)) settings.set(policyKey, resolvePolicy(program.policy).weeklyProgress);
      const setting = settings.get(policyKey);
      if (!setting) continue;
      for (const zone of new Set([program.timezone, ...zones])) {
        const at = dueIn(setting, zone);
        if (at) await scheduleZone(prisma, schedule, { programId: program.id, zone, programZone: zone === program.timezone }, at);
      }
    }
  }
}

/** The active enrollments of a program whose participants read the time in `zone` (their own, else the program's). */
async function scheduleZone(prisma: Db, schedule: CareSchedule, where: { programId: string; zone: string; programZone: boolean }, at: Date) {
  const participant = where.programZone ? { OR: [{ timezone: null }, { timezone: where.zone }] } : { timezone: where.zone };
  const enrollments = pages((after, take) =>
    prisma.enrollment.findMany({ where: { id: { gt: after }, programId: where.programId, status: 'active', participant }, select: { id: true }, orderBy: { id: 'asc' }, take }),
  );
  for await (const page of enrollments) for (const { id } of page) await schedule.weekly(id, at);
}

/** A program or participant changed since the last run (policy, time zone): its whole horizon again. */
async function planChanged(deps: CareDeps, schedule: CareSchedule, since: Date, window: Window): Promise<void> {
  await planSessionReminders(deps, schedule, undefined, window, since);
  const enrollments = pages((after, take) =>
    deps.prisma.enrollment.findMany({
      where: { id: { gt: after }, status: 'active', OR: [{ program: { updatedAt: { gt: since } } }, { participant: { updatedAt: { gt: since } } }] },
      select: enrollmentSelect,
      orderBy: { id: 'asc' },
      take,
    }),
  );
  for await (const page of enrollments) for (const enrollment of page) await planEnrollment(schedule, enrollment, window);
}

/** The enrollment a participant was just given in a program, if any. */
export async function findEnrollmentId(deps: Pick<CareDeps, 'prisma'>, input: { organizationId: string; programId: string; participantId: string }): Promise<string | null> {
  const enrollment = await deps.prisma.enrollment.findFirst({ where: input, select: { id: true } });
  return enrollment?.id ?? null;
}
