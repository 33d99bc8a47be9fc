import { resolvePolicy } from '../core/policy.js';
import { nextWeeklyAt, reminderDueAt } from '../core/weekly-hours.js';
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
 * Session reminders for the sessions starting within the horizon (or only `sessionIds`): one due
 * already (a session added at short notice, or the app was down) is sent now; the outbox keeps it
 * to one. The others are scheduled.
 */
export async function planSessionReminders(deps: CareDeps, schedule: CareSchedule, sessionIds?: string[]): Promise<void> {
  const now = deps.clock.now();
  const sessions = await deps.prisma.session.findMany({
    where: { ...(sessionIds ? { id: { in: sessionIds } } : {}), startsAt: { gt: now, lte: new Date(now.getTime() + CARE_PLAN_HORIZON_MS) } },
    include: { program: { select: { policy: true } } },
    take: 2000,
  });
  for (const session of sessions) {
    const due = reminderDueAt(session.startsAt, resolvePolicy(session.program.policy).reminderMinutesBefore);
    if (!due) continue;
    if (due <= now) await sendSessionReminders(deps, session.id);
    else await schedule.reminder(session.id, due);
  }
}

/** Weekly progress messages due within the horizon, for every active enrollment (or only `enrollmentId`). */
export async function planWeeklyProgress(deps: CareDeps, schedule: CareSchedule, enrollmentId?: string): Promise<void> {
  const now = deps.clock.now();
  const enrollments = await deps.prisma.enrollment.findMany({ where: { status: 'active', ...(enrollmentId ? { id: enrollmentId } : {}) }, include: { program: true, participant: true }, take: 5000 });
  for (const enrollment of enrollments) {
    const setting = resolvePolicy(enrollment.program.policy).weeklyProgress;
    if (!setting) continue;
    const at = nextWeeklyAt(setting, enrollment.participant.timezone ?? enrollment.program.timezone, now);
    if (at.getTime() - now.getTime() <= CARE_PLAN_HORIZON_MS) await schedule.weekly(enrollment.id, at);
  }
}

/** The enrollment a participant was just given in a program, if any. */
export async function findEnrollmentId(deps: Pick<CareDeps, 'prisma'>, input: { organizationId: string; programId: string; participantId: string }): Promise<string | null> {
  const enrollment = await deps.prisma.enrollment.findFirst({ where: input, select: { id: true } });
  return enrollment?.id ?? null;
}
