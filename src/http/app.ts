import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { DATABASE_RETRY_AFTER_SECONDS, toApiError } from './error-answer.js';

export interface HttpAppOptions {
  log: Logger;
  /** Started and not stopping: ready to take traffic. */
  isReady(): boolean;
  /** Whether the database answers now (a cached `SELECT 1`, db/database-probe.ts). */
  isDatabaseUp(): Promise<boolean>;
  /** Routers mounted in order; each owns its body parsing (webhooks need the raw bytes). */
  mount(app: Express): void;
}

const PROBES = new Set(['/healthz', '/readyz']);

export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger: options.log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Only method, path and status: query strings and bodies may carry names.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => PROBES.has(req.url ?? '') },
    }),
  );
  // Alive: this process and its database answer. A supervisor restarts what fails this.
  app.get('/healthz', async (_req, res) => {
    if (await options.isDatabaseUp()) res.json({ status: 'ok', database: 'up' });
    else res.status(503).json({ status: 'unavailable', database: 'down' });
  });
  // Ready: alive, started and not shutting down. A load balancer sends traffic only here.
  app.get('/readyz', async (_req, res) => {
    const database = (await options.isDatabaseUp()) ? 'up' : 'down';
    if (database === 'up' && options.isReady()) res.json({ status: 'ready', database });
    else res.status(503).json({ status: options.isReady() ? 'unavailable' : 'not_ready', database });
  });
  options.mount(app);
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such route' } });
  });
  app.use(handleError);
  return app;
}

const handleError: ErrorRequestHandler = (error, req, res, _next) => {
  const answer = toApiError(error);
  if (answer.status === 503) req.log.warn({ err: error }, 'database unavailable');
  else if (answer.status >= 500) req.log.error({ err: error }, 'request failed');
  if (res.headersSent) return;
  if (answer.status === 503) res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
  res.status(answer.status).json({ error: { code: answer.code, message: answer.message, ...(answer.details === undefined ? {} : { details: answer.details }) } });
};
