import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import { SignInRefused, type SignInProvider } from './provider.js';

const tokenSchema = z.object({ id_token: z.string().min(1) });
const claimsSchema = z.object({
  tid: z.string().min(1),
  oid: z.string().min(1),
  nonce: z.string(),
  iss: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  preferred_username: z.string().optional(),
});

/**
 * "Sign in with Microsoft": Entra ID OpenID Connect, authorization code with PKCE, against the
 * `organizations` endpoint (any work account; the clinic is found by the tenant's Teams install).
 * The id token is verified against the issuer's published keys, for this app, from the tenant it
 * names (Entra's multi-tenant issuer is `{login}/{tid}/v2.0`).
 */
export function createMicrosoftSignIn(options: { clientId: string; clientSecret: string; loginUrl: string }): SignInProvider {
  const base = `${options.loginUrl}/organizations`;
  const keys = createRemoteJWKSet(new URL(`${base}/discovery/v2.0/keys`));
  return {
    method: 'microsoft',
    label: 'Microsoft',
    authorizeUrl({ state, nonce, codeChallenge, redirectUri }) {
      const url = new URL(`${base}/oauth2/v2.0/authorize`);
      url.search = new URLSearchParams({
        client_id: options.clientId,
        response_type: 'code',
        response_mode: 'query',
        redirect_uri: redirectUri,
        scope: 'openid profile email',
        state,
        nonce,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },
    async identify({ code, nonce, codeVerifier, redirectUri }) {
      const response = await fetch(`${base}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: options.clientId,
          client_secret: options.clientSecret,
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
          scope: 'openid profile email',
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new SignInRefused(`microsoft token endpoint answered ${response.status}`);
      const { id_token } = tokenSchema.parse(await response.json());
      const { payload } = await jwtVerify(id_token, keys, { audience: options.clientId, algorithms: ['RS256'] });
      const claims = claimsSchema.parse(payload);
      if (claims.iss !== `${options.loginUrl}/${claims.tid}/v2.0`) throw new SignInRefused('microsoft id token from an unexpected issuer');
      if (claims.nonce !== nonce) throw new SignInRefused('microsoft id token nonce mismatch');
      const email = claims.email ?? claims.preferred_username;
      return { method: 'microsoft', platform: 'teams', workspaceIds: [claims.tid], userId: claims.oid, name: claims.name?.trim() || email || claims.oid, email };
    },
  };
}
