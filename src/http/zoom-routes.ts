import express, { Router } from 'express';
import { handleZoomWebhook, type ZoomWebhookDeps } from '../platforms/zoom/webhook.js';

/** Express glue only: the raw bytes in, the handler's answer out. */
export function zoomRoutes(deps: ZoomWebhookDeps, app?: Router): Router {
  const router = Router();
  // The marketplace app's own routes (OAuth install, the in-meeting panel), when configured.
  if (app) router.use(app);
  router.post('/zoom/webhook', express.raw({ type: () => true, limit: '512kb' }), async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const answer = await handleZoomWebhook({ rawBody, headers: req.headers }, { ...deps, log: req.log });
    if (answer.headers) res.set(answer.headers);
    res.status(answer.status).json(answer.body);
  });
  return router;
}
