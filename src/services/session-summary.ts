import type { Db } from '../db/database.js';
import { createAlertOnce } from './alerts/alert-outbox.js';
import type { CloseOutStep } from './session-close-out.js';

/** Counts of one finished session, staff overrides winning over what was detected. Counts only: no names. */
export interface SessionSummaryCounts {
  present: number;
  late: number;
  leftEarly: number;
  /** Present or late, but for less than the policy's share of the session (a flag, not a status). */
  shortStay: number;
  noShow: number;
  excused: number;
  madeUp: number;
  openFollowUps: number;
}

export async function summarizeSession(prisma: Db, organizationId: string, sessionId: string, programId: string): Promise<SessionSummaryCounts> {
  const rows = await prisma.attendance.findMany({ where: { organizationId, sessionId }, select: { status: true, flags: true, overrideStatus: true } });
  const counts: SessionSummaryCounts = { present: 0, late: 0, leftEarly: 0, shortStay: 0, noShow: 0, excused: 0, madeUp: 0, openFollowUps: 0 };
  for (const row of rows) {
    const status = row.overrideStatus ?? row.status;
    // A staff override is a decision about the whole session: the detected flags no longer speak for it.
    const flags = row.overrideStatus ? [] : row.flags;
    if (status === 'present' || status === 'late') counts.present++;
    if (status === 'late' || (status === 'present' && flags.includes('late'))) counts.late++;
    if ((status === 'present' || status === 'late') && flags.includes('left_early')) counts.leftEarly++;
    if ((status === 'present' || status === 'late') && flags.includes('short_stay')) counts.shortStay++;
    if (status === 'no_show') counts.noShow++;
    if (status === 'excused') counts.excused++;
    if (status === 'made_up') counts.madeUp++;
  }
  counts.openFollowUps = await prisma.followUp.count({ where: { organizationId, programId, state: 'open' } });
  return counts;
}

/**
 * A `Session summary` in the program's channel once the session is final: one per session (the
 * alert's unique key on session, subject and topic keeps a retried close-out from posting twice).
 */
export function sessionSummaryStep(deps: { prisma: Db; enqueueDeliveries(alertIds: string[]): Promise<void> }): CloseOutStep {
  return {
    name: 'session-summary',
    async run(sessionId) {
      const { prisma } = deps;
      const session = await prisma.session.findUnique({ where: { id: sessionId }, include: { program: true } });
      if (!session) return;
      const existing = await prisma.alert.findFirst({ where: { sessionId, subjectKey: 'session', topic: 'summary' }, select: { id: true } });
      if (existing) return;
      const counts = await summarizeSession(prisma, session.organizationId, sessionId, session.programId);
      const alertId = await createAlertOnce(prisma, {
        organizationId: session.organizationId,
        sessionId,
        programId: session.programId,
        subjectKey: 'session',
        topic: 'summary',
        kind: 'session_summary',
        detail: { ...counts },
        platform: session.program.alertPlatform,
        channelId: session.program.alertChannelId,
      });
      if (alertId) await deps.enqueueDeliveries([alertId]);
    },
  };
}
