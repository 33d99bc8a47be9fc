import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { ApiError } from './api-error.js';
import { ServiceError } from '../services/service-error.js';

const SERVICE_STATUS = { invalid_input: 400, not_found: 404, conflict: 409 } as const;
import { isPrismaError } from '../db/prisma-errors.js';

export interface HttpAppOptions {
  log: Logger;
  isReady(): boolean;
  /** Routers mounted in order; each owns its body parsing (webhooks need the raw bytes). */
  mount(app: Express): void;
}

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
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );
  app.get('/healthz', (_req, res) => {
    if (options.isReady()) res.json({ status: 'ok' });
    else res.status(503).json({ status: 'starting' });
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
  if (answer.status >= 500) req.log.error({ err: error }, 'request failed');
  if (res.headersSent) return;
  res.status(answer.status).json({ error: { code: answer.code, message: answer.message, ...(answer.details === undefined ? {} : { details: answer.details }) } });
};

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ServiceError) return new ApiError(SERVICE_STATUS[error.kind], error.kind, error.message, error.details);
  const bodyError = error as { type?: string; status?: number };
  if (bodyError?.type === 'entity.parse.failed') return new ApiError(400, 'invalid_json', 'body: not valid JSON');
  if (bodyError?.type === 'entity.too.large') return new ApiError(413, 'too_large', 'body: too large');
  if (isPrismaError(error, 'P2002')) return new ApiError(409, 'conflict', 'a record with these values already exists');
  if (isPrismaError(error, 'P2025')) return new ApiError(404, 'not_found', 'not found');
  return new ApiError(500, 'internal', 'internal error');
}
