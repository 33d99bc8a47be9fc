import { App, ExpressReceiver } from '@slack/bolt';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Db } from '../../db/database.js';
import type { Notifier } from '../../services/notifier.js';
import { quietSlackLogger } from './quiet-logger.js';
import { createSlackInstallationStore } from './installation-store.js';
import { createSlackNotifier } from './notify.js';
import { createSlackParticipantMessenger } from './participant-messages.js';
import type { ParticipantMessenger } from '../../services/participant-messenger.js';
import { registerAlertActions, type SlackActionDeps } from './alert-actions.js';
import { registerSlashCommand } from './slash-command.js';
import { registerAppHome } from './app-home.js';
import { registerParticipantChat } from './participant-chat.js';
import { registerHuddleEvents } from './huddle-events.js';
import type { PresenceEvent } from '../../core/presence-event.js';

/** What the bot asks for when installed; see manifests/slack/manifest.json. */
export const SLACK_BOT_SCOPES = ['chat:write', 'channels:history', 'groups:history', 'im:history', 'im:write', 'commands', 'users:read', 'users.profile:read'];

export interface SlackAppDeps extends Omit<SlackActionDeps, 'log'> {
  config: Config;
  prisma: Db;
  box: SecretBox;
  log: Logger;
  /** The organization a newly installed workspace belongs to. */
  organizationFor(workspaceId: string): Promise<string>;
  ingestPresence(events: PresenceEvent[]): Promise<unknown>;
}

export interface SlackApp {
  router: Router;
  notifier: Notifier;
  messenger: ParticipantMessenger;
}

/**
 * The Slack app: Bolt on our express server at /slack/events (events, interactivity, slash
 * commands; Bolt checks signatures), in single-workspace mode (SLACK_BOT_TOKEN) or OAuth mode
 * (SLACK_CLIENT_ID…, installations in PostgreSQL). Null when Slack is not configured.
 */
export function createSlackApp(deps: SlackAppDeps): SlackApp | null {
  const { config, prisma, box, log } = deps;
  const slack = config.slack;
  if (!slack.signingSecret) return null;
  const oauth = Boolean(slack.clientId && slack.clientSecret && slack.stateSecret);
  if (!oauth && !slack.botToken) {
    log.warn('SLACK_SIGNING_SECRET is set but neither SLACK_BOT_TOKEN nor the OAuth variables are: Slack is off');
    return null;
  }
  const installationStore = createSlackInstallationStore({ prisma, box, log, organizationFor: deps.organizationFor });
  const receiver = new ExpressReceiver({
    signingSecret: slack.signingSecret,
    endpoints: '/slack/events',
    // Ack first, work after: Slack gives three seconds.
    processBeforeResponse: false,
    logger: quietSlackLogger(log, 'slack-bolt'),
    ...(oauth
      ? {
          clientId: slack.clientId,
          clientSecret: slack.clientSecret,
          stateSecret: slack.stateSecret,
          scopes: SLACK_BOT_SCOPES,
          installationStore,
          redirectUri: `${config.publicUrl}/slack/oauth_redirect`,
          installerOptions: { installPath: '/slack/install', redirectUriPath: '/slack/oauth_redirect', directInstall: true },
        }
      : {}),
  });
  const app = new App({
    receiver,
    logger: quietSlackLogger(log, 'slack-bolt'),
    clientOptions: { slackApiUrl: slack.apiUrl },
    ...(oauth ? {} : { token: slack.botToken }),
  });
  registerAlertActions(app, { ...deps, log });
  registerSlashCommand(app, { ...deps, log });
  registerAppHome(app, { ...deps, log });
  registerParticipantChat(app, { ...deps, log });
  registerHuddleEvents(app, { ...deps, log });
  const forgetWorkspace = async ({ body }: { body: { team_id?: string; enterprise_id?: string; is_enterprise_install?: boolean } }) => {
    await installationStore.deleteInstallation?.({
      teamId: body.team_id,
      enterpriseId: body.enterprise_id,
      isEnterpriseInstall: Boolean(body.is_enterprise_install),
    } as never);
  };
  // Slack sends these two in either order; each deletes the tokens, so the second is a no-op.
  app.event('app_uninstalled', forgetWorkspace);
  app.event('tokens_revoked', forgetWorkspace);
  app.error(async (error) => {
    log.error({ err: error }, 'slack handler failed');
  });

  const tokenForOrganization = async (organizationId: string) => (oauth ? installationStore.botTokenForOrganization(organizationId) : (slack.botToken ?? null));
  const notifier = createSlackNotifier({ apiUrl: slack.apiUrl, log, minIntervalMs: slack.channelIntervalMs, tokenFor: (channel) => tokenForOrganization(channel.organizationId) });
  const messenger = createSlackParticipantMessenger({ apiUrl: slack.apiUrl, log, tokenFor: tokenForOrganization });
  return { router: receiver.router as unknown as Router, notifier, messenger };
}
