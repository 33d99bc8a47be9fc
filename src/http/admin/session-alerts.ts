import { Router } from 'express';
import type { Db } from '../../db/database.js';
import { readSessionAlerts } from '../../services/session-alerts-read.js';
import { notFound } from '../api-error.js';
import { adminContext, requireId } from './auth.js';

/** GET /sessions/:id/alerts: what the engine raised for a session (npm run replay prints it). */
export function sessionAlertsRouter(deps: { prisma: Db }): Router {
  const router = Router();
  router.get('/sessions/:id/alerts', async (req, res) => {
    const { organizationId } = adminContext(res);
    const alerts = await readSessionAlerts(deps.prisma, organizationId, requireId(req.params.id, 'session'));
    if (!alerts) throw notFound('session');
    res.json({ alerts });
  });
  return router;
}
