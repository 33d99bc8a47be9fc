import type { Db } from '../db/database.js';
import type { AttendanceRow } from '../http/admin/admin-deps.js';

/** The roster of a session: everyone enrolled in its program, with their stored attendance or `pending`. */
export async function readAttendance(prisma: Db, organizationId: string, sessionId: string): Promise<AttendanceRow[]> {
  const session = await prisma.session.findFirstOrThrow({ where: { id: sessionId, organizationId } });
  const [enrollments, attendances] = await Promise.all([
    prisma.enrollment.findMany({
      where: { organizationId, programId: session.programId },
      include: { participant: { select: { id: true, name: true } } },
      orderBy: { enrolledAt: 'asc' },
    }),
    prisma.attendance.findMany({ where: { organizationId, sessionId } }),
  ]);
  const byParticipant = new Map(attendances.map((a) => [a.participantId, a]));
  return enrollments.map(({ participant }) => {
    const stored = byParticipant.get(participant.id);
    return {
      participantId: participant.id,
      name: participant.name,
      status: stored?.overrideStatus ?? stored?.status ?? 'pending',
      flags: stored?.flags ?? [],
      minutesPresent: stored?.minutesPresent ?? 0,
      firstJoinAt: stored?.firstJoinAt ?? null,
      lastLeaveAt: stored?.lastLeaveAt ?? null,
    };
  });
}
