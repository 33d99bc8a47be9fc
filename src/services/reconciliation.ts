import type { Logger } from 'pino';
import { reconciliationChanges, reportEvents, type ReportedStay, type ReportSourceName } from '../core/reconciliation.js';
import type { Platform } from '../core/presence-event.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../clock.js';
import { writeAudit } from './audit.js';
import { presenceEventRow } from './presence/presence-row.js';
import type { SessionEvaluator } from './session-evaluator.js';

export interface ReportSession {
  id: string;
  organizationId: string;
  meetingId: string;
  meetingInstanceId: string | null;
  startsAt: Date;
  endsAt: Date;
}

export type ReportFetch =
  | { status: 'ready'; stays: ReportedStay[] }
  /** Not published yet (Teams: up to about two hours): ask again later. */
  | { status: 'not_ready' }
  /** Will never come: no credentials for this account, a plan without reports, a channel meeting... */
  | { status: 'unavailable'; reason: string };

/** A platform's post-meeting attendance report (platforms/<name>/ implement it). */
export interface AttendanceReportSource {
  platform: Platform;
  name: ReportSourceName;
  /** How long after the session's end to ask first. */
  firstAttemptAfterMs: number;
  fetch(session: ReportSession): Promise<ReportFetch>;
}

export interface ReconciliationDeps {
  prisma: Db;
  clock: Clock;
  log: Logger;
  evaluator: SessionEvaluator;
}

/**
 * Merges a post-meeting report into a session's record: its rows are stored as presence facts
 * (`source: report`, once each), the session is evaluated again (a correction when it was already
 * final: a No-show alert for someone the report shows present resolves), and the session keeps
 * what changed. Running it twice changes nothing more.
 */
export async function reconcileSession(deps: ReconciliationDeps, source: Pick<AttendanceReportSource, 'platform' | 'name'>, session: ReportSession, stays: ReportedStay[]) {
  const { prisma } = deps;
  const snapshot = async () =>
    (await prisma.attendance.findMany({ where: { sessionId: session.id }, select: { participantId: true, status: true, minutesPresent: true } })) ?? [];
  const before = await snapshot();
  const events = reportEvents(source.platform, source.name, session, stays);
  const { count } = await prisma.presenceEvent.createMany({
    skipDuplicates: true,
    data: events.map((event) => presenceEventRow(event, { organizationId: session.organizationId, sessionId: session.id }, 'report')),
  });
  await deps.evaluator.evaluate(session.id);
  const changes = reconciliationChanges(before, await snapshot());
  const now = deps.clock.now();
  await prisma.$transaction(async (tx) => {
    const current = await tx.session.findUniqueOrThrow({ where: { id: session.id }, select: { reconciliation: true } });
    const previous = (current.reconciliation ?? {}) as { changes?: unknown[] };
    const allChanges = [...(Array.isArray(previous.changes) ? previous.changes : []), ...changes];
    await tx.session.update({
      where: { id: session.id },
      data: { reconciledAt: now, reconciliation: { status: 'reconciled', source: source.name, reportRows: stays.length, factsAdded: count, changes: allChanges as never } },
    });
    if (changes.length > 0) {
      await writeAudit(tx, { organizationId: session.organizationId, actor: 'system', action: 'session.reconcile', entityType: 'Session', entityId: session.id, data: { source: source.name, changes: changes as never } });
    }
  });
  deps.log.info({ sessionId: session.id, source: source.name, rows: stays.length, factsAdded: count, changed: changes.length }, 'session reconciled');
  return { factsAdded: count, changes };
}

/** Notes that no report will come, so the record says why nothing was reconciled. */
export async function recordReconciliationUnavailable(prisma: Db, sessionId: string, source: ReportSourceName, reason: string): Promise<void> {
  await prisma.session.update({ where: { id: sessionId }, data: { reconciliation: { status: 'unavailable', source, reason } } });
}
