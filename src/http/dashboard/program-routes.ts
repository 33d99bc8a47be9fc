import { Router, type RequestHandler } from 'express';
import { resolvePolicy } from '../../core/policy.js';
import { readAttendanceStats } from '../../services/attendance-stats.js';
import { listOpenFollowUps } from '../../services/follow-ups.js';
import { reportToCsv } from '../../services/report-csv.js';
import { buildProgramReport } from '../../services/reports.js';
import { countStrikes } from '../../services/strike-counts.js';
import { renderProgramPage, renderProgramsList } from '../../web/program-page.js';
import { notFound, parseInput } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import { reportFileName, reportQuerySchema } from '../admin/reports.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { staffOf } from './staff-session.js';

export function programRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const { prisma, clock } = deps;
  const router = Router();

  router.get('/programs', guard, async (_req, res) => {
    const staff = staffOf(res);
    const programs = await prisma.program.findMany({ where: { organizationId: staff.organizationId }, orderBy: { name: 'asc' } });
    res.type('html').send(renderProgramsList(programs, staff.csrfToken).value);
  });

  router.get('/programs/:id', guard, async (req, res) => {
    const staff = staffOf(res);
    const { organizationId } = staff;
    const programId = requireId(req.params.id, 'program');
    const query = parseInput(reportQuerySchema, req.query, 'query.');
    const now = clock.now();
    const report = await buildProgramReport(prisma, organizationId, programId, query, now);
    if (!report) throw notFound('program');
    const program = await prisma.program.findFirstOrThrow({ where: { id: programId, organizationId } });
    const [strikes, followUps, stats] = await Promise.all([
      countStrikes(prisma, { organizationId, programId, now }),
      listOpenFollowUps(prisma, organizationId, { programId }),
      readAttendanceStats(prisma, { organizationId, programId, timezone: program.timezone, now }),
    ]);
    const { strikeWindowDays } = resolvePolicy(program.policy);
    res.type('html').send(renderProgramPage({ report, strikes, strikeWindowDays, followUps, stats, csrfToken: staff.csrfToken }).value);
  });

  router.get('/programs/:id/report.csv', guard, async (req, res) => {
    const { organizationId } = staffOf(res);
    const query = parseInput(reportQuerySchema, req.query, 'query.');
    const report = await buildProgramReport(prisma, organizationId, requireId(req.params.id, 'program'), query, clock.now());
    if (!report) throw notFound('program');
    res.type('text/csv; charset=utf-8').attachment(reportFileName(report)).send(reportToCsv(report));
  });

  return router;
}
