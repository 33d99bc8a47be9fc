import { Router, type RequestHandler } from 'express';
import { ApiError } from '../api-error.js';
import { createConnectStates } from '../../services/installs/connect-state.js';
import { installablePlatforms } from '../../services/installs/connections.js';
import { writeAudit } from '../../services/audit.js';
import { renderTeamsConnectPage } from '../../web/connect-page.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireRole, staffOf } from './staff-guard.js';

const INSTALL_PATH = { slack: '/slack/install', zoom: '/zoom/install' } as const;

/**
 * "Connect Slack / Teams / Zoom" in Settings (owners and admins): a signed, ten-minute Connect state
 * naming this clinic, carried through the platform's install so the workspace joins this clinic
 * rather than founding its own. Slack and Zoom take it in their install URL; a Teams install can
 * carry nothing of ours, so the installer writes it to the bot as `connect <code>`.
 */
export function connectRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const states = createConnectStates(deps.config.encryptionKey);
  router.get('/settings/connect/:platform', guard, requireRole('owner', 'admin'), async (req, res) => {
    const platform = req.params.platform;
    if (platform !== 'slack' && platform !== 'teams' && platform !== 'zoom') throw new ApiError(404, 'not_found', 'There is no such platform.');
    if (!installablePlatforms(deps.config)[platform]) throw new ApiError(404, 'not_found', 'This deployment does not offer that platform.');
    const staff = staffOf(res);
    const state = states.sign({ organizationId: staff.organizationId, platform, staffAccountId: staff.staffAccountId }, deps.clock.now().getTime());
    await writeAudit(deps.prisma, { organizationId: staff.organizationId, actor: staff.actor, action: 'installation.connect_started', entityType: 'Organization', entityId: staff.organizationId, data: { platform } });
    res.setHeader('cache-control', 'no-store');
    if (platform === 'teams') return void res.type('html').send(renderTeamsConnectPage({ code: state, csrfToken: staff.csrfToken }).value);
    res.redirect(303, `${INSTALL_PATH[platform]}?connect=${encodeURIComponent(state)}`);
  });
  return router;
}
