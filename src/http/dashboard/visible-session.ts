import type { Db } from '../../db/database.js';
import type { SignedInStaff } from '../../services/staff-sign-ins.js';

/** Whether a session belongs to a program the signed-in person may see (always, but for facilitators). */
export async function visibleSession(prisma: Db, staff: SignedInStaff, sessionId: string): Promise<boolean> {
  if (!staff.programIds) return true;
  const session = await prisma.session.findFirst({ where: { id: sessionId, organizationId: staff.organizationId }, select: { programId: true } });
  return Boolean(session && staff.programIds.includes(session.programId));
}
