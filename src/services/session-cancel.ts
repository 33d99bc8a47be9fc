import type { Db } from '../db/database.js';
import { writeAudit } from './audit.js';
import { ServiceError } from './service-error.js';
import { forgetSessionLookups } from './presence/session-lookup.js';

/**
 * Cancels one planned occurrence of a schedule (a holiday): the session is removed and its start kept
 * on the schedule, so the planner does not create it again. Only a session that has not begun and has
 * nothing recorded may go; a make-up booked into it is said, not dropped.
 */
export async function cancelOccurrence(deps: { prisma: Db }, input: { organizationId: string; actor: string; programId: string; sessionId: string; now: Date }) {
  const { organizationId, actor, programId, sessionId, now } = input;
  const cancelled = await deps.prisma.$transaction(async (tx) => {
    const session = await tx.session.findFirst({
      where: { id: sessionId, organizationId, programId },
      include: { _count: { select: { presenceEvents: true, makeUpsHosted: true } } },
    });
    if (!session) throw new ServiceError('not_found', 'session not found');
    if (!session.scheduleId) throw new ServiceError('invalid_input', 'session: only a recurring session is cancelled this way');
    if (session.startsAt <= now || session.startedAt || session._count.presenceEvents > 0) {
      throw new ServiceError('conflict', 'session: it has begun or has attendance recorded');
    }
    if (session._count.makeUpsHosted > 0) throw new ServiceError('conflict', 'session: a make-up is booked into it; move the make-up first');
    await tx.schedule.update({ where: { id: session.scheduleId }, data: { skippedStarts: { push: session.startsAt } } });
    await tx.session.delete({ where: { id: session.id } });
    await writeAudit(tx, { organizationId, actor, action: 'session.cancel', entityType: 'Schedule', entityId: session.scheduleId, data: { programId, startsAt: session.startsAt.toISOString() } });
    return session;
  });
  forgetSessionLookups();
  return cancelled;
}
