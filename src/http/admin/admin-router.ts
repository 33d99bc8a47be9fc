import express, { Router } from 'express';
import type { AdminDeps } from './admin-deps.js';
import { requireAdminToken } from './auth.js';
import { organizationRouter } from './organization.js';
import { participantsRouter } from './participants.js';
import { programsRouter } from './programs.js';
import { reportRouter } from './reports.js';
import { schedulesRouter } from './schedules.js';
import { sessionsRouter } from './sessions.js';

/** The admin API of CONTRACT.md, at /api/v1, behind the bearer token. */
export function adminRouter(deps: AdminDeps, extra: Router[] = []): Router {
  const router = Router();
  router.use(express.json({ limit: '256kb' }));
  router.use(requireAdminToken(deps));
  router.use(organizationRouter(deps));
  router.use(programsRouter(deps));
  router.use(participantsRouter(deps));
  router.use(schedulesRouter(deps));
  router.use(sessionsRouter(deps));
  router.use(reportRouter(deps));
  for (const more of extra) router.use(more);
  return router;
}
