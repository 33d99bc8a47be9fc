import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { writeAudit } from '../../services/audit.js';
import { exportClinic } from '../../services/leaving/clinic-export.js';
import { deleteClinic, isFirstOrganization } from '../../services/leaving/clinic-deletion.js';
import { installedPlatforms, readRetentionStatus } from '../../services/leaving/inactivity.js';
import { renderLeavingPage } from '../../web/leaving-page.js';
import { ApiError } from '../api-error.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { cookieOptions, requireCsrf, requireRole, staffCookieName, staffOf } from './staff-guard.js';

const deleteForm = z.object({ confirmName: z.string().max(500).default('') });

/** Settings, Leaving: the owner exports the clinic's whole record or deletes the clinic. */
export function leavingRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const ownerOnly = requireRole('owner');

  const show = async (res: express.Response, error?: string) => {
    const staff = staffOf(res);
    const organization = await deps.prisma.organization.findUniqueOrThrow({ where: { id: staff.organizationId }, select: { name: true } });
    const retentionDays = deps.config.organizationRetentionDays;
    res.status(error ? 400 : 200).type('html').send(
      renderLeavingPage({
        clinicName: organization.name,
        csrfToken: staff.csrfToken,
        retention: await readRetentionStatus(deps.prisma, staff.organizationId, retentionDays, deps.clock.now()),
        retentionDays,
        deletable: !(await isFirstOrganization(deps.prisma, staff.organizationId)),
        installed: await installedPlatforms(deps.prisma, staff.organizationId),
        error,
      }).value,
    );
  };

  router.get('/settings/leaving', guard, ownerOnly, async (_req, res) => {
    await show(res);
  });

  router.post('/settings/leaving/export', guard, form, requireCsrf, ownerOnly, async (req, res) => {
    const staff = staffOf(res);
    const now = deps.clock.now();
    // Recorded before the first byte: a download cut short was still a download.
    await writeAudit(deps.prisma, { organizationId: staff.organizationId, actor: staff.actor, action: 'organization.export', entityType: 'Organization', entityId: staff.organizationId });
    res.status(200);
    res.setHeader('content-type', 'application/zip');
    res.setHeader('content-disposition', `attachment; filename="rollcall-clinic-${now.toISOString().slice(0, 10)}.zip"`);
    let closed = false;
    req.on('close', () => (closed = true));
    const result = await exportClinic(deps.prisma, staff.organizationId, now, {
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          if (closed) return reject(new Error('export download closed by the client'));
          if (res.write(chunk)) resolve();
          else res.once('drain', resolve);
        }),
      end: () => res.end(),
    });
    req.log.info({ organizationId: staff.organizationId, tables: result.tables, rows: result.rows }, 'clinic exported');
  });

  router.post('/settings/leaving/delete', guard, form, requireCsrf, ownerOnly, async (req, res) => {
    const staff = staffOf(res);
    const parsed = deleteForm.safeParse(req.body ?? {});
    if (!parsed.success) throw new ApiError(400, 'invalid_input', 'The form could not be read.');
    const organization = await deps.prisma.organization.findUniqueOrThrow({ where: { id: staff.organizationId }, select: { name: true } });
    if (parsed.data.confirmName.trim() !== organization.name) {
      await show(res, "That is not the clinic's name. Type it exactly as shown to delete the clinic.");
      return;
    }
    // Deliveries from a platform still installed would have no clinic left to go to (a Zoom account's
    // webhooks would fall to the first organization): the owner uninstalls first.
    if ((await installedPlatforms(deps.prisma, staff.organizationId)).length > 0) {
      await show(res, 'Rollcall is still installed for this clinic. Uninstall it from each platform listed above, then delete the clinic.');
      return;
    }
    const { rows } = await deleteClinic(deps.prisma, staff.organizationId);
    // The clinic's audit log went with it: the deployment's log keeps who deleted which clinic (ids only).
    req.log.warn({ organizationId: staff.organizationId, actor: staff.actor, rows }, 'clinic deleted by its owner');
    res.clearCookie(staffCookieName(deps.cookies), cookieOptions(deps.cookies));
    res.redirect(303, '/?clinic_deleted=1');
  });

  return router;
}
