import type { Logger } from 'pino';
import { z } from 'zod';
import type { SecretBox } from '../../crypto/secret-box.js';
import { plainPool, type Db } from '../../db/database.js';
import type { ZoomAccountKey } from './account-key.js';
import { placeInstall, type InstallPlacement } from '../../services/installs/place-install.js';
import { basicAuth, zoomRequest } from './zoom-http.js';

export interface ZoomOAuthSettings {
  oauthUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
}

/** What is sealed in Installation.encryptedTokens for a Zoom account. */
interface ZoomTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
  scope: string;
}

export const zoomTokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

/** `GET /users/me`: who installed, their account, and what the account calls itself. */
const zoomMeSchema = z.looseObject({
  id: z.string().min(1),
  account_id: z.string().min(1),
  company: z.string().nullish(),
});

/** The new clinic's name: the company Zoom has for the account; placeInstall falls back to "Zoom account". */
const accountName = (me: z.output<typeof zoomMeSchema>) => (me.company ?? '').trim();

export type ZoomInstallOutcome =
  | { accountKey: string; userId: string; organizationId: string; outcome: 'created' | 'connected' | 'reinstalled' }
  | { accountKey: string; userId: string; refused: Extract<InstallPlacement, { refused: string }>['refused'] };

/**
 * The clinic a Zoom account (id or key) installed into; null when it never installed (or removed the
 * app). Needs no OAuth settings: a deployment with only the webhook secret simply has no rows.
 */
export async function organizationOfZoomAccount(prisma: Db, accountKey: ZoomAccountKey, accountId: string): Promise<string | null> {
  const externalId = accountKey(accountId);
  // Asked for every delivery, on the acknowledgement's path: plain SQL where it can (db/database.ts, plainPool).
  const pool = plainPool(prisma);
  if (pool) {
    const { rows } = await pool.query<{ organizationId: string }>(`SELECT "organizationId" FROM "Installation" WHERE platform = 'zoom' AND "externalId" = $1`, [externalId]);
    return rows[0]?.organizationId ?? null;
  }
  const row = await prisma.installation.findUnique({ where: { platform_externalId: { platform: 'zoom', externalId } }, select: { organizationId: true } });
  return row?.organizationId ?? null;
}

/** Refresh this long before Zoom's one-hour access token expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

// Tokens stay bound to the account id itself (as sealed before ids were hashed); the id is bound to its key.
const aad = (accountId: string) => `zoom:${accountId}`;
export const accountIdAad = (key: string) => `zoom-account:${key}`;

/**
 * Zoom accounts that installed the app (OAuth, account level), in PostgreSQL. Tokens are sealed with
 * ENCRYPTION_KEY, bound to the account id. Zoom rotates the refresh token on every refresh and the
 * old one stops working, so two instances must never refresh at once: a refresh runs under
 * `SELECT … FOR UPDATE` on the installation row, and whoever waited reads the new tokens instead.
 * The account id is stored as its keyed hash (`externalId`, for lookups) and sealed (for the APIs
 * that need it); methods take the id in clear or its key.
 */
export function createZoomInstallations(deps: { prisma: Db; box: SecretBox; log: Logger; oauth: ZoomOAuthSettings; accountKey: ZoomAccountKey; now?: () => number }) {
  const { prisma, box, log, oauth, accountKey } = deps;
  const byAccount = (accountId: string) => ({ platform_externalId: { platform: 'zoom' as const, externalId: accountKey(accountId) } });
  const now = deps.now ?? Date.now;
  const seal = (accountId: string, tokens: ZoomTokens) => box.seal(JSON.stringify(tokens), aad(accountId));
  const open = (accountId: string, sealed: string) => JSON.parse(box.open(sealed, aad(accountId))) as ZoomTokens;

  async function requestTokens(form: Record<string, string>): Promise<ZoomTokens> {
    const answer = zoomTokenAnswerSchema.parse(
      await zoomRequest(`${oauth.oauthUrl}/oauth/token`, { method: 'POST', authorization: basicAuth(oauth.clientId, oauth.clientSecret), form }),
    );
    if (!answer.refresh_token) throw new Error('zoom token answer without refresh_token');
    return { accessToken: answer.access_token, refreshToken: answer.refresh_token, expiresAt: now() + answer.expires_in * 1000, scope: answer.scope ?? '' };
  }

  return {
    /**
     * Exchanges an authorization code, reads the account it belongs to, and places it (placeInstall):
     * an account already installed stays with its clinic, one invited by a Connect state joins that
     * clinic, any other founds a clinic named after the account. The row is written in the same
     * locked transaction; a refused install stores nothing.
     */
    async install(input: { code: string; redirectUri: string; connectTo?: string | null }): Promise<ZoomInstallOutcome> {
      const tokens = await requestTokens({ grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri });
      const me = zoomMeSchema.parse(await zoomRequest(`${oauth.apiUrl}/users/me`, { authorization: `Bearer ${tokens.accessToken}` }));
      const key = accountKey(me.account_id);
      const name = accountName(me);
      const data = { installedBy: me.id, name, scopes: tokens.scope.split(/[ ,]+/).filter(Boolean) };
      const sealed = { encryptedTokens: seal(me.account_id, tokens), encryptedExternalId: box.seal(me.account_id, accountIdAad(key)) };
      const placement = await placeInstall(prisma, { platform: 'zoom', externalId: key, displayName: name, connectTo: input.connectTo ?? null }, async (tx, organizationId) => {
        await tx.installation.upsert({
          where: byAccount(key),
          create: { organizationId, platform: 'zoom', externalId: key, ...sealed, data },
          update: { ...sealed, data },
        });
      });
      if ('refused' in placement) {
        log.warn({ accountKey: key, refused: placement.refused }, 'zoom installation refused');
        return { refused: placement.refused, accountKey: key, userId: me.id };
      }
      log.info({ accountKey: key, organizationId: placement.organizationId, outcome: placement.outcome }, 'zoom installation stored');
      return { accountKey: key, userId: me.id, organizationId: placement.organizationId, outcome: placement.outcome };
    },

    /** The organization an installed Zoom account (id or key) belongs to; null when that account has not installed the app. */
    organizationOf: (accountId: string) => organizationOfZoomAccount(prisma, accountKey, accountId),

    /**
     * The account id (in clear, for Zoom's APIs) of the clinic's Zoom account. A clinic connects one
     * (placeInstall); one that holds several from before clinics were separated keeps its first,
     * never whichever installed last (a stranger's install must not take over its chatbot).
     */
    async accountOf(organizationId: string): Promise<string | null> {
      const rows = await prisma.installation.findMany({
        where: { organizationId, platform: 'zoom', encryptedTokens: { not: null }, encryptedExternalId: { not: null } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { externalId: true, encryptedExternalId: true },
        take: 2,
      });
      const row = rows[0];
      if (rows.length > 1) log.warn({ organizationId, accountKey: row?.externalId }, 'several zoom accounts installed for one organization; using the first installed');
      return row?.encryptedExternalId ? box.open(row.encryptedExternalId, accountIdAad(row.externalId)) : null;
    },

    /** A valid access token for the account (its id in clear), refreshed first when it expires within five minutes; null when not installed. */
    async accessToken(accountId: string): Promise<string | null> {
      const row = await prisma.installation.findUnique({ where: byAccount(accountId) });
      if (!row?.encryptedTokens) return null;
      const current = open(accountId, row.encryptedTokens);
      if (current.expiresAt - now() > REFRESH_MARGIN_MS) return current.accessToken;
      return prisma.$transaction(
        async (tx) => {
          const locked = await tx.$queryRaw<{ encryptedTokens: string | null }[]>`SELECT "encryptedTokens" FROM "Installation" WHERE id = ${row.id}::uuid FOR UPDATE`;
          const sealed = locked[0]?.encryptedTokens;
          if (!sealed) return null;
          const latest = open(accountId, sealed);
          // Another instance refreshed while this one waited for the lock.
          if (latest.expiresAt - now() > REFRESH_MARGIN_MS) return latest.accessToken;
          const fresh = await requestTokens({ grant_type: 'refresh_token', refresh_token: latest.refreshToken });
          await tx.installation.update({ where: { id: row.id }, data: { encryptedTokens: seal(accountId, fresh) } });
          log.info({ accountKey: row.externalId }, 'zoom tokens refreshed');
          return fresh.accessToken;
        },
        { timeout: 30_000, maxWait: 15_000 },
      );
    },
  };
}

export type ZoomInstallations = ReturnType<typeof createZoomInstallations>;
