import type { Db } from '../db/database.js';
import { writeAudit } from './audit.js';

export type FollowUpChange = { kind: 'assign'; assignee: string } | { kind: 'complete' } | { kind: 'dismiss' };

export interface OpenFollowUp {
  id: string;
  kind: string;
  programId: string;
  programName: string;
  programTimezone: string;
  participantId: string;
  participantName: string;
  assignee: string | null;
  dueAt: Date | null;
  createdAt: Date;
}

/** The open queue of the organization (or one program, or one participant), oldest first. */
export async function listOpenFollowUps(prisma: Db, organizationId: string, filter: { programId?: string; participantId?: string } = {}): Promise<OpenFollowUp[]> {
  const rows = await prisma.followUp.findMany({
    where: { organizationId, state: 'open', ...filter },
    include: { program: { select: { name: true, timezone: true } }, participant: { select: { name: true } } },
    orderBy: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
    take: 500,
  });
  return rows.map((f) => ({
    id: f.id,
    kind: f.kind,
    programId: f.programId,
    programName: f.program.name,
    programTimezone: f.program.timezone,
    participantId: f.participantId,
    participantName: f.participant.name,
    assignee: f.assignee,
    dueAt: f.dueAt,
    createdAt: f.createdAt,
  }));
}

/**
 * Assigns, completes or dismisses a follow-up of the organization, audited. Returns false for an
 * id that is not the organization's, or one no longer open (a second click changes nothing).
 */
export async function changeFollowUp(prisma: Db, input: { organizationId: string; actor: string; followUpId: string; change: FollowUpChange }): Promise<boolean> {
  const { organizationId, actor, followUpId, change } = input;
  return prisma.$transaction(async (tx) => {
    const data = change.kind === 'assign' ? { assignee: change.assignee } : { state: change.kind === 'complete' ? 'done' : 'dismissed' };
    const { count } = await tx.followUp.updateMany({ where: { id: followUpId, organizationId, state: 'open' }, data });
    if (count === 0) return false;
    await writeAudit(tx, {
      organizationId,
      actor,
      action: `follow_up.${change.kind}`,
      entityType: 'FollowUp',
      entityId: followUpId,
      data: change.kind === 'assign' ? { assignee: change.assignee } : {},
    });
    return true;
  });
}
