import type { Db } from '../db/database.js';
import type { Prisma, StaffRole } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';
import { ServiceError } from './service-error.js';

/** Who manages: the signed-in owner or admin (staffAccountId null: the admin-token session, an owner). */
export interface StaffManager {
  organizationId: string;
  actor: string;
  role: StaffRole;
  staffAccountId: string | null;
}

export type StaffChange =
  | { kind: 'approve'; role: StaffRole }
  | { kind: 'decline' }
  | { kind: 'role'; role: StaffRole }
  | { kind: 'remove' }
  | { kind: 'assign'; programIds: string[] };

export async function listStaff(prisma: Db, organizationId: string) {
  return prisma.staffAccount.findMany({
    where: { organizationId, status: { in: ['pending', 'active'] } },
    orderBy: [{ status: 'asc' }, { name: 'asc' }],
    include: { assignments: { select: { programId: true } } },
  });
}

/**
 * Approve, decline, change role, remove, assign programs. Only an owner makes or unmakes owners, and
 * the clinic always keeps one active owner. Removing signs the person out everywhere at once (a
 * session of a non-active account is not signed in).
 */
export async function changeStaff(prisma: Db, manager: StaffManager, staffAccountId: string, change: StaffChange, now: Date): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rollcall.staff:${manager.organizationId}`}))`;
    const target = await tx.staffAccount.findFirst({ where: { id: staffAccountId, organizationId: manager.organizationId } });
    if (!target || target.status === 'removed') throw new ServiceError('not_found', 'staff member not found');
    const touchesOwner = target.role === 'owner' || ('role' in change && change.role === 'owner');
    if (touchesOwner && manager.role !== 'owner') throw new ServiceError('conflict', 'Only an owner can make someone an owner or change an owner.');
    const losesOwner = target.role === 'owner' && target.status === 'active' && (change.kind === 'remove' || (change.kind === 'role' && change.role !== 'owner'));
    if (losesOwner && (await tx.staffAccount.count({ where: { organizationId: manager.organizationId, role: 'owner', status: 'active' } })) <= 1) {
      throw new ServiceError('conflict', 'The clinic must keep an owner: make someone else owner first.');
    }
    let data: Prisma.InputJsonObject = {};
    switch (change.kind) {
      case 'approve':
        if (target.status !== 'pending') throw new ServiceError('conflict', 'Already approved.');
        await tx.staffAccount.update({ where: { id: target.id }, data: { status: 'active', role: change.role, approvedById: manager.staffAccountId, approvedAt: now } });
        data = { role: change.role };
        break;
      case 'decline':
      case 'remove':
        await tx.staffAccount.update({ where: { id: target.id }, data: { status: 'removed' } });
        await tx.programAssignment.deleteMany({ where: { staffAccountId: target.id } });
        break;
      case 'role':
        await tx.staffAccount.update({ where: { id: target.id }, data: { role: change.role } });
        data = { from: target.role, to: change.role };
        break;
      case 'assign': {
        const programs = await tx.program.findMany({ where: { organizationId: manager.organizationId, id: { in: change.programIds } }, select: { id: true } });
        await tx.programAssignment.deleteMany({ where: { staffAccountId: target.id } });
        await tx.programAssignment.createMany({ data: programs.map((p) => ({ programId: p.id, staffAccountId: target.id })) });
        data = { programIds: programs.map((p) => p.id) };
        break;
      }
    }
    await writeAudit(tx, { organizationId: manager.organizationId, actor: manager.actor, action: `staff.${change.kind}`, entityType: 'StaffAccount', entityId: target.id, data });
  });
}

/**
 * The programs a signed-in person may see: null for everyone but facilitators (the whole clinic),
 * else the programs they are assigned to (ProgramAssignment; Program.staffUserIds only match button presses).
 */
export async function visibleProgramIds(prisma: Db, staff: { role: StaffRole; staffAccountId: string | null }): Promise<string[] | null> {
  if (staff.role !== 'facilitator' || !staff.staffAccountId) return null;
  const rows = await prisma.programAssignment.findMany({ where: { staffAccountId: staff.staffAccountId }, select: { programId: true } });
  return rows.map((r) => r.programId);
}
