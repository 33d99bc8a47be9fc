import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../../services/api-tokens.js';
import { listPrograms } from '../../services/queries/program-queries.js';
import { changeStaff, listStaff, type StaffChange } from '../../services/staff-management.js';
import { renderStaffPage } from '../../web/staff-page.js';
import { renderTokensPage } from '../../web/tokens-page.js';
import { parseInput } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireCsrf, requireRole, staffOf } from './staff-guard.js';

const role = z.enum(['owner', 'admin', 'facilitator', 'viewer']);
const staffChangeSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve'), role }),
  z.object({ action: z.literal('decline') }),
  z.object({ action: z.literal('role'), role }),
  z.object({ action: z.literal('remove') }),
  z.object({ action: z.literal('assign'), programId: z.union([z.uuid(), z.array(z.uuid())]).optional() }),
]);
const tokenSchema = z.object({ label: z.string().trim().min(1, 'Enter a label.').max(80, 'At most 80 characters.') });

/** Settings → Staff and Settings → API tokens: owners and admins only. */
export function staffAdminRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const managers = requireRole('owner', 'admin');

  router.get('/settings/staff', guard, managers, async (req, res) => {
    const staff = staffOf(res);
    const [accounts, programs] = await Promise.all([listStaff(deps.prisma, staff.organizationId), listPrograms(deps, staff.organizationId, 'name')]);
    const done = typeof req.query.done === 'string' ? req.query.done : undefined;
    res.type('html').send(renderStaffPage({ staff: accounts, programs, csrfToken: staff.csrfToken, done }).value);
  });

  router.post('/settings/staff/:id', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const { _csrf, ...fields } = (req.body ?? {}) as Record<string, unknown>;
    const input = parseInput(staffChangeSchema, fields);
    const change: StaffChange =
      input.action === 'assign'
        ? { kind: 'assign', programIds: input.programId === undefined ? [] : [input.programId].flat() }
        : input.action === 'approve' || input.action === 'role'
          ? { kind: input.action, role: input.role }
          : { kind: input.action };
    await changeStaff(deps.prisma, staff, requireId(req.params.id, 'staff member'), change, deps.clock.now());
    res.redirect(303, `/settings/staff?done=${input.action}`);
  });

  const showTokens = async (res: express.Response, extra: { created?: { label: string; token: string }; error?: string } = {}, status = 200) => {
    const staff = staffOf(res);
    const rows = await listApiTokens(deps.prisma, staff.organizationId);
    const names = new Map((await deps.prisma.staffAccount.findMany({ where: { organizationId: staff.organizationId, id: { in: rows.flatMap((r) => (r.createdById ? [r.createdById] : [])) } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]));
    const tokens = rows.map((r) => ({
      ...r,
      operator: !r.createdByActor,
      createdBy: r.createdById ? (names.get(r.createdById) ?? 'A former staff member') : r.createdByActor ? 'Administrator (admin token)' : 'The operator (configuration)',
    }));
    res.status(status).type('html').send(renderTokensPage({ tokens, csrfToken: staff.csrfToken, ...extra }).value);
  };

  router.get('/settings/tokens', guard, managers, async (_req, res) => {
    await showTokens(res);
  });

  router.post('/settings/tokens', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const parsed = tokenSchema.safeParse(req.body);
    if (!parsed.success) return void (await showTokens(res, { error: parsed.error.issues[0]!.message }, 400));
    const created = await createApiToken(deps.prisma, { organizationId: staff.organizationId, label: parsed.data.label, actor: staff.actor, staffAccountId: staff.staffAccountId });
    // Shown in this answer only (no redirect: the token must not travel in a URL or be shown twice).
    await showTokens(res, { created: { label: parsed.data.label, token: created.token } }, 201);
  });

  router.post('/settings/tokens/:id/revoke', guard, managers, form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    await revokeApiToken(deps.prisma, { organizationId: staff.organizationId, tokenId: requireId(req.params.id, 'token'), actor: staff.actor });
    res.redirect(303, '/settings/tokens');
  });

  return router;
}
