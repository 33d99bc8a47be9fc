import { z } from 'zod';
import type { ZoomAccountKey } from '../../platforms/zoom/account-key.js';
import { SignInRefused, type SignInProvider } from './provider.js';

const tokenSchema = z.object({ access_token: z.string().min(1) });
const meSchema = z.object({ id: z.string().min(1), account_id: z.string().min(1), email: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional(), display_name: z.string().optional() });

/**
 * "Sign in with Zoom": Zoom OAuth (with PKCE) with the app's own client, then `users/me` says who
 * and which account. The account id is only ever used as its keyed hash (Zoom forbids storing it).
 * The access token is used once and dropped.
 */
export function createZoomSignIn(options: { clientId: string; clientSecret: string; oauthUrl: string; apiUrl: string; accountKey: ZoomAccountKey }): SignInProvider {
  return {
    method: 'zoom',
    label: 'Zoom',
    authorizeUrl({ state, codeChallenge, redirectUri }) {
      const url = new URL(`${options.oauthUrl}/oauth/authorize`);
      url.search = new URLSearchParams({ response_type: 'code', client_id: options.clientId, redirect_uri: redirectUri, state, code_challenge: codeChallenge, code_challenge_method: 'S256' }).toString();
      return url.toString();
    },
    async identify({ code, codeVerifier, redirectUri }) {
      const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
      const response = await fetch(`${options.oauthUrl}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new SignInRefused(`zoom token endpoint answered ${response.status}`);
      const { access_token } = tokenSchema.parse(await response.json());
      const me = await fetch(`${options.apiUrl}/users/me`, { headers: { authorization: `Bearer ${access_token}` }, signal: AbortSignal.timeout(10_000) });
      if (!me.ok) throw new SignInRefused(`zoom users/me answered ${me.status}`);
      const user = meSchema.parse(await me.json());
      const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
      const name = user.display_name?.trim() || fullName || user.email || user.id;
      return { method: 'zoom', platform: 'zoom', workspaceIds: [options.accountKey(user.account_id)], userId: user.id, name, email: user.email };
    },
  };
}
