import type { Db } from '../db/database.js';
import type { SessionEvaluator } from './session-evaluator.js';

/** One row of a session's roster, as the admin API and the dashboard show it. */
export interface AttendanceRow {
  participantId: string;
  name: string;
  status: string;
  flags: string[];
  minutesPresent: number;
  firstJoinAt: Date | null;
  lastLeaveAt: Date | null;
  /** What the engine detected; `status` shows staff's decision in its place when there is one. */
  detectedStatus: string;
  override: { status: string; reason: string | null; by: string | null; at: Date | null } | null;
}

/**
 * The roster of a session: everyone expected, with live values while it runs (computed now from
 * the stored facts) and final ones after; a staff override shows in place of what was detected.
 */
export async function readAttendance(deps: { prisma: Db; evaluator: SessionEvaluator }, organizationId: string, sessionId: string): Promise<AttendanceRow[]> {
  const { prisma, evaluator } = deps;
  const peeked = await evaluator.peek(sessionId);
  if (!peeked || peeked.bundle.session.organizationId !== organizationId) return [];
  const { bundle, evaluation } = peeked;
  const overrides = await prisma.attendance.findMany({
    where: { organizationId, sessionId, overrideStatus: { not: null } },
    select: { participantId: true, overrideStatus: true, overrideReason: true, overriddenBy: true, overriddenAt: true },
  });
  const overridden = new Map(overrides.map((o) => [o.participantId, { status: o.overrideStatus!, reason: o.overrideReason, by: o.overriddenBy, at: o.overriddenAt }]));
  const names = new Map(bundle.expected.map((p) => [p.participantId, p.name]));
  return evaluation.participants.map(({ participantId, result }) => ({
    participantId,
    name: names.get(participantId) ?? '',
    status: overridden.get(participantId)?.status ?? result.status,
    detectedStatus: result.status,
    override: overridden.get(participantId) ?? null,
    flags: result.flags,
    minutesPresent: result.minutesPresent,
    firstJoinAt: result.firstJoinAt,
    lastLeaveAt: result.lastLeaveAt,
  }));
}
