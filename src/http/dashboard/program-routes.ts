import { Router, type RequestHandler } from 'express';
import { readProgramPage } from '../../services/queries/dashboard-pages.js';
import { listPrograms } from '../../services/queries/program-queries.js';
import { readProgramReport } from '../../services/queries/report-queries.js';
import { reportSheetCsv, reportToCsv } from '../../services/report-csv.js';
import { renderProgramPage, renderProgramsList } from '../../web/program-page.js';
import { notFound, parseInput } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import { reportFileName, reportQuerySchema } from '../admin/reports.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireVisibleProgram, staffOf } from './staff-guard.js';

export function programRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();

  router.get('/programs', guard, async (_req, res) => {
    const staff = staffOf(res);
    const programs = (await listPrograms(deps, staff.organizationId, 'name')).filter((p) => !staff.programIds || staff.programIds.includes(p.id));
    res.type('html').send(renderProgramsList(programs, staff.csrfToken).value);
  });

  router.get('/programs/:id', guard, async (req, res) => {
    const staff = staffOf(res);
    const query = parseInput(reportQuerySchema, req.query, 'query.');
    const programId = requireId(req.params.id, 'program');
    requireVisibleProgram(staff, programId);
    const page = await readProgramPage(deps, staff.organizationId, programId, query);
    if (!page) throw notFound('program');
    res.type('html').send(renderProgramPage({ ...page, csrfToken: staff.csrfToken }).value);
  });

  router.get('/programs/:id/report.csv', guard, async (req, res) => {
    const staff = staffOf(res);
    const query = parseInput(reportQuerySchema, req.query, 'query.');
    const programId = requireId(req.params.id, 'program');
    requireVisibleProgram(staff, programId);
    const report = await readProgramReport(deps, staff.organizationId, programId, query);
    if (!report) throw notFound('program');
    res
      .type('text/csv; charset=utf-8')
      .attachment(reportFileName(report, query.sheet))
      .send(query.sheet ? reportSheetCsv(report, query.sheet) : reportToCsv(report));
  });

  return router;
}
