import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Db } from '../../db/database.js';
import { ApiError } from '../api-error.js';
import { hashToken } from '../../crypto/token-hash.js';
import { apiTokenActor, findApiToken, touchApiToken } from '../../services/api-tokens.js';
import type { Clock } from '../../clock.js';
import { clientAddress, tooManyAttempts, type AuthLimiter } from '../auth-limiter.js';

export { hashToken };

export interface AdminContext {
  organizationId: string;
  /** Written to the audit log as who did it. */
  actor: string;
}

/** Bearer tokens are looked up by hash, so the database never holds one that could be replayed. */
export function requireAdminToken(deps: { prisma: Db; authLimiter: AuthLimiter; clock: Clock }): RequestHandler {
  const limiter = deps.authLimiter;
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthorized', 'missing bearer token');
    // Checked before the token: an address over its limit learns nothing, not even a right guess.
    const attempt = await limiter.begin(clientAddress(req));
    if (attempt.waitSeconds !== null) throw tooManyAttempts(res, attempt.waitSeconds);
    const hash = hashToken(match[1]!);
    const token = await findApiToken(deps, hash);
    if (!token || !timingSafeEqual(Buffer.from(token.tokenHash), Buffer.from(hash))) {
      await attempt.failed();
      req.log.warn('admin API token refused');
      throw new ApiError(401, 'unauthorized', 'invalid bearer token');
    }
    await attempt.succeeded();
    await touchApiToken(deps.prisma, token, deps.clock.now());
    res.locals.admin = { organizationId: token.organizationId, actor: apiTokenActor(token) } satisfies AdminContext;
    next();
  };
}

export function adminContext(res: Response): AdminContext {
  return res.locals.admin as AdminContext;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that cannot exist is as unknown as one that does not: 404, never a database error. */
export function requireId(value: string | string[] | undefined, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new ApiError(404, 'not_found', `${what} not found`);
  return value.toLowerCase();
}
