import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { writeAudit } from '../../services/audit.js';
import type { ZoomInstallations } from './installations.js';
import type { Signer } from '../../crypto/signed-token.js';
import type { ConnectStates } from '../../services/installs/connect-state.js';
import { INSTALL_REFUSAL_TEXT } from '../../services/installs/place-install.js';

const STATE_COOKIE = 'rollcall_zoom_oauth';
const STATE_TTL_MS = 10 * 60_000;

export interface ZoomOAuthRouteDeps {
  prisma: Db;
  log: Logger;
  installations: ZoomInstallations;
  signer: Signer;
  oauthUrl: string;
  clientId: string;
  publicUrl: string;
  /** "Connect Zoom" in a clinic's Settings sends `?connect=<state>`: the install joins that clinic. */
  connectStates: ConnectStates;
  nowMs(): number;
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const html = (res: Response, status: number, title: string, text: string) =>
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(`<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);

/**
 * `GET /zoom/install` sends the admin to Zoom's consent page with a signed, expiring state that is
 * also bound to this browser by a cookie (a state copied into another browser is refused);
 * `GET /zoom/oauth/callback` checks both, exchanges the code and places the installation: a new
 * account founds its own clinic, unless the install started from a clinic's "Connect Zoom"
 * (`?connect=<signed Connect state>`, carried inside this state), which joins that clinic.
 */
export function zoomOAuthRouter(deps: ZoomOAuthRouteDeps): Router {
  const router = express.Router();
  const redirectUri = `${deps.publicUrl}/zoom/oauth/callback`;
  const secure = deps.publicUrl.startsWith('https://');

  router.get('/zoom/install', (req, res) => {
    const connect = typeof req.query.connect === 'string' ? req.query.connect : undefined;
    const invited = connect === undefined ? null : deps.connectStates.verify(connect, 'zoom', deps.nowMs());
    // A broken Connect link must not quietly found a new clinic instead of joining the one that sent it.
    if (connect !== undefined && !invited) {
      deps.log.warn('zoom install refused: connect state invalid or expired');
      return void html(res, 400, 'Installation not started', 'This Connect link has expired or is not valid. Start again from Connect Zoom in your clinic’s Settings.');
    }
    const nonce = randomBytes(16).toString('base64url');
    const state = deps.signer.sign({ n: nonce, ...(invited ? { c: invited.organizationId } : {}), exp: deps.nowMs() + STATE_TTL_MS });
    res.cookie(STATE_COOKIE, nonce, { httpOnly: true, sameSite: 'lax', secure, path: '/zoom/oauth', maxAge: STATE_TTL_MS });
    const url = new URL(`${deps.oauthUrl}/oauth/authorize`);
    url.search = new URLSearchParams({ response_type: 'code', client_id: deps.clientId, redirect_uri: redirectUri, state }).toString();
    res.redirect(302, url.toString());
  });

  router.get('/zoom/oauth/callback', async (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code : undefined;
    const state = typeof req.query.state === 'string' ? req.query.state : undefined;
    const claims = deps.signer.verify(state, deps.nowMs());
    const nonce = cookieValue(req, STATE_COOKIE);
    if (!code || !claims || typeof claims.n !== 'string' || !nonce || !sameText(claims.n, nonce)) {
      deps.log.warn({ hasCode: Boolean(code), stateValid: Boolean(claims), cookie: Boolean(nonce) }, 'zoom oauth callback refused');
      return void html(res, 400, 'Installation not completed', 'This link has expired or was opened in another browser. Start again from the Install button.');
    }
    res.clearCookie(STATE_COOKIE, { path: '/zoom/oauth' });
    try {
      const connectTo = typeof claims.c === 'string' ? claims.c : null;
      const installed = await deps.installations.install({ code, redirectUri, connectTo });
      if ('refused' in installed) {
        if (connectTo) {
          await writeAudit(deps.prisma, {
            organizationId: connectTo,
            actor: `zoom:${installed.userId}`,
            action: 'zoom.install_refused',
            entityType: 'Installation',
            entityId: installed.accountKey,
            data: { reason: installed.refused },
          }).catch(() => {});
        }
        return void html(res, 409, 'Installation not completed', INSTALL_REFUSAL_TEXT[installed.refused]);
      }
      await writeAudit(deps.prisma, {
        organizationId: installed.organizationId,
        actor: `zoom:${installed.userId}`,
        action: 'zoom.install',
        entityType: 'Installation',
        entityId: installed.accountKey,
        data: { outcome: installed.outcome },
      });
      html(res, 200, 'Rollcall is installed', 'Rollcall is connected to your Zoom account. You can close this window.');
    } catch (error) {
      deps.log.error({ err: (error as Error).message }, 'zoom oauth exchange failed');
      html(res, 502, 'Installation not completed', 'Zoom did not complete the installation. Please try again.');
    }
  });
  return router;
}
