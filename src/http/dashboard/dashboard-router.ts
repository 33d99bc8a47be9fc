import { fileURLToPath } from 'node:url';
import express, { Router, type ErrorRequestHandler } from 'express';
import { renderErrorPage } from '../../web/error-page.js';
import { DATABASE_RETRY_AFTER_SECONDS, toApiError } from '../error-answer.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { connectRoutes } from './connect-routes.js';
import { followUpRoutes } from './follow-up-routes.js';
import { participantRoutes } from './participant-routes.js';
import { programRoutes } from './program-routes.js';
import { programSetupRoutes } from './program-setup-routes.js';
import { participantSetupRoutes } from './participant-setup-routes.js';
import { participantRecordRoutes } from './participant-record-routes.js';
import { scheduleRoutes } from './schedule-routes.js';
import { importRoutes } from './import-routes.js';
import { clinicRoutes } from './clinic-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { signInRoutes } from './sign-in-routes.js';
import { providerSignInRoutes } from './provider-sign-in-routes.js';
import { siteRoutes } from '../site/site-routes.js';
import { leavingRoutes } from './leaving-routes.js';
import { participantImportRoutes } from './participant-import-routes.js';
import { requireStaff, securityHeaders, staffOf } from './staff-guard.js';
import { todayRoutes } from './today-routes.js';
import { staffAdminRoutes } from './staff-admin-routes.js';

const assetsDir = fileURLToPath(new URL('../../web/assets/', import.meta.url));

export interface Dashboard {
  router: Router;
  /** Ends the open event streams, so the server can close. */
  close(): void;
}

/** The staff dashboard at `/`: server-rendered pages, one script, scoped to the signed-in organization. */
export function createDashboard(deps: DashboardDeps): Dashboard {
  const router = Router();
  const streams = new Set<() => void>();
  const guard = requireStaff(deps);
  router.use('/assets', express.static(assetsDir, { index: false, maxAge: '1h' }));
  router.use(securityHeaders);
  router.use(signInRoutes(deps));
  router.use(providerSignInRoutes(deps));
  router.use(siteRoutes(deps));
  router.use(todayRoutes(deps, guard, streams));
  router.use(programRoutes(deps, guard));
  router.use(programSetupRoutes(deps, guard));
  router.use(scheduleRoutes(deps, guard));
  router.use(importRoutes(deps, guard));
  router.use(participantSetupRoutes(deps, guard));
  router.use(participantRoutes(deps, guard));
  router.use(participantRecordRoutes(deps, guard));
  router.use(followUpRoutes(deps, guard));
  router.use(settingsRoutes(deps, guard));
  router.use(clinicRoutes(deps, guard));
  router.use(connectRoutes(deps, guard));
  router.use(staffAdminRoutes(deps, guard));
  router.use(leavingRoutes(deps, guard));
  router.use(participantImportRoutes(deps, guard));
  router.use(renderDashboardError);
  return {
    router,
    close() {
      for (const close of [...streams]) close();
    },
  };
}

const renderDashboardError: ErrorRequestHandler = (error, req, res, _next) => {
  const known = toApiError(error);
  const status = known.status;
  if (status === 503) req.log.warn({ err: error }, 'database unavailable');
  else if (status >= 500) req.log.error({ err: error }, 'dashboard request failed');
  if (res.headersSent) return;
  if (status === 503) res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
  const message = status === 404 ? 'There is no such page in your clinic.' : status >= 500 ? 'The page could not be shown. Try again in a moment.' : known.message;
  const csrfToken = res.locals.staff ? staffOf(res).csrfToken : undefined;
  res.status(status).type('html').send(renderErrorPage({ status, message, csrfToken }).value);
};
