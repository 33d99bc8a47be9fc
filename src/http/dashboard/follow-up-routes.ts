import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { plainText } from '../../core/plain-text.js';
import { dashboardDecision, decideFollowUp, type FollowUpChange } from '../../services/follow-ups.js';
import { readFollowUpsPage } from '../../services/queries/follow-ups-page.js';
import { renderFollowUpsPage, type FollowUpsPageData } from '../../web/follow-ups-page.js';
import { requireId } from '../admin/auth.js';
import { notFound } from '../api-error.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { refuseViewer, requireCsrf, requireVisibleProgram, staffOf } from './staff-guard.js';

const actionSchema = z.enum(['assign', 'note', 'complete', 'dismiss']);
const noteSchema = plainText(2000);
const outcomeSchema = plainText(200);

export function followUpRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  const show = async (res: Response, extra: Pick<FollowUpsPageData, 'done' | 'refused'> = {}, status = 200) => {
    const staff = staffOf(res);
    const page = await readFollowUpsPage(deps, staff.organizationId, staff.programIds);
    res.status(status).type('html').send(renderFollowUpsPage({ ...page, csrfToken: staff.csrfToken, canAct: staff.role !== 'viewer', ...extra }).value);
  };

  router.get('/follow-ups', guard, async (req, res) => {
    await show(res, { done: typeof req.query.done === 'string' ? req.query.done : undefined });
  });

  router.post('/follow-ups/:id', guard, refuseViewer, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const followUpId = requireId(req.params.id, 'follow-up');
    const followUp = await deps.prisma.followUp.findFirst({ where: { id: followUpId, organizationId: staff.organizationId }, select: { programId: true } });
    // Another clinic's id reads as one no longer open (nothing is said about it); a facilitator's unknown id is 404.
    if (!followUp && staff.programIds) throw notFound('follow-up');
    if (!followUp) return res.redirect(303, '/follow-ups?done=gone');
    requireVisibleProgram(staff, followUp.programId);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const action = actionSchema.safeParse(body.action);
    if (!action.success) {
      await show(res, { refused: { followUpId, field: 'outcome', message: 'choose Done or Dismiss.', value: '' } }, 400);
      return;
    }
    let change: FollowUpChange;
    if (action.data === 'assign') {
      const chosen = text('assignee');
      // The assignee kept as it was (set in chat or through the admin API, not one of the staff listed).
      if (chosen === 'keep') return res.redirect(303, '/follow-ups');
      const staffId = /^staff:([0-9a-f-]{36})$/i.exec(chosen)?.[1];
      const account = staffId ? await deps.prisma.staffAccount.findFirst({ where: { id: staffId, organizationId: staff.organizationId, status: 'active' }, select: { id: true } }) : null;
      if (chosen !== '' && !account) {
        await show(res, { refused: { followUpId, field: 'assignee', message: 'choose someone from this clinic’s staff.', value: chosen } }, 400);
        return;
      }
      change = { kind: 'assign', assignee: account ? `staff:${account.id}` : null };
    } else if (action.data === 'note') {
      const note = noteSchema.safeParse(text('note'));
      if (!note.success) {
        await show(res, { refused: { followUpId, field: 'note', message: 'write a note of at most 2,000 characters.', value: text('note') } }, 400);
        return;
      }
      change = { kind: 'note', note: note.data };
    } else {
      const typed = text('outcome').trim();
      const outcome = typed === '' ? undefined : outcomeSchema.safeParse(typed);
      if (outcome && !outcome.success) {
        await show(res, { refused: { followUpId, field: 'outcome', message: 'the outcome must be at most 200 characters of plain text.', value: typed } }, 400);
        return;
      }
      change = { kind: action.data, outcome: outcome?.data };
    }
    const changed = (await decideFollowUp(deps, { organizationId: staff.organizationId, actor: staff.actor, followUpId, ...dashboardDecision(change, staff.staffAccountId ? staff.name : staff.actor) })) !== null;
    res.redirect(303, `/follow-ups?done=${changed ? action.data : 'gone'}`);
  });

  return router;
}
