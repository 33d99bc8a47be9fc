import { RateLimiterPrisma, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Request, Response } from 'express';
import type { Db } from '../db/database.js';
import { ApiError } from './api-error.js';

export interface AuthLimits {
  /** Failed attempts one client address may make per window before it must wait out the window. */
  perAddress: { failures: number; windowSeconds: number };
  /**
   * Failed attempts from all addresses per window. Past it, only addresses that signed in recently
   * may try, so a spread-out attack slows to nothing while the clinic's own machines keep working.
   */
  all: { failures: number; windowSeconds: number };
  /** How long an address that signed in successfully is remembered as the clinic's. */
  knownAddressDays: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  perAddress: { failures: 10, windowSeconds: 60 },
  all: { failures: 300, windowSeconds: 60 },
  knownAddressDays: 30,
};

export interface AuthAttempt {
  /** Seconds the address must wait before it may try a credential; null when it may try now. */
  waitSeconds: number | null;
  failed(): Promise<void>;
  /** Ends the address's run of failures and marks it as one of the clinic's. */
  succeeded(): Promise<void>;
}

export interface AuthLimiter {
  begin(address: string): Promise<AuthAttempt>;
}

const ALL = 'all';
/** Remembering an address once an hour per instance is enough; the table is the truth. */
const REMARK_KNOWN_MS = 3_600_000;

/**
 * Failed authentication counted in PostgreSQL (rate-limiter-flexible's Prisma store), so every
 * instance sees the same counts. Only failures count; the window starts at the first failure.
 * Credentials here are bearer tokens that name no account, so "per account" is the count across
 * all addresses, and it never shuts out an address that has signed in before.
 */
export function createAuthLimiter(prisma: Db, limits: AuthLimits = DEFAULT_AUTH_LIMITS): AuthLimiter {
  const store = { storeClient: prisma, tableName: 'authFailureCount' };
  const perAddress = new RateLimiterPrisma({ ...store, keyPrefix: 'auth-address', points: limits.perAddress.failures, duration: limits.perAddress.windowSeconds });
  const all = new RateLimiterPrisma({ ...store, keyPrefix: 'auth-all', points: limits.all.failures, duration: limits.all.windowSeconds, clearExpiredByTimeout: false });
  const known = new RateLimiterPrisma({ ...store, keyPrefix: 'auth-known', points: 1, duration: limits.knownAddressDays * 86_400, clearExpiredByTimeout: false });
  const markedAt = new Map<string, number>();

  const markKnown = async (address: string) => {
    const last = markedAt.get(address);
    if (last !== undefined && Date.now() - last < REMARK_KNOWN_MS) return;
    await known.set(address, 1, limits.knownAddressDays * 86_400);
    if (markedAt.size >= 10_000) markedAt.clear();
    markedAt.set(address, Date.now());
  };

  const waitFor = async (address: string, mine: RateLimiterRes | null, everyone: RateLimiterRes | null) => {
    if (mine && mine.consumedPoints >= limits.perAddress.failures) return Math.max(1, Math.ceil(mine.msBeforeNext / 1000));
    if (everyone && everyone.consumedPoints >= limits.all.failures && !(await known.get(address))) return Math.max(1, Math.ceil(everyone.msBeforeNext / 1000));
    return null;
  };

  return {
    async begin(address) {
      const [mine, everyone] = await Promise.all([perAddress.get(address), all.get(ALL)]);
      return {
        waitSeconds: await waitFor(address, mine, everyone),
        async failed() {
          await Promise.all([perAddress.penalty(address, 1), all.penalty(ALL, 1)]);
        },
        async succeeded() {
          if (mine) await perAddress.delete(address);
          await markKnown(address);
        },
      };
    },
  };
}

/** The client's address as express sees it (`trust proxy` decides whether X-Forwarded-For counts). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** 429 with Retry-After; the handler answers it like any ApiError. */
export function tooManyAttempts(res: Response, waitSeconds: number): ApiError {
  res.setHeader('retry-after', String(waitSeconds));
  return new ApiError(429, 'too_many_attempts', `too many failed attempts; try again in ${waitSeconds} s`);
}
