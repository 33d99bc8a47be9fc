import { DateTime } from 'luxon';
import { effectiveStatus } from '../core/attendance-outcome.js';
import { resolvePolicy } from '../core/policy.js';
import { creditedMinutes, creditRuleOf } from '../core/weekly-credit.js';
import { dayTotals, localDate, localDayRange, weekTotals, type DayTotal, type WeekTotal } from '../core/report-totals.js';
import type { Db } from '../db/database.js';

export interface ReportRow {
  date: string;
  sessionId: string;
  startsAt: Date;
  participantId: string;
  participantName: string;
  scheduledMinutes: number;
  presentMinutes: number;
  /** What counts: staff-set when staff decided, else detected. */
  status: string;
  /** Short stay, left early, reconnected, waited…: flags on a present or late attendance. */
  flags: string[];
  detectedStatus: string;
  staffStatus: string | null;
  statusSource: 'detected' | 'staff';
  /** The category of a reported absence for this session, if any. */
  reasonCategory: string | null;
  /** The reported absence itself: whether it is excused, who reported it, when. */
  absence: { category: string; excused: boolean; reportedBy: string; reportedAt: Date } | null;
  /** First join and last leave (null when they never joined). */
  joinedAt: Date | null;
  leftAt: Date | null;
  /** Service minutes credited under the program's hours rule (core/weekly-credit.ts). */
  creditedMinutes: number;
  /** The session was made up by attending another one. */
  madeUp: boolean;
  /** The session attended in its place (a make-up booking attended), when there is one. */
  madeUpBy: { sessionId: string; startsAt: Date } | null;
  final: boolean;
}

export interface ProgramReport {
  program: { id: string; name: string; timezone: string; weeklyHoursRequired: number };
  /** Local days in the program's zone, both included. */
  from: string;
  to: string;
  /** The local day the report was made: a week ending on or after it is not over yet. */
  today: string;
  sessions: { id: string; date: string; startsAt: Date; endsAt: Date; scheduledMinutes: number }[];
  participants: { id: string; name: string }[];
  rows: ReportRow[];
  days: DayTotal[];
  weeks: WeekTotal[];
}

export interface ReportRange {
  from?: string;
  to?: string;
  /** Only this participant's rows (the printable summary). */
  participantId?: string;
}

/** Four weeks up to today when no range is given. */
export function defaultReportRange(now: Date, timezone: string): { from: string; to: string } {
  const today = DateTime.fromJSDate(now, { zone: timezone });
  return { from: today.minus({ days: 27 }).toISODate()!, to: today.toISODate()! };
}

/**
 * Attendance of one program over local days: one row per participant and session (stored
 * attendance, as the engine and staff left it), per-day and per-ISO-week totals. Null when the
 * program is not the organization's.
 */
export async function buildProgramReport(prisma: Db, organizationId: string, programId: string, range: ReportRange, now: Date): Promise<ProgramReport | null> {
  const program = await prisma.program.findFirst({ where: { id: programId, organizationId } });
  if (!program) return null;
  const policy = resolvePolicy(program.policy);
  const fallback = defaultReportRange(now, program.timezone);
  const from = range.from ?? fallback.from;
  const to = range.to ?? fallback.to;
  const { start, end } = localDayRange(from, to, program.timezone);
  const participantFilter = range.participantId ? { participantId: range.participantId } : {};
  const [sessions, enrollments] = await Promise.all([
    prisma.session.findMany({
      where: { organizationId, programId, startsAt: { gte: start, lt: end } },
      orderBy: { startsAt: 'asc' },
      include: {
        attendances: { where: participantFilter, include: { participant: { select: { name: true } } } },
        absences: { where: { organizationId, ...participantFilter }, orderBy: { createdAt: 'asc' } },
      },
    }),
    prisma.enrollment.findMany({
      where: { organizationId, programId, ...participantFilter, enrolledAt: { lt: end }, OR: [{ dischargedAt: null }, { dischargedAt: { gte: start } }] },
      include: { participant: { select: { id: true, name: true } } },
    }),
  ]);
  const bookings = await prisma.makeUpBooking.findMany({
    where: { organizationId, state: 'attended', missedSessionId: { in: sessions.map((s) => s.id) }, ...participantFilter },
    include: { makeUpSession: { select: { id: true, startsAt: true } } },
  });
  const madeUpBy = new Map(bookings.map((b) => [`${b.missedSessionId}:${b.participantId}`, { sessionId: b.makeUpSession.id, startsAt: b.makeUpSession.startsAt }]));
  const rows: ReportRow[] = [];
  for (const session of sessions) {
    const scheduledMinutes = Math.round((session.endsAt.getTime() - session.startsAt.getTime()) / 60_000);
    const absences = new Map(session.absences.map((a) => [a.participantId, a]));
    for (const attendance of session.attendances) {
      const status = effectiveStatus(attendance.status, attendance.overrideStatus);
      rows.push({
        date: localDate(session.startsAt, program.timezone),
        sessionId: session.id,
        startsAt: session.startsAt,
        participantId: attendance.participantId,
        participantName: attendance.participant.name,
        scheduledMinutes,
        presentMinutes: attendance.minutesPresent,
        status,
        flags: attendance.flags,
        detectedStatus: attendance.status,
        staffStatus: attendance.overrideStatus,
        statusSource: attendance.overrideStatus ? 'staff' : 'detected',
        reasonCategory: absences.get(attendance.participantId)?.category ?? null,
        absence: ((a) => (a ? { category: a.category, excused: a.excused, reportedBy: a.reportedBy, reportedAt: a.createdAt } : null))(absences.get(attendance.participantId)),
        joinedAt: attendance.firstJoinAt,
        leftAt: attendance.lastLeaveAt,
        creditedMinutes: creditedMinutes({ scheduledMinutes, status, flags: attendance.flags, presentMinutes: attendance.minutesPresent }, policy.weeklyHoursCredit),
        madeUp: status === 'made_up',
        madeUpBy: madeUpBy.get(`${session.id}:${attendance.participantId}`) ?? null,
        final: attendance.final,
      });
    }
  }
  rows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.participantName.localeCompare(b.participantName));
  // A session not over yet in which someone has no row yet is still attendable for them: their week is on track, not short.
  const seen = new Set(rows.map((row) => `${row.sessionId}:${row.participantId}`));
  const ahead = sessions
    .filter((session) => session.endsAt > now)
    .flatMap((session) =>
      enrollments
        .filter((e) => e.enrolledAt <= session.startsAt && (!e.dischargedAt || e.dischargedAt > session.startsAt) && !seen.has(`${session.id}:${e.participantId}`))
        .map((e) => ({ sessionId: session.id, startsAt: session.startsAt, participantId: e.participantId, scheduledMinutes: Math.round((session.endsAt.getTime() - session.startsAt.getTime()) / 60_000), presentMinutes: 0, status: 'pending', flags: [] as string[], final: false })),
    );
  const lines = [...rows, ...ahead].map((row) => ({
    participantId: row.participantId,
    startsAt: row.startsAt,
    scheduledMinutes: row.scheduledMinutes,
    presentMinutes: row.presentMinutes,
    status: row.status,
    flags: row.flags,
    final: row.final,
  }));
  const rule = creditRuleOf(policy);
  const today = localDate(now, program.timezone);
  const participants = new Map(enrollments.map((e) => [e.participant.id, e.participant.name]));
  for (const row of rows) participants.set(row.participantId, row.participantName);
  return {
    program: { id: program.id, name: program.name, timezone: program.timezone, weeklyHoursRequired: policy.weeklyHoursRequired },
    from,
    to,
    today,
    sessions: sessions.map((s) => ({
      id: s.id,
      date: localDate(s.startsAt, program.timezone),
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      scheduledMinutes: Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / 60_000),
    })),
    participants: [...participants].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    rows,
    days: dayTotals(lines, program.timezone, rule),
    weeks: weekTotals(lines, program.timezone, rule, { from, to }, today),
  };
}
