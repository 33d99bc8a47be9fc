import { readFile } from 'node:fs/promises';
import { Router } from 'express';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../clock.js';
import { findSignedInStaff } from '../../services/staff-sign-ins.js';
import { readLegalDocument, type LegalDocument } from '../../services/site/site-documents.js';
import { renderLandingPage, type LandingLinks } from '../../web/landing-page.js';
import { renderLegalPage } from '../../web/legal-page.js';
import { readCookie, staffCookieName, type CookieSettings } from '../dashboard/staff-guard.js';

export type SiteConfig = Pick<Config, 'site' | 'slack' | 'teams' | 'zoom' | 'organizationRetentionDays'>;

/** Install and sign-in buttons, only for the platforms this deployment is configured for. */
export function landingLinks(config: SiteConfig): LandingLinks {
  const add: LandingLinks['add'] = [];
  const signIn: LandingLinks['signIn'] = [];
  if (config.slack.clientId) {
    add.push({ label: 'Add to Slack', href: '/slack/install' });
    signIn.push({ label: 'Sign in with Slack', href: '/auth/slack' });
  }
  if (config.teams.appId) {
    // The Teams app's deep link: it opens once the app is in the Teams Store or the tenant's catalog (docs/marketplace.md).
    add.push({ label: 'Add to Teams', href: config.site.teamsInstallUrl ?? `https://teams.microsoft.com/l/app/${encodeURIComponent(config.teams.appId)}` });
    signIn.push({ label: 'Sign in with Microsoft', href: '/auth/microsoft' });
  }
  if (config.zoom.clientId) {
    add.push({ label: 'Add to Zoom', href: '/zoom/install' });
    signIn.push({ label: 'Sign in with Zoom', href: '/auth/zoom' });
  }
  signIn.push({ label: 'Sign in with the admin token', href: '/sign-in' });
  return { add, signIn };
}

const FAVICON = new URL('../../../manifests/icons/favicon-32.png', import.meta.url);

/**
 * The public face: `/` signed out is the landing page (signed in, the dashboard's Today), the legal
 * pages, and the favicon. Mounted in the dashboard router, under its security headers.
 */
export function siteRoutes(deps: { prisma: Db; clock: Clock; cookies: CookieSettings; config: SiteConfig }): Router {
  const router = Router();
  let favicon: Promise<Buffer> | null = null;

  router.get('/', async (req, res, next) => {
    const token = readCookie(req.headers.cookie, staffCookieName(deps.cookies));
    if (token && (await findSignedInStaff(deps.prisma, token, deps.clock.now()))) {
      next();
      return;
    }
    res.type('html').send(renderLandingPage(landingLinks(deps.config), { clinicDeleted: req.query.clinic_deleted === '1' }).value);
  });

  for (const document of ['privacy', 'terms', 'support'] as const satisfies LegalDocument[]) {
    router.get(`/${document}`, async (_req, res) => {
      const { html } = await readLegalDocument(deps.config, document);
      res.type('html').send(renderLegalPage(document, html).value);
    });
  }

  router.get('/favicon.ico', async (_req, res) => {
    favicon ??= readFile(FAVICON);
    res.setHeader('cache-control', 'public, max-age=86400');
    res.type('image/png').send(await favicon);
  });

  return router;
}
