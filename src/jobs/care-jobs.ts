import type { CareDeps } from '../services/care-deps.js';
import { findEnrollmentId, planCare, planSessionReminders, planWeeklyProgress, type CareSchedule, type CarePlanState } from '../services/care-planning.js';
import { sendIntake } from '../services/intake.js';
import { makeUpCloseOutStep } from '../services/makeups.js';
import { careCloseOutStep } from '../services/care-close-out.js';
import type { CloseOutStep } from '../services/session-close-out.js';
import { stuckOutboxPages } from '../services/stuck-outbox.js';
import type { Boss } from './boss.js';
import { sendJob } from './send-job.js';
import { workCarePlan } from './workers/care-plan-worker.js';
import { workParticipantDeliveries } from './workers/participant-delivery-worker.js';
import { sendReminderJob, workReminders } from './workers/reminder-worker.js';
import { sendWeeklyJob, workWeeklyProgress } from './workers/weekly-worker.js';

export interface CareQueues {
  enqueueParticipantMessages(ids: string[]): Promise<void>;
}

/** The participant outbox's sends (queues in queues.ts). */
export async function createCareQueues(boss: Boss): Promise<CareQueues> {
  return {
    async enqueueParticipantMessages(ids) {
      for (const id of ids) await sendJob(boss, 'participantDelivery', { id }, { singletonKey: id });
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

/**
 * Reminders, weekly progress and outbox delivery as pg-boss jobs (docs/care.md). Time is the app
 * clock's: a job starts at the real instant the clock will read its due time, and checks the
 * clock again when it runs.
 */
export async function startCare(deps: CareDeps & { boss: Boss }): Promise<Care> {
  const { boss, clock, log } = deps;
  await workParticipantDeliveries(deps);
  await workReminders(deps);
  await workWeeklyProgress(deps);

  // Jobs this process already queued: the per-minute plan does not ask pg-boss again (its singleton keys would refuse them anyway).
  const planned = new Set<string>();
  const once = async (key: string, send: () => Promise<void>) => {
    if (planned.has(key)) return;
    await send();
    planned.add(key);
  };
  const schedule: CareSchedule = {
    reminder: (sessionId, due) => once(`reminder:${sessionId}@${due.toISOString()}`, () => sendReminderJob(boss, clock, sessionId, due)),
    weekly: (enrollmentId, at) => once(`weekly:${enrollmentId}@${at.toISOString()}`, () => sendWeeklyJob(boss, clock, enrollmentId, at)),
  };

  const planState: CarePlanState = {};
  async function plan() {
    await planCare(deps, schedule, planState);
    if (planned.size > 100_000) planned.clear();
    // The safety net under "enqueued after commit", as the engine sweep's for alerts.
    for await (const ids of stuckOutboxPages(deps.prisma, 'participant')) {
      for (const id of ids) await sendJob(boss, 'participantDelivery', { id }, { singletonKey: id });
    }
  }
  await workCarePlan({ boss, log, plan });
  log.debug('care workers started');

  return {
    closeOutSteps: [makeUpCloseOutStep(deps), careCloseOutStep(deps)],
    afterSessionsCreated: (ids) => planSessionReminders(deps, schedule, ids),
    async afterEnrolled(input) {
      await sendIntake(deps, input);
      const enrollmentId = await findEnrollmentId(deps, input);
      if (enrollmentId) await planWeeklyProgress(deps, schedule, enrollmentId);
    },
    plan,
  };
}
