import type { Clock } from '../../clock.js';
import { ReportFormatError, type ImportFormat, type ImportedMeeting } from '../../core/report-import/imported-meeting.js';
import { decodeReport } from '../../core/report-import/report-times.js';
import { parseTeamsAttendanceCsv } from '../../core/report-import/teams-attendance-csv.js';
import { parseZoomParticipantsCsv } from '../../core/report-import/zoom-participants-csv.js';
import type { Db } from '../../db/database.js';
import { ServiceError } from '../service-error.js';
import type { SessionEvaluator } from '../session-evaluator.js';
import type { StrikeDeps } from '../strikes.js';
import { applyImports, type AppliedImport } from './apply-import.js';
import { recountAfterHistory, type HistoryRecount } from './history-recount.js';
import { planImport, type ImportPlan } from './plan-import.js';

/** One downloaded file: its bytes (Teams writes UTF-16) and, when the caller knows it, its kind. */
export interface ReportFile {
  format?: ImportFormat;
  bytes: Buffer;
}

const PARSERS = { zoom_participants: parseZoomParticipantsCsv, teams_attendance: parseTeamsAttendanceCsv } as const;

/** A report that cannot be imported, named by its place in the request; nothing was written. */
const refuse = (field: string, message: string) => new ServiceError('invalid_input', `${field}: ${message}`, [{ field, message }]);

function readReport(file: ReportFile, zone: string): ImportedMeeting {
  const text = decodeReport(file.bytes);
  if (file.format) return PARSERS[file.format](text, zone);
  // A file chosen in the dashboard says nothing of its kind: Zoom's has a "Name (original name)" header.
  return /name\s*\(original name\)/i.test(text) ? parseZoomParticipantsCsv(text, zone) : parseTeamsAttendanceCsv(text, zone);
}

/**
 * Reads and plans every report before anything is written (one bad file changes nothing): which
 * session each is of, who matched, who did not, what will be created.
 */
export async function planReports(deps: { prisma: Db; clock: Clock }, input: { organizationId: string; programId: string; zone: string; files: ReportFile[] }): Promise<ImportPlan[]> {
  const plans: ImportPlan[] = [];
  for (const [index, file] of input.files.entries()) {
    const field = `reports.${index}`;
    let meeting: ImportedMeeting;
    try {
      meeting = readReport(file, input.zone);
    } catch (error) {
      throw refuse(field, error instanceof ReportFormatError ? error.message : 'The file could not be read as CSV.');
    }
    const plan = await planImport(deps.prisma, { organizationId: input.organizationId, programId: input.programId, meeting });
    if ('error' in plan) throw refuse(field, plan.error);
    if (plan.session.endsAt > deps.clock.now()) throw refuse(field, 'This report is of a session that has not ended yet.');
    plans.push(plan);
  }
  const sessions = new Set(plans.map((p) => p.session.id ?? p.session.startsAt.toISOString()));
  if (sessions.size !== plans.length) throw refuse('reports', 'Two reports are of the same session: import one of them.');
  return plans;
}

/** Writes the planned reports (one transaction), evaluates their sessions, recounts strikes once with one summary post. */
export async function importReports(
  deps: StrikeDeps & { prisma: Db; clock: Clock; evaluator: Pick<SessionEvaluator, 'evaluate'> },
  input: { organizationId: string; programId: string; actor: string; plans: ImportPlan[] },
): Promise<{ applied: AppliedImport[]; summary: HistoryRecount }> {
  const applied = await applyImports(deps, input);
  const summary = await recountAfterHistory(deps, { organizationId: input.organizationId, programId: input.programId, sessionIds: applied.map((a) => a.sessionId) });
  return { applied, summary };
}

/** What a preview shows of a plan: counts, names and lines, no times of anyone but the meeting. */
export function serializePlan(plan: ImportPlan) {
  return {
    format: plan.format,
    meeting: plan.meeting,
    session: plan.session,
    matched: plan.matched.map((p) => ({ participantId: p.participantId, name: p.name, matchedBy: p.matchedBy, stays: p.stays.length, minutes: p.minutes })),
    unmatched: plan.unmatched.map((u) => ({ name: u.name, lines: u.lines, guest: u.guest })),
    waitingRoom: plan.waitingRoom,
    absent: plan.absent,
    skipped: plan.skipped,
  };
}
