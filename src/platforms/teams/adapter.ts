import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { Config } from '../../config.js';
import { withoutSdkRetries } from './connector.js';

/**
 * Bot Framework's public-cloud settings (botframework-connector's AuthenticationConstants). botbuilder
 * takes them all or none: naming one of them (the OpenID metadata URL) means naming every one.
 */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
  ValidateAuthority: true,
};

/**
 * The adapter with its authenticate-and-run step callable from our own route: CloudAdapter.process
 * writes the thrown error's message as the response body and answers 500 for anything but an
 * authentication error; inbound-route.ts answers instead.
 */
export class RollcallTeamsAdapter extends TeamsAdapter {
  authenticateAndRun(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * botbuilder's CloudAdapter (through teams-ai's TeamsAdapter) with the app's credentials: it checks
 * each inbound Bot Connector JWT (issuer, audience = MICROSOFT_APP_ID, signature against the keys
 * published at the OpenID metadata URL, `serviceurl` claim) and signs outbound calls. With
 * MICROSOFT_BOT_OPENID_METADATA_URL the keys come from elsewhere (tests; a private cloud); the
 * issuer stays Bot Framework's.
 */
export function createTeamsAdapter(teams: Config['teams']): RollcallTeamsAdapter {
  const adapter = new RollcallTeamsAdapter({
    MicrosoftAppId: teams.appId ?? '',
    MicrosoftAppPassword: teams.appPassword ?? '',
    // Without an app id (local development) the tenant only names the home tenant's clinic; no registration type applies.
    MicrosoftAppTenantId: teams.appId ? (teams.tenantId ?? '') : '',
    MicrosoftAppType: teams.appType ?? (teams.tenantId && teams.appId ? 'SingleTenant' : 'MultiTenant'),
    ...(teams.openIdMetadataUrl ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: teams.openIdMetadataUrl } : {}),
  });
  withoutSdkRetries(adapter);
  return adapter;
}
