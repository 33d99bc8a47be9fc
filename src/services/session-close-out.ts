import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { recordedAs } from '../core/session-evaluation.js';

/**
 * One piece of work after a session is finalized: the session summary, strikes and reviews, the
 * caring message after a no-show, the post-meeting report. Each step must be idempotent: a failed
 * close-out is retried from the first step, and the sweep re-enqueues any session not closed out.
 */
export interface CloseOutStep {
  name: string;
  /** Writes to participants: skipped for a session entered after it ended (history). */
  messagesParticipants?: boolean;
  run(sessionId: string): Promise<void>;
}

/**
 * Sessions that ended longer ago than this are recorded, not closed out: a clinic back-filling last
 * month's record must not send anyone "we missed you today".
 */
export const CLOSE_OUT_HORIZON_MS = 2 * 24 * 3600_000;

/** Runs every step in order, then marks the session closed out. A step's error fails the job (pg-boss retries it). */
export async function closeOutSession(deps: { prisma: Db; clock: Clock; log: Logger; steps: readonly CloseOutStep[] }, sessionId: string): Promise<void> {
  const session = await deps.prisma.session.findUnique({ where: { id: sessionId }, select: { finalizedAt: true, closedOutAt: true, endsAt: true, createdAt: true, importedAt: true } });
  if (!session?.finalizedAt || session.closedOutAt) return;
  const recent = session.endsAt.getTime() >= deps.clock.now().getTime() - CLOSE_OUT_HORIZON_MS;
  // History (entered after it ended) messages no one; an imported session runs nothing: the import
  // recounts strikes once and posts one summary for all it imported (services/report-imports/).
  const recorded = recordedAs(session);
  const steps = !recent || recorded === 'imported' ? [] : recorded === 'history' ? deps.steps.filter((step) => !step.messagesParticipants) : deps.steps;
  for (const step of steps) {
    try {
      await step.run(sessionId);
    } catch (error) {
      deps.log.error({ err: error, sessionId, step: step.name }, 'session close-out step failed');
      throw error;
    }
  }
  await deps.prisma.session.update({ where: { id: sessionId }, data: { closedOutAt: deps.clock.now() } });
  deps.log.info({ sessionId, steps: steps.length }, 'session closed out');
}
