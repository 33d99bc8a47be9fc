import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { findSignedInStaff, type SignedInStaff } from '../../services/staff-sign-ins.js';
import { ApiError } from '../api-error.js';
import { withPageViewer } from '../../web/page-viewer.js';
import { retentionStatus } from '../../services/leaving/inactivity.js';

export interface CookieSettings {
  /** PUBLIC_URL is https: cookies are Secure and take the `__Host-` prefix (no Domain, Path=/). */
  secure: boolean;
}

export const staffCookieName = (c: CookieSettings) => (c.secure ? '__Host-rollcall_session' : 'rollcall_session');
export const signInCookieName = (c: CookieSettings) => (c.secure ? '__Host-rollcall_signin' : 'rollcall_signin');

export function cookieOptions(c: CookieSettings, expires?: Date) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: c.secure, path: '/', ...(expires ? { expires } : {}) };
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function sameSecret(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Pages hold attendance of people in treatment: never cached, never framed, no inline script. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader(
    'content-security-policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('cache-control', 'no-store');
  next();
};

/** Signed-in staff only: pages redirect to sign-in, fetches and event streams get 401. */
export function requireStaff(deps: { prisma: Db; clock: Clock; cookies: CookieSettings; config?: { organizationRetentionDays: number } }): RequestHandler {
  return async (req, res, next) => {
    const token = readCookie(req.headers.cookie, staffCookieName(deps.cookies));
    const session = token ? await findSignedInStaff(deps.prisma, token, deps.clock.now()) : null;
    if (!session) {
      const navigation = req.method === 'GET' && !req.path.startsWith('/today/') && req.accepts('html');
      if (navigation) {
        res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      res.status(401).type('text').send('sign in first');
      return;
    }
    res.locals.staff = session;
    const retention = deps.config ? retentionStatus(session.platformsGoneAt, deps.config.organizationRetentionDays, deps.clock.now()) : undefined;
    withPageViewer({ clinicName: session.clinicName, name: session.name, manages: session.role === 'owner' || session.role === 'admin', ...(retention ? { retention } : {}) }, next);
  };
}

export function staffOf(res: Response): SignedInStaff {
  return res.locals.staff as SignedInStaff;
}

/** After requireStaff: only these roles pass (owner and admin: everything; facilitator: their programs; viewer: read only). */
export function requireRole(...roles: SignedInStaff['role'][]): RequestHandler {
  return (_req, res, next) => {
    if (!roles.includes(staffOf(res).role)) throw new ApiError(403, 'forbidden', 'Your role in this clinic does not allow this. Ask an owner or admin.');
    next();
  };
}

/** Viewers read only: no form post of theirs changes anything (sign-out excepted, it has its own route). */
export const refuseViewer: RequestHandler = (_req, res, next) => {
  if (staffOf(res).role === 'viewer') throw new ApiError(403, 'forbidden', 'Viewers can read but not change anything. Ask an owner or admin.');
  next();
};

/** Form posts must echo the session's CSRF token (SameSite=Lax already keeps other sites' posts cookieless). */
export const requireCsrf: RequestHandler = (req, res, next) => {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (!sameSecret(body._csrf, staffOf(res).csrfToken)) throw new ApiError(403, 'forbidden', 'This form has expired. Go back, reload the page and try again.');
  next();
};

/** A program outside a facilitator's assignments is as unknown to them as another clinic's: 404. */
export function requireVisibleProgram(staff: SignedInStaff, programId: string): void {
  if (staff.programIds && !staff.programIds.includes(programId)) throw new ApiError(404, 'not_found', 'program not found');
}

/** A facilitator sees a participant enrolled in one of their programs, no one else. */
export async function requireVisibleParticipant(prisma: Db, staff: SignedInStaff, participantId: string): Promise<void> {
  if (!staff.programIds) return;
  const enrolled = await prisma.enrollment.count({ where: { organizationId: staff.organizationId, participantId, programId: { in: staff.programIds } } });
  if (enrolled === 0) throw new ApiError(404, 'not_found', 'participant not found');
}
