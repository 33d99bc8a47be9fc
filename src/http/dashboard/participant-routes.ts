import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { readParticipantSummary } from '../../services/queries/report-queries.js';
import { renderSummaryPage } from '../../web/participant-page.js';
import { parseInput } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import { reportQuerySchema } from '../admin/reports.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireVisibleParticipant, requireVisibleProgram, staffOf } from './staff-guard.js';

const summaryQuerySchema = reportQuerySchema.and(z.object({ program: z.uuid().optional() }));

export function participantRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();

  router.get('/participants/:id/summary', guard, async (req, res) => {
    const staff = staffOf(res);
    const participantId = requireId(req.params.id, 'participant');
    const query = parseInput(summaryQuerySchema, req.query, 'query.');
    await requireVisibleParticipant(deps.prisma, staff, participantId);
    if (query.program) requireVisibleProgram(staff, query.program);
    const summary = await readParticipantSummary(deps, staff.organizationId, participantId, { programId: query.program, from: query.from, to: query.to });
    res.type('html').send(renderSummaryPage({ ...summary, participantId, csrfToken: staff.csrfToken }).value);
  });

  return router;
}
