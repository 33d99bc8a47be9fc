import { reportEvents, type ReportedStay } from '../../core/reconciliation.js';
import type { Db } from '../../db/database.js';
import { writeAudit } from '../audit.js';
import { presenceEventRow } from '../presence/presence-row.js';
import type { SessionEvaluator } from '../session-evaluator.js';
import { reportPersonKey, type ImportPlan } from './plan-import.js';

export interface AppliedImport {
  sessionId: string;
  created: boolean;
  factsAdded: number;
}

const SOURCE = { zoom_participants: 'zoom_participants_csv', teams_attendance: 'teams_attendance_csv' } as const;

/**
 * Writes one planned report in one transaction: the session when it is new (created now, after it
 * ended, so it is history: no alert, no message about it) and every stay as a presence fact of
 * source `report` (once each: importing the same file again adds nothing). The session is then
 * evaluated once, with everything; a failure there is picked up by the sweep (the facts are stored).
 */
export async function applyImport(deps: { prisma: Db; evaluator: Pick<SessionEvaluator, 'evaluate'> }, input: { organizationId: string; programId: string; actor: string; plan: ImportPlan }): Promise<AppliedImport> {
  const { plan } = input;
  const stays: ReportedStay[] = [
    ...plan.matched.flatMap((p) =>
      p.stays.map((s) => ({ personKey: reportPersonKey(s), person: { displayName: s.matchedName, ...(s.email ? { email: s.email } : {}) }, joinedAt: s.joinedAt, leftAt: s.leftAt })),
    ),
    ...plan.unmatched.flatMap((u) => u.stays.map((s) => ({ personKey: reportPersonKey(s), person: { displayName: s.name, ...(s.email ? { email: s.email } : {}) }, joinedAt: s.joinedAt, leftAt: s.leftAt }))),
  ];
  const written = await deps.prisma.$transaction(async (tx) => {
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
          },
          select: { id: true, meetingId: true, meetingInstanceId: true },
        });
    const events = reportEvents(plan.platform, SOURCE[plan.format], session, stays);
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
    return { sessionId: session.id, factsAdded: count };
  });
  await deps.evaluator.evaluate(written.sessionId);
  return { ...written, created: plan.session.create };
}
