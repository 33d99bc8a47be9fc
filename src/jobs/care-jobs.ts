import { resolvePolicy } from '../core/policy.js';
import { nextWeeklyAt, reminderDueAt } from '../core/weekly-hours.js';
import type { Clock } from '../clock.js';
import type { CareDeps } from '../services/care-deps.js';
import { sendIntake } from '../services/intake.js';
import { makeUpCloseOutStep } from '../services/makeups.js';
import { careCloseOutStep } from '../services/care-close-out.js';
import { deliverParticipantMessage } from '../services/participant-outbox.js';
import { sendSessionReminders } from '../services/reminders.js';
import type { CloseOutStep } from '../services/session-close-out.js';
import { sendWeeklyProgress } from '../services/weekly-progress.js';
import { workEach, type Boss } from './boss.js';

/** The care workflows' durable work (docs/care.md). */
export const CARE_QUEUES = {
  deliver: { name: 'participant.deliver', policy: 'short', retryLimit: 10, retryDelay: 1, retryBackoff: true },
  reminder: { name: 'care.reminder', policy: 'short', retryLimit: 5, retryDelay: 5, retryBackoff: true },
  weekly: { name: 'care.weekly', policy: 'short', retryLimit: 5, retryDelay: 5, retryBackoff: true },
  plan: { name: 'care.plan', policy: 'singleton', retryLimit: 0 },
} as const;

/** Reminders and weekly messages are scheduled this far ahead (app time); the plan runs every minute. */
export const CARE_PLAN_HORIZON_MS = 36 * 3600_000;
/** Messages answer button presses and staff actions: fast. Reminders and weekly messages may run a second or two late. */
const POLLING = { pollingIntervalSeconds: 0.5, batchSize: 5 };
const SLOW_POLLING = { pollingIntervalSeconds: 2, batchSize: 5 };

export interface CareQueues {
  enqueueParticipantMessages(ids: string[]): Promise<void>;
}

export async function createCareQueues(boss: Boss): Promise<CareQueues> {
  for (const queue of Object.values(CARE_QUEUES)) await boss.createQueue(queue.name, { ...queue });
  return {
    async enqueueParticipantMessages(ids) {
      for (const id of ids) await boss.send(CARE_QUEUES.deliver.name, { id }, { singletonKey: id });
    },
  };
}

export interface Care {
  /** Close-out steps: settle make-ups first (the missed session becomes made_up), then follow-ups and warnings. */
  closeOutSteps: CloseOutStep[];
  /** New sessions: schedule their reminders. */
  afterSessionsCreated(ids: string[]): Promise<void>;
  /** A participant enrolled: intake message, weekly progress scheduled. */
  afterEnrolled(input: { organizationId: string; programId: string; participantId: string }): Promise<void>;
  /** Plans the horizon and re-enqueues undelivered participant messages (also every minute). */
  plan(): Promise<void>;
}

const realStart = (clock: Clock, at: Date) => {
  const real = clock.toRealTime(at);
  return real.getTime() > Date.now() ? real : new Date();
};

/**
 * Reminders, weekly progress and outbox delivery as pg-boss jobs. Time is the app clock's: a job
 * starts at the real instant the clock will read its due time (as engine deadlines do), and checks
 * the clock again when it runs; one that woke early waits again.
 */
export async function startCare(deps: CareDeps & { boss: Boss }): Promise<Care> {
  const { boss, prisma, clock, log } = deps;

  await workEach<{ id: string }>(boss, log, CARE_QUEUES.deliver.name, POLLING, async (job) => {
    const result = await deliverParticipantMessage(deps, job.data.id);
    if (result.outcome === 'later') await boss.send(CARE_QUEUES.deliver.name, { id: job.data.id }, { singletonKey: job.data.id, startAfter: result.afterSeconds });
    else if (result.outcome === 'retry') throw new Error(`participant message will be retried: ${result.error}`);
  });

  // Jobs this process already queued: the per-minute plan does not ask pg-boss again (its singleton keys would refuse them anyway).
  const planned = new Set<string>();
  async function scheduleReminder(sessionId: string, due: Date) {
    await boss.send(CARE_QUEUES.reminder.name, { sessionId, at: due.toISOString() }, { singletonKey: `${sessionId}@${due.toISOString()}`, startAfter: realStart(clock, due) });
  }
  await workEach<{ sessionId: string; at: string }>(boss, log, CARE_QUEUES.reminder.name, SLOW_POLLING, async (job) => {
    const due = new Date(job.data.at);
    if (clock.now().getTime() < due.getTime() - 1000) await scheduleReminder(job.data.sessionId, due);
    else await sendSessionReminders(deps, job.data.sessionId);
  });

  async function scheduleWeekly(enrollmentId: string, at: Date) {
    await boss.send(CARE_QUEUES.weekly.name, { enrollmentId, at: at.toISOString() }, { singletonKey: `${enrollmentId}@${at.toISOString()}`, startAfter: realStart(clock, at) });
  }
  await workEach<{ enrollmentId: string; at: string }>(boss, log, CARE_QUEUES.weekly.name, SLOW_POLLING, async (job) => {
    const at = new Date(job.data.at);
    if (clock.now().getTime() < at.getTime() - 1000) await scheduleWeekly(job.data.enrollmentId, at);
    else await sendWeeklyProgress(deps, job.data.enrollmentId);
  });

  async function planReminders(sessions: { id: string; startsAt: Date; policy: unknown }[]) {
    const now = clock.now();
    for (const session of sessions) {
      const due = reminderDueAt(session.startsAt, resolvePolicy(session.policy).reminderMinutesBefore);
      if (!due || session.startsAt <= now) continue;
      // Due already (a session added at short notice, or the app was down): send now; the outbox keeps it to one.
      const key = `reminder:${session.id}@${due.toISOString()}`;
      if (due <= now) await sendSessionReminders(deps, session.id);
      else if (!planned.has(key)) {
        await scheduleReminder(session.id, due);
        planned.add(key);
      }
    }
  }

  async function planWeekly(where: { id?: string }) {
    const now = clock.now();
    const enrollments = await prisma.enrollment.findMany({ where: { status: 'active', ...where }, include: { program: true, participant: true }, take: 5000 });
    for (const enrollment of enrollments) {
      const setting = resolvePolicy(enrollment.program.policy).weeklyProgress;
      if (!setting) continue;
      const at = nextWeeklyAt(setting, enrollment.participant.timezone ?? enrollment.program.timezone, now);
      const key = `weekly:${enrollment.id}@${at.toISOString()}`;
      if (at.getTime() - now.getTime() > CARE_PLAN_HORIZON_MS || planned.has(key)) continue;
      await scheduleWeekly(enrollment.id, at);
      planned.add(key);
    }
  }

  async function plan() {
    const now = clock.now();
    const sessions = await prisma.session.findMany({
      where: { startsAt: { gt: now, lte: new Date(now.getTime() + CARE_PLAN_HORIZON_MS) } },
      include: { program: { select: { policy: true } } },
      take: 2000,
    });
    await planReminders(sessions.map((s) => ({ id: s.id, startsAt: s.startsAt, policy: s.program.policy })));
    await planWeekly({});
    if (planned.size > 100_000) planned.clear();
    // The safety net under "enqueued after commit": rows a crash left pending (compared in real time, like alerts).
    const stuck = await prisma.participantOutboxMessage.findMany({ where: { state: 'pending', updatedAt: { lt: new Date(Date.now() - 20_000) } }, select: { id: true }, take: 500 });
    for (const { id } of stuck) await boss.send(CARE_QUEUES.deliver.name, { id }, { singletonKey: id });
  }
  await boss.work(CARE_QUEUES.plan.name, async () => plan());
  await boss.schedule(CARE_QUEUES.plan.name, '* * * * *', {});
  await boss.send(CARE_QUEUES.plan.name, {});
  log.debug('care workers started');

  return {
    closeOutSteps: [makeUpCloseOutStep(deps), careCloseOutStep(deps)],
    async afterSessionsCreated(ids) {
      const now = clock.now();
      const sessions = await prisma.session.findMany({ where: { id: { in: ids }, startsAt: { gt: now, lte: new Date(now.getTime() + CARE_PLAN_HORIZON_MS) } }, include: { program: { select: { policy: true } } } });
      await planReminders(sessions.map((s) => ({ id: s.id, startsAt: s.startsAt, policy: s.program.policy })));
    },
    async afterEnrolled(input) {
      await sendIntake(deps, input);
      const enrollment = await prisma.enrollment.findFirst({ where: { organizationId: input.organizationId, programId: input.programId, participantId: input.participantId }, select: { id: true } });
      if (enrollment) await planWeekly({ id: enrollment.id });
    },
    plan,
  };
}
