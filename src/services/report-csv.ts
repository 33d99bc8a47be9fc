import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { ProgramReport } from './reports.js';

/** A wall-clock time in the program's zone, as a biller reads it: "2026-11-09 07:00". */
const localTime = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('yyyy-LL-dd HH:mm');

/** One header for the three kinds of record, so one file opens in any spreadsheet and filters by `record`. */
export const REPORT_CSV_COLUMNS = [
  'record',
  'date',
  'week',
  'participant_id',
  'participant',
  'session_id',
  'session_start',
  'session_start_local',
  'joined_at_local',
  'left_at_local',
  'scheduled_minutes',
  'present_minutes',
  'status',
  'flags',
  'detected_status',
  'staff_status',
  'status_source',
  'reason_category',
  'made_up',
  'made_up_by_session_id',
  'made_up_by_session_start',
  'sessions',
  'sessions_attended',
  'credited_minutes',
  'required_minutes',
  'requirement_met',
  'week_status',
  'partial_week',
] as const;

type Column = (typeof REPORT_CSV_COLUMNS)[number];
type Record = Partial<{ [K in Column]: string | number | boolean | null }>;

/**
 * The report as CSV: `session` rows, then `day` and `week` totals per participant. Cells that a
 * spreadsheet would run as a formula (starting with = + - @, tab or CR) are prefixed with a quote.
 */
export function reportToCsv(report: ProgramReport): string {
  const names = new Map(report.participants.map((p) => [p.id, p.name]));
  const records: Record[] = [
    ...report.rows.map(
      (row): Record => ({
        record: 'session',
        date: row.date,
        participant_id: row.participantId,
        participant: row.participantName,
        session_id: row.sessionId,
        session_start: row.startsAt.toISOString(),
        session_start_local: localTime(row.startsAt, report.program.timezone),
        joined_at_local: row.joinedAt ? localTime(row.joinedAt, report.program.timezone) : null,
        left_at_local: row.leftAt ? localTime(row.leftAt, report.program.timezone) : null,
        credited_minutes: row.creditedMinutes,
        scheduled_minutes: row.scheduledMinutes,
        present_minutes: row.presentMinutes,
        status: row.status,
        flags: row.flags.join(' '),
        detected_status: row.detectedStatus,
        staff_status: row.staffStatus,
        status_source: row.statusSource,
        reason_category: row.reasonCategory,
        made_up: row.madeUp,
        made_up_by_session_id: row.madeUpBy?.sessionId ?? null,
        made_up_by_session_start: row.madeUpBy?.startsAt.toISOString() ?? null,
      }),
    ),
    ...report.days.map(
      (day): Record => ({
        record: 'day',
        date: day.date,
        participant_id: day.participantId,
        participant: names.get(day.participantId) ?? '',
        scheduled_minutes: day.scheduledMinutes,
        present_minutes: day.presentMinutes,
        credited_minutes: day.creditedMinutes,
        sessions: day.sessions,
        sessions_attended: day.sessionsAttended,
      }),
    ),
    ...report.weeks.map(
      (week): Record => ({
        record: 'week',
        date: week.weekStart,
        week: week.week,
        participant_id: week.participantId,
        participant: names.get(week.participantId) ?? '',
        present_minutes: week.presentMinutes,
        sessions: week.sessions,
        sessions_attended: week.sessionsAttended,
        credited_minutes: week.creditedMinutes,
        required_minutes: week.requiredMinutes,
        requirement_met: week.met,
        week_status: week.statusText,
        partial_week: week.partial,
      }),
    ),
  ];
  return csvOf(
    REPORT_CSV_COLUMNS,
    records.map((record) => REPORT_CSV_COLUMNS.map((column) => record[column] ?? '')),
  );
}

/** RFC 4180 quoting with formula injection defused. A bare newline is quoted too: with CRLF records
 * csv-stringify would otherwise leave it unquoted. */
export function csvOf(header: readonly string[], rows: (string | number | boolean | null)[][]): string {
  return stringify([header as string[], ...rows], { escape_formulas: true, record_delimiter: '\r\n', quoted_match: /[\r\n]/, cast: { boolean: (value) => (value ? 'yes' : 'no') } });
}

export type ReportSheet = 'attendance' | 'weeks' | 'absences';

/**
 * One sheet per kind of record, for billing: `attendance` (per participant and session: local
 * times, status and flags, credited minutes, the make-up standing in), `weeks` (per participant
 * and week under the hours rule) and `absences` (each reported absence with its session).
 */
export function reportSheetCsv(report: ProgramReport, sheet: ReportSheet): string {
  const zone = report.program.timezone;
  if (sheet === 'attendance') {
    return csvOf(
      ['date', 'participant_id', 'participant', 'session_id', 'session_start_local', 'scheduled_minutes', 'status', 'flags', 'joined_at_local', 'left_at_local', 'present_minutes', 'credited_minutes', 'status_source', 'made_up_by_session_start_local'],
      report.rows.map((r) => [
        r.date,
        r.participantId,
        r.participantName,
        r.sessionId,
        localTime(r.startsAt, zone),
        r.scheduledMinutes,
        r.status,
        r.flags.join(' '),
        r.joinedAt ? localTime(r.joinedAt, zone) : null,
        r.leftAt ? localTime(r.leftAt, zone) : null,
        r.presentMinutes,
        r.creditedMinutes,
        r.statusSource,
        r.madeUpBy ? localTime(r.madeUpBy.startsAt, zone) : null,
      ]),
    );
  }
  const names = new Map(report.participants.map((p) => [p.id, p.name]));
  if (sheet === 'weeks') {
    return csvOf(
      ['week_start', 'week', 'participant_id', 'participant', 'sessions', 'sessions_attended', 'present_minutes', 'credited_minutes', 'required_minutes', 'week_status', 'partial_week'],
      report.weeks.map((w) => [w.weekStart, w.week, w.participantId, names.get(w.participantId) ?? '', w.sessions, w.sessionsAttended, w.presentMinutes, w.creditedMinutes, w.requiredMinutes, w.statusText, w.partial]),
    );
  }
  return csvOf(
    ['date', 'participant_id', 'participant', 'session_id', 'session_start_local', 'category', 'excused', 'reported_by', 'reported_at_local', 'status'],
    report.rows
      .filter((r) => r.absence)
      .map((r) => [r.date, r.participantId, r.participantName, r.sessionId, localTime(r.startsAt, zone), r.absence!.category, r.absence!.excused, r.absence!.reportedBy, localTime(r.absence!.reportedAt, zone), r.status]),
  );
}
