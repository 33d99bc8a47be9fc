import { reportEvents, type ReportedStay } from '../../core/reconciliation.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { writeAudit } from '../audit.js';
import { presenceEventRow } from '../presence/presence-row.js';
import type { SessionEvaluator } from '../session-evaluator.js';
import { reportPersonKey, type ImportPlan } from './plan-import.js';
import { forgetSessionLookups } from '../presence/session-lookup.js';

export interface AppliedImport {
  sessionId: string;
  created: boolean;
  factsAdded: number;
}

const SOURCE = { zoom_participants: 'zoom_participants_csv', teams_attendance: 'teams_attendance_csv' } as const;

/**
 * Writes planned reports in one transaction: each new session (created now, after it ended, and
 * marked imported: no alert and no close-out for it) and every stay as a presence fact of source
 * `report` (once each: importing the same file again adds nothing). Each session is then evaluated
 * once, with everything; a failure there is picked up by the sweep, since the facts are stored.
 */
export async function applyImports(
  deps: { prisma: Db; clock: Clock; evaluator: Pick<SessionEvaluator, 'evaluate'> },
  input: { organizationId: string; programId: string; actor: string; plans: ImportPlan[] },
): Promise<AppliedImport[]> {
  const now = deps.clock.now();
  const written = await deps.prisma.$transaction(
    async (tx) => {
      const results: AppliedImport[] = [];
      for (const plan of input.plans) {
        const session = plan.session.id
          ? await tx.session.findFirstOrThrow({ where: { id: plan.session.id, organizationId: input.organizationId }, select: { id: true, meetingId: true, meetingInstanceId: true } })
          : await tx.session.create({
              data: {
                organizationId: input.organizationId,
                programId: input.programId,
                startsAt: plan.session.startsAt,
                endsAt: plan.session.endsAt,
                meetingPlatform: plan.platform,
                meetingId: plan.session.meetingId,
                importedAt: now,
              },
              select: { id: true, meetingId: true, meetingInstanceId: true },
            });
        const events = reportEvents(plan.platform, SOURCE[plan.format], session, staysOf(plan));
        const { count } = await tx.presenceEvent.createMany({
          skipDuplicates: true,
          data: events.map((event) => presenceEventRow(event, { organizationId: input.organizationId, sessionId: session.id }, 'report')),
        });
        await writeAudit(tx, {
          organizationId: input.organizationId,
          actor: input.actor,
          action: 'session.import_report',
          entityType: 'Session',
          entityId: session.id,
          data: { format: plan.format, created: plan.session.create, people: plan.matched.length, unmatched: plan.unmatched.length, factsAdded: count },
        });
        results.push({ sessionId: session.id, created: plan.session.create, factsAdded: count });
      }
      return results;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  if (written.some((w) => w.created)) forgetSessionLookups();
  for (const { sessionId } of written) await deps.evaluator.evaluate(sessionId);
  return written;
}

function staysOf(plan: ImportPlan): ReportedStay[] {
  const stay = (s: { name: string; email?: string; joinedAt: Date; leftAt: Date }, displayName: string): ReportedStay => ({
    personKey: reportPersonKey(s),
    person: { displayName, ...(s.email ? { email: s.email } : {}) },
    joinedAt: s.joinedAt,
    leftAt: s.leftAt,
  });
  return [...plan.matched.flatMap((p) => p.stays.map((s) => stay(s, s.matchedName))), ...plan.unmatched.flatMap((u) => u.stays.map((s) => stay(s, s.name)))];
}
