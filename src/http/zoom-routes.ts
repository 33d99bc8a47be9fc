import express, { Router } from 'express';
import { handleZoomWebhook, type ZoomWebhookDeps } from '../platforms/zoom/webhook.js';

/** Express glue only: the raw bytes in, the handler's answer out. */
export function zoomRoutes(deps: ZoomWebhookDeps): Router {
  const router = Router();
  router.post('/zoom/webhook', express.raw({ type: () => true, limit: '512kb' }), async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const answer = await handleZoomWebhook({ rawBody, headers: req.headers }, { ...deps, log: req.log });
    res.status(answer.status).json(answer.body);
  });
  return router;
}
