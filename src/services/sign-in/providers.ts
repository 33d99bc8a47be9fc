import type { Config } from '../../config.js';
import { createZoomAccountKey } from '../../platforms/zoom/account-key.js';
import { createMicrosoftSignIn } from './microsoft-openid.js';
import type { SignInProvider } from './provider.js';
import { createSlackSignIn } from '../../platforms/slack/openid-sign-in.js';
import { createZoomSignIn } from './zoom-sign-in.js';

/** The "Sign in with …" providers this deployment has credentials for (the same apps clinics install). */
export function signInProvidersFrom(config: Config): SignInProvider[] {
  const providers: SignInProvider[] = [];
  const { slack, zoom, microsoftSignIn, teams } = config;
  if (slack.clientId && slack.clientSecret) providers.push(createSlackSignIn({ clientId: slack.clientId, clientSecret: slack.clientSecret, apiUrl: slack.apiUrl, oauthUrl: slack.oauthUrl }));
  if (microsoftSignIn) providers.push(createMicrosoftSignIn({ ...microsoftSignIn, loginUrl: teams.loginUrl }));
  if (zoom.clientId && zoom.clientSecret) {
    providers.push(createZoomSignIn({ clientId: zoom.clientId, clientSecret: zoom.clientSecret, oauthUrl: zoom.oauthUrl, apiUrl: zoom.apiUrl, accountKey: createZoomAccountKey(config.encryptionKey) }));
  }
  return providers;
}
