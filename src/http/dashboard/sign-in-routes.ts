import { randomBytes } from 'node:crypto';
import express, { Router } from 'express';
import { identifyByAdminToken, signOutStaff, signInStaff } from '../../services/staff-sign-ins.js';
import { renderSignInPage } from '../../web/sign-in-page.js';
import { clientAddress } from '../auth-limiter.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { cookieOptions, readCookie, requireCsrf, requireStaff, sameSecret, staffCookieName, signInCookieName, staffOf } from './staff-guard.js';

import { safeNext } from './safe-next.js';

export function signInRoutes(deps: DashboardDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  const showForm = (res: express.Response, options: { next: string; error?: string; signedOut?: boolean; status?: number }) => {
    // A pre-session token in a cookie and in the form: another site cannot sign someone in to its own clinic.
    const formToken = randomBytes(18).toString('base64url');
    res.cookie(signInCookieName(deps.cookies), formToken, { ...cookieOptions(deps.cookies), maxAge: 3_600_000 });
    res.status(options.status ?? 200).type('html').send(renderSignInPage({ formToken, providers: deps.signIn.providers.map((p) => ({ method: p.method, label: p.label })), ...options }).value);
  };

  router.get('/sign-in', (req, res) => {
    showForm(res, { next: safeNext(req.query.next), signedOut: req.query.signed_out === '1' });
  });

  router.post('/sign-in', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    if (!sameSecret(body._csrf, readCookie(req.headers.cookie, signInCookieName(deps.cookies)) ?? '')) {
      showForm(res, { next, error: 'The sign-in form expired. Please try again.', status: 403 });
      return;
    }
    const attempt = await deps.authLimiter.begin(clientAddress(req));
    if (attempt.waitSeconds !== null) {
      res.setHeader('retry-after', String(attempt.waitSeconds));
      showForm(res, { next, error: `Too many failed sign-ins from here. Try again in ${attempt.waitSeconds} seconds.`, status: 429 });
      return;
    }
    const token = typeof body.token === 'string' ? body.token : '';
    const identity = token ? await identifyByAdminToken(deps.prisma, token) : null;
    if (!identity) {
      if (token) await attempt.failed();
      req.log.warn('dashboard sign-in refused');
      showForm(res, { next, error: 'That token is not valid.', status: 401 });
      return;
    }
    await attempt.succeeded();
    const session = await signInStaff(deps.prisma, identity, deps.clock.now());
    res.clearCookie(signInCookieName(deps.cookies), cookieOptions(deps.cookies));
    res.cookie(staffCookieName(deps.cookies), session.token, cookieOptions(deps.cookies, session.expiresAt));
    res.redirect(303, next);
  });

  router.post('/sign-out', requireStaff(deps), form, requireCsrf, async (_req, res) => {
    await signOutStaff(deps.prisma, staffOf(res), deps.clock.now());
    res.clearCookie(staffCookieName(deps.cookies), cookieOptions(deps.cookies));
    res.redirect(303, '/sign-in?signed_out=1');
  });

  return router;
}
