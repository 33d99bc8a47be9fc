import { Router } from 'express';
import { z } from 'zod';
import { IANAZone } from 'luxon';
import { ReportFormatError, type ImportedMeeting } from '../../core/report-import/imported-meeting.js';
import { decodeReport } from '../../core/report-import/report-times.js';
import { parseTeamsAttendanceCsv } from '../../core/report-import/teams-attendance-csv.js';
import { parseZoomParticipantsCsv } from '../../core/report-import/zoom-participants-csv.js';
import type { PlatformHost } from '../../platforms/module.js';
import { applyImports } from '../../services/report-imports/apply-import.js';
import { recountAfterHistory } from '../../services/report-imports/history-recount.js';
import { planImport, type ImportPlan } from '../../services/report-imports/plan-import.js';
import { ApiError, parseInput } from '../api-error.js';
import { adminContext } from './auth.js';
import { loadProgram } from './programs.js';

const reportSchema = z
  .object({
    format: z.enum(['zoom_participants', 'teams_attendance']),
    /** The file as text, or as base64 bytes (Teams downloads are UTF-16). */
    content: z.string().min(1).max(200_000).optional(),
    contentBase64: z.string().min(1).max(300_000).optional(),
  })
  .strict()
  .refine((r) => Boolean(r.content) !== Boolean(r.contentBase64), { message: 'give content or contentBase64, one of them' });

const importSchema = z
  .object({
    reports: z.array(reportSchema).min(1).max(60),
    /** The zone the report's times are written in (the Zoom account's or the downloader's); default the program's. */
    timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), { message: 'must be an IANA time zone' }).optional(),
    /** false (the default): preview only, nothing is written. */
    apply: z.boolean().default(false),
  })
  .strict();

const PARSERS = { zoom_participants: parseZoomParticipantsCsv, teams_attendance: parseTeamsAttendanceCsv } as const;

/**
 * `POST /programs/:id/imports`: the attendance reports a clinic downloads from Zoom and Teams,
 * previewed (what matched, what did not, what will be created) and, with `apply: true`, written in
 * one transaction, evaluated once each, then strikes recounted once with one `Imported record` post.
 * Every report is read and planned before anything is written: one bad file changes nothing.
 */
export function importsRouter(host: PlatformHost): Router {
  const router = Router();
  router.post('/programs/:id/imports', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const program = await loadProgram(host, organizationId, req.params.id);
    const input = parseInput(importSchema, req.body);
    const zone = input.timezone ?? program.timezone;
    const plans: ImportPlan[] = [];
    for (const [index, report] of input.reports.entries()) {
      let meeting: ImportedMeeting;
      try {
        const text = report.content ?? decodeReport(Buffer.from(report.contentBase64!, 'base64'));
        meeting = PARSERS[report.format](text, zone);
      } catch (error) {
        if (error instanceof ReportFormatError) throw reportError(`reports.${index}`, error.message);
        throw reportError(`reports.${index}`, 'The file could not be read as CSV.');
      }
      const plan = await planImport(host.prisma, { organizationId, programId: program.id, meeting });
      if ('error' in plan) throw reportError(`reports.${index}`, plan.error);
      if (plan.session.endsAt > host.clock.now()) throw reportError(`reports.${index}`, 'This report is of a session that has not ended yet.');
      plans.push(plan);
    }
    const sessionsOnce = new Set(plans.map((p) => p.session.id ?? p.session.startsAt.toISOString()));
    if (sessionsOnce.size !== plans.length) throw reportError('reports', 'Two reports are of the same session: import one of them.');
    if (!input.apply) return void res.json({ applied: false, reports: plans.map(serializePlan) });
    const applied = await applyImports(host, { organizationId, programId: program.id, actor, plans });
    const summary = await recountAfterHistory(host, { organizationId, programId: program.id, sessionIds: applied.map((a) => a.sessionId) });
    res.status(201).json({ applied: true, reports: plans.map((plan, i) => ({ ...serializePlan(plan), result: applied[i] })), summary });
  });
  return router;
}

/** A report that cannot be imported, named by its place in the request; nothing was written. */
function reportError(field: string, message: string): ApiError {
  return new ApiError(400, 'invalid_report', `${field}: ${message}`, [{ field, message }]);
}

function serializePlan(plan: ImportPlan) {
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
