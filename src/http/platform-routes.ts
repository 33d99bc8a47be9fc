import express, { type Express, type RequestHandler } from 'express';
import type { PlainResponse, PlainRoute, PlatformCapabilities } from '../platforms/module.js';

/**
 * The one place platform routes meet express. A plain route gets the raw bytes (decompressed, never
 * re-parsed), the headers and the query, and its answer is written as given. A route that answers
 * null passes the request on, its raw body kept as `req.rawBody` for the SDK router behind it
 * (Bolt's receiver reads it there). Errors go to the app's error handler: a generic 5xx, 503 while
 * the database is away.
 */
export function mountPlatformRoutes(app: Express, attached: readonly { capabilities: PlatformCapabilities }[]): void {
  for (const { capabilities: platform } of attached) {
    for (const route of platform.routes ?? []) {
      const method = route.method === 'GET' ? 'get' : 'post';
      app[method](route.path, express.raw({ type: () => true, limit: route.bodyLimit ?? '1mb' }), plainHandler(route));
    }
    if (platform.sdkRouter) app.use(platform.sdkRouter);
  }
}

function plainHandler(route: PlainRoute): RequestHandler {
  return async (req, res, next) => {
    const rawBody = Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.alloc(0);
    (req as unknown as { rawBody: Buffer }).rawBody = rawBody;
    const query: Record<string, string> = {};
    for (const [key, value] of new URL(req.originalUrl, 'http://local').searchParams) query[key] ??= value;
    let answer: PlainResponse | null;
    try {
      answer = await route.handler({ rawBody, headers: req.headers, query, log: req.log });
    } catch (error) {
      return next(error);
    }
    if (!answer) return next();
    res.status(answer.status);
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
    if (answer.body === undefined) res.end();
    else if (typeof answer.body === 'string' || Buffer.isBuffer(answer.body)) res.send(answer.body);
    else res.json(answer.body);
  };
}
