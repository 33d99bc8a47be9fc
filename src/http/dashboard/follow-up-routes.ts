import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { dashboardDecision, decideFollowUp, type FollowUpChange } from '../../services/follow-ups.js';
import { readFollowUpsPage } from '../../services/queries/dashboard-pages.js';
import { renderFollowUpsPage } from '../../web/follow-ups-page.js';
import { parseInput } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { refuseViewer, requireCsrf, requireVisibleProgram, staffOf } from './staff-guard.js';
import { notFound } from '../api-error.js';

const changeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), assignee: z.string().trim().min(1, 'enter who it is assigned to').max(120) }),
  z.object({ action: z.literal('complete') }),
  z.object({ action: z.literal('dismiss') }),
]);

export function followUpRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.get('/follow-ups', guard, async (req, res) => {
    const staff = staffOf(res);
    const page = await readFollowUpsPage(deps, staff.organizationId, staff.programIds);
    const done = typeof req.query.done === 'string' ? req.query.done : undefined;
    res.type('html').send(renderFollowUpsPage({ ...page, csrfToken: staff.csrfToken, done }).value);
  });

  router.post('/follow-ups/:id', guard, refuseViewer, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const followUpId = requireId(req.params.id, 'follow-up');
    if (staff.programIds) {
      const followUp = await deps.prisma.followUp.findFirst({ where: { id: followUpId, organizationId: staff.organizationId }, select: { programId: true } });
      if (!followUp) throw notFound('follow-up');
      requireVisibleProgram(staff, followUp.programId);
    }
    const { _csrf, ...fields } = (req.body ?? {}) as Record<string, unknown>;
    const input = parseInput(changeSchema, fields);
    const change: FollowUpChange = input.action === 'assign' ? { kind: 'assign', assignee: input.assignee } : { kind: input.action };
    const changed = (await decideFollowUp(deps, { organizationId: staff.organizationId, actor: staff.actor, followUpId, ...dashboardDecision(change, staff.staffAccountId ? staff.name : staff.actor) })) !== null;
    res.redirect(303, `/follow-ups?done=${changed ? input.action : 'gone'}`);
  });

  return router;
}
