import { decodeJwt } from 'jose';
import { z } from 'zod';
import { SignInRefused, type SignInProvider } from '../../services/sign-in/provider.js';

const userInfoSchema = z.object({
  sub: z.string().min(1),
  'https://slack.com/user_id': z.string().min(1),
  'https://slack.com/team_id': z.string().min(1),
  'https://slack.com/enterprise_id': z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
});

/**
 * "Sign in with Slack" (OpenID Connect). The code is exchanged and the person read through the Web
 * API (`openid.connect.token`, `openid.connect.userInfo`) at SLACK_API_URL, like every other call.
 * The id token comes straight from Slack over TLS, so only its nonce is checked, not its signature.
 */
export function createSlackSignIn(options: { clientId: string; clientSecret: string; apiUrl: string; oauthUrl: string }): SignInProvider {
  return {
    method: 'slack',
    label: 'Slack',
    authorizeUrl({ state, nonce, redirectUri }) {
      const url = new URL(`${options.oauthUrl}/openid/connect/authorize`);
      url.search = new URLSearchParams({ response_type: 'code', scope: 'openid profile email', client_id: options.clientId, redirect_uri: redirectUri, state, nonce }).toString();
      return url.toString();
    },
    async identify({ code, nonce, redirectUri }) {
      // Imported on first use: a deployment without Slack sign-in never loads the Slack SDK (docs/performance.md).
      const { WebClient } = await import('@slack/web-api');
      const anonymous = new WebClient(undefined, { slackApiUrl: options.apiUrl, retryConfig: { retries: 1 } });
      const token = await anonymous.openid.connect.token({ client_id: options.clientId, client_secret: options.clientSecret, code, redirect_uri: redirectUri, grant_type: 'authorization_code' });
      if (!token.access_token) throw new SignInRefused('slack gave no access token');
      if (token.id_token && decodeJwt(token.id_token).nonce !== nonce) throw new SignInRefused('slack id token nonce mismatch');
      const client = new WebClient(token.access_token, { slackApiUrl: options.apiUrl, retryConfig: { retries: 1 } });
      const info = userInfoSchema.parse(await client.openid.connect.userInfo());
      const teamId = info['https://slack.com/team_id'];
      const enterpriseId = info['https://slack.com/enterprise_id'];
      return {
        method: 'slack',
        platform: 'slack',
        workspaceIds: enterpriseId ? [teamId, enterpriseId] : [teamId],
        userId: info['https://slack.com/user_id'],
        name: info.name?.trim() || info.email || info['https://slack.com/user_id'],
        email: info.email,
      };
    },
  };
}
