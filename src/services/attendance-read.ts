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

/** A roster row with what is true this minute: in the meeting now, waiting to be let in since. */
export interface LiveAttendanceRow extends AttendanceRow {
  presentNow: boolean;
  waitingSince: Date | null;
}

/** Someone in the meeting no one expected is known as (a device name like "Priya's iPhone"). */
export interface UnrecognizedJoiner {
  personKey: string;
  displayName: string | null;
  firstJoinAt: Date | null;
}

/**
 * The roster of a session: everyone expected, with live values while it runs (computed now from
 * the stored facts) and final ones after; a staff override shows in place of what was detected.
 */
export async function readAttendance(deps: { prisma: Db; evaluator: SessionEvaluator }, organizationId: string, sessionId: string): Promise<AttendanceRow[]> {
  const live = await readLiveAttendance(deps, organizationId, sessionId);
  return live.rows.map(({ presentNow: _now, waitingSince: _since, ...row }) => row);
}

/** The roster as readAttendance gives it, with who is in or waiting now, and who joined unrecognized. */
export async function readLiveAttendance(
  deps: { prisma: Db; evaluator: SessionEvaluator },
  organizationId: string,
  sessionId: string,
): Promise<{ rows: LiveAttendanceRow[]; unrecognized: UnrecognizedJoiner[] }> {
  const { prisma, evaluator } = deps;
  const peeked = await evaluator.peek(sessionId);
  if (!peeked || peeked.bundle.session.organizationId !== organizationId) return { rows: [], unrecognized: [] };
  const { bundle, evaluation } = peeked;
  const overrides = await prisma.attendance.findMany({
    where: { organizationId, sessionId, overrideStatus: { not: null } },
    select: { participantId: true, overrideStatus: true, overrideReason: true, overriddenBy: true, overriddenAt: true },
  });
  const overridden = new Map(overrides.map((o) => [o.participantId, { status: o.overrideStatus!, reason: o.overrideReason, by: o.overriddenBy, at: o.overriddenAt }]));
  const names = new Map(bundle.expected.map((p) => [p.participantId, p.name]));
  const rows = evaluation.participants.map(({ participantId, result }) => ({
    participantId,
    name: names.get(participantId) ?? '',
    status: overridden.get(participantId)?.status ?? result.status,
    detectedStatus: result.status,
    override: overridden.get(participantId) ?? null,
    flags: result.flags,
    minutesPresent: result.minutesPresent,
    firstJoinAt: result.firstJoinAt,
    lastLeaveAt: result.lastLeaveAt,
    presentNow: result.presentNow,
    waitingSince: result.waitingSince ?? null,
  }));
  const unrecognized = evaluation.unmatched.map((person) => {
    const joins = bundle.events.filter((e) => e.kind === 'joined' && e.person?.key === person.personKey).map((e) => e.occurredAt.getTime());
    return { ...person, firstJoinAt: joins.length ? new Date(Math.min(...joins)) : null };
  });
  return { rows, unrecognized };
}
