import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import { resolveStaffSignIn, type StaffSignInOutcome } from '../../services/staff-identities.js';
import { signInStaff } from '../../services/staff-sign-ins.js';
import type { SignInProvider } from '../../services/sign-in/provider.js';
import { renderSignInOutcome } from '../../web/sign-in-page.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { cookieOptions, readCookie, sameSecret, staffCookieName, type CookieSettings } from './staff-guard.js';
import { safeNext } from './safe-next.js';

const STATE_TTL_MS = 10 * 60_000;
const authCookieName = (c: CookieSettings) => (c.secure ? '__Host-rollcall_auth' : 'rollcall_auth');
/** The OpenID nonce and the PKCE verifier derive from the browser's cookie secret: nothing else to store. */
const derive = (secret: string, purpose: string) => createHmac('sha256', secret).update(`rollcall-sign-in:${purpose}`).digest('base64url');

/**
 * `/auth/{slack,microsoft,zoom}` → the provider's authorize page with a signed, expiring state
 * bound to this browser by a cookie → `/auth/{provider}/callback`: who they are, then which clinic
 * (by the installation of their workspace) and which staff account (services/staff-identities.ts).
 */
export function providerSignInRoutes(deps: DashboardDeps): Router {
  const router = Router();
  const { providers, signer, publicUrl } = deps.signIn;
  const byMethod = new Map<string, SignInProvider>(providers.map((p) => [p.method, p]));
  const redirectUri = (provider: SignInProvider) => `${publicUrl}/auth/${provider.method}/callback`;

  const outcomePage = (res: Response, status: number, title: string, message: string, options: { retry?: string; install?: boolean } = {}) =>
    res.status(status).type('html').send(renderSignInOutcome({ title, message, ...options }).value);

  router.get('/auth/:provider', (req, res) => {
    const provider = byMethod.get(req.params.provider);
    if (!provider) return void outcomePage(res, 404, 'Sign-in not available', 'This deployment has no such sign-in. Use one of the buttons on the sign-in page.', { retry: '/sign-in' });
    const secret = randomBytes(24).toString('base64url');
    const state = signer.sign({ n: derive(secret, 'state'), p: provider.method, next: safeNext(req.query.next), exp: deps.clock.now().getTime() + STATE_TTL_MS });
    res.cookie(authCookieName(deps.cookies), secret, { ...cookieOptions(deps.cookies), maxAge: STATE_TTL_MS });
    const codeChallenge = createHash('sha256').update(derive(secret, 'pkce')).digest('base64url');
    res.redirect(302, provider.authorizeUrl({ state, nonce: derive(secret, 'nonce'), codeChallenge, redirectUri: redirectUri(provider) }));
  });

  router.get('/auth/:provider/callback', async (req, res) => {
    const provider = byMethod.get(req.params.provider);
    if (!provider) return void outcomePage(res, 404, 'Sign-in not available', 'This deployment has no such sign-in.', { retry: '/sign-in' });
    const retry = `/auth/${provider.method}`;
    const secret = readCookie(req.headers.cookie, authCookieName(deps.cookies));
    const claims = signer.verify(typeof req.query.state === 'string' ? req.query.state : undefined, deps.clock.now().getTime());
    const code = typeof req.query.code === 'string' ? req.query.code : undefined;
    if (typeof req.query.error === 'string') {
      req.log.info({ provider: provider.method }, 'sign-in cancelled at the provider');
      return void outcomePage(res, 400, 'Sign-in cancelled', `${provider.label} did not sign you in. You can try again.`, { retry });
    }
    if (!code || !secret || !claims || claims.p !== provider.method || !sameSecret(claims.n, derive(secret, 'state'))) {
      req.log.warn({ provider: provider.method, hasCode: Boolean(code), stateValid: Boolean(claims), cookie: Boolean(secret) }, 'sign-in callback refused');
      return void outcomePage(res, 400, 'Sign-in expired', 'This sign-in link has expired or was opened in another browser. Start again.', { retry });
    }
    res.clearCookie(authCookieName(deps.cookies), cookieOptions(deps.cookies));
    let outcome: StaffSignInOutcome;
    try {
      const person = await provider.identify({ code, redirectUri: redirectUri(provider), nonce: derive(secret, 'nonce'), codeVerifier: derive(secret, 'pkce') });
      outcome = await resolveStaffSignIn(deps.prisma, person, deps.clock.now());
    } catch (error) {
      req.log.warn({ provider: provider.method, err: (error as Error).message }, 'sign-in with provider failed');
      return void outcomePage(res, 502, 'Sign-in not completed', `${provider.label} did not confirm who you are. Please try again.`, { retry });
    }
    switch (outcome.kind) {
      case 'not_installed':
        return void outcomePage(res, 403, 'Rollcall isn’t installed in your workspace', `Rollcall isn’t installed in your ${provider.label} workspace yet. Someone who can install apps there adds it first; the person who installs it becomes the clinic’s owner.`, { install: true });
      case 'removed':
        return void outcomePage(res, 403, 'No access', `Your access to ${outcome.clinicName} was removed. Ask the clinic’s owner if this is a mistake.`);
      case 'pending':
        req.log.info({ staffAccountId: outcome.account.id }, 'staff sign-in waits for approval');
        return void outcomePage(res, 403, 'Waiting for approval', `You are waiting for approval by ${outcome.clinicName}’s owner. Ask them to approve you under Settings → Staff, then sign in again.`, { retry });
      case 'active': {
        const session = await signInStaff(deps.prisma, { organizationId: outcome.account.organizationId, method: provider.method, subject: outcome.account.id, staffAccountId: outcome.account.id }, deps.clock.now());
        res.cookie(staffCookieName(deps.cookies), session.token, cookieOptions(deps.cookies, session.expiresAt));
        res.redirect(303, safeNext(claims.next));
      }
    }
  });

  return router;
}
