import { Router, type RequestHandler, type Response } from 'express';
import { readSetupChecklist } from '../../services/queries/setup-checklist.js';
import type { FormState } from '../../web/form-fields.js';
import { readProgramPage } from '../../services/queries/dashboard-pages.js';
import { readAtRiskByProgram } from '../../services/queries/at-risk.js';
import { listPrograms } from '../../services/queries/program-queries.js';
import { readProgramReport } from '../../services/queries/report-queries.js';
import { reportSheetCsv, reportToCsv } from '../../services/report-csv.js';
import { renderProgramPage, renderProgramsList } from '../../web/program-page.js';
import { notFound, parseInput } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import { reportFileName, reportQuerySchema } from '../admin/reports.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireVisibleProgram, staffOf } from './staff-guard.js';

/** The Programs page; owners and admins also see the first-run checklist and "Add program" (with a refused form's errors). */
export async function showProgramsList(deps: DashboardDeps, res: Response, form?: FormState, status = 200): Promise<void> {
  const staff = staffOf(res);
  const programs = (await listPrograms(deps, staff.organizationId, 'name')).filter((p) => !staff.programIds || staff.programIds.includes(p.id));
  const canManage = staff.role === 'owner' || staff.role === 'admin';
  const [checklist, risk] = await Promise.all([
    canManage ? readSetupChecklist(deps, staff.organizationId) : undefined,
    readAtRiskByProgram(deps.prisma, staff.organizationId, staff.programIds, deps.clock.now()),
  ]);
  res.status(status).type('html').send(renderProgramsList({ programs, csrfToken: staff.csrfToken, canManage, checklist, form, risk }).value);
}

export function programRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();

  router.get('/programs', guard, async (_req, res) => {
    await showProgramsList(deps, res);
  });

  router.get('/programs/:id', guard, async (req, res) => {
    const staff = staffOf(res);
    const query = parseInput(reportQuerySchema, req.query, 'query.');
    const programId = requireId(req.params.id, 'program');
    requireVisibleProgram(staff, programId);
    const page = await readProgramPage(deps, staff.organizationId, programId, query);
    if (!page) throw notFound('program');
    const imported = Number(req.query.imported);
    res.type('html').send(
      renderProgramPage({
        ...page,
        order: req.query.order === 'name' ? 'name' : 'risk',
        csrfToken: staff.csrfToken,
        canManage: staff.role === 'owner' || staff.role === 'admin',
        imported: Number.isInteger(imported) && imported > 0 ? imported : undefined,
      }).value,
    );
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
