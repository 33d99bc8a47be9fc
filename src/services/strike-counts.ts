import { resolvePolicy } from '../core/policy.js';
import type { Db } from '../db/database.js';

/**
 * Strikes per participant of a program as the dashboard shows them. For now: unexcused final
 * no-shows (no staff decision) inside the policy's strikeWindowDays. The strike ladder's own count
 * replaces this function's body when it lands; callers only see participant id → count.
 */
export async function countStrikes(prisma: Db, input: { organizationId: string; programId: string; now: Date }): Promise<Map<string, number>> {
  const program = await prisma.program.findFirst({ where: { id: input.programId, organizationId: input.organizationId }, select: { policy: true } });
  if (!program) return new Map();
  const { strikeWindowDays } = resolvePolicy(program.policy);
  const groups = await prisma.attendance.groupBy({
    by: ['participantId'],
    where: {
      organizationId: input.organizationId,
      final: true,
      status: 'no_show',
      overrideStatus: null,
      session: { programId: input.programId, startsAt: { gte: new Date(input.now.getTime() - strikeWindowDays * 86_400_000), lte: input.now } },
    },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.participantId, g._count._all]));
}
