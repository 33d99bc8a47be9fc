import { createHash } from 'node:crypto';
import { effectiveStatus } from '../../core/attendance-outcome.js';
import type { Db } from '../../db/database.js';
import { createAlertOnce } from '../alerts/alert-outbox.js';
import { recomputeStrikes, type StrikeDeps } from '../strikes.js';

export interface HistoryRecount {
  alertId: string | null;
  followUpsOpened: number;
}

/**
 * After past sessions were imported at once from the platforms' reports: strikes are recounted
 * once for everyone enrolled, quietly (only the rung each person
 * is on now, no alert per rung), and the program's channel gets one `Imported record` post with
 * counts only. Posting twice for the same sessions is prevented by the alert's dedupe key.
 */
export async function recountAfterHistory(deps: StrikeDeps & { prisma: Db }, input: { organizationId: string; programId: string; sessionIds: string[] }): Promise<HistoryRecount> {
  const { prisma } = deps;
  const program = await prisma.program.findFirst({ where: { id: input.programId, organizationId: input.organizationId } });
  if (!program || input.sessionIds.length === 0) return { alertId: null, followUpsOpened: 0 };
  const enrolled = await prisma.enrollment.findMany({ where: { organizationId: input.organizationId, programId: program.id, status: 'active' }, select: { participantId: true } });
  let followUpsOpened = 0;
  for (const { participantId } of enrolled) {
    const decision = await recomputeStrikes(deps, { organizationId: input.organizationId, programId: program.id, participantId }, { quiet: true });
    followUpsOpened += decision?.opened.length ?? 0;
  }
  const rows = await prisma.attendance.findMany({ where: { organizationId: input.organizationId, sessionId: { in: input.sessionIds } }, select: { status: true, overrideStatus: true } });
  const count = (status: string) => rows.filter((r) => effectiveStatus(r.status, r.overrideStatus) === status).length;
  const sessions = [...new Set(input.sessionIds)].sort();
  const alertId = await createAlertOnce(prisma, {
    organizationId: input.organizationId,
    programId: program.id,
    subjectKey: `history:${program.id}`,
    topic: 'history',
    kind: 'history_summary',
    detail: {
      sessions: sessions.length,
      present: count('present'),
      late: count('late'),
      noShow: count('no_show'),
      excused: count('excused'),
      followUpsOpened,
      openFollowUps: await prisma.followUp.count({ where: { organizationId: input.organizationId, programId: program.id, state: 'open' } }),
    },
    platform: program.alertPlatform,
    channelId: program.alertChannelId,
    dedupeKey: `history:${program.id}:${createHash('sha256').update(sessions.join(',')).digest('base64url').slice(0, 22)}`,
  });
  if (alertId) await deps.enqueueDeliveries([alertId]);
  return { alertId, followUpsOpened };
}
