import { stringify } from 'csv-stringify/sync';
import type { ProgramReport } from './reports.js';

/** One header for the three kinds of record, so one file opens in any spreadsheet and filters by `record`. */
export const REPORT_CSV_COLUMNS = [
  'record',
  'date',
  'week',
  'participant_id',
  'participant',
  'session_id',
  'session_start',
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
