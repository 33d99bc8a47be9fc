import { App, AuthorizationError, ExpressReceiver } from '@slack/bolt';
import express from 'express';
import { quietSlackLogger } from './quiet-logger.js';
import { createSlackInstallationStore } from './installation-store.js';
import { createSlackNotifier } from './notify.js';
import { createSlackParticipantMessenger } from './participant-messages.js';
import { registerStaffButtons } from './staff-buttons.js';
import { registerSlashCommand } from './slash-command.js';
import { registerAppHome } from './app-home.js';
import { registerParticipantChat } from './participant-chat.js';
import { registerHuddleEvents } from './huddle-events.js';
import { errorCodeOf, isOutage } from './bolt-errors.js';
import { createSlackEventIntake, SLACK_BODY_LIMIT } from './event-intake.js';
import { createSlackWebClient, DEFAULT_SLACK_TIMEOUT_MS } from './web-client.js';
import { registerSlackInstallPath, slackCallbackOptions } from './install-pages.js';
import { createConnectStates } from '../../services/installs/connect-state.js';
import type { PlatformCapabilities, PlatformHost, PlatformModule } from '../module.js';

/** What the bot asks for when installed; see manifests/slack/manifest.json. */
export const SLACK_BOT_SCOPES = ['chat:write', 'channels:history', 'groups:history', 'im:history', 'im:write', 'commands', 'users:read'];

export const slackModule: PlatformModule = {
  name: 'slack',
  attach: async (host) => attachSlack(host),
};

const UNAVAILABLE = JSON.stringify({ error: { code: 'unavailable', message: 'temporarily unavailable, try again' } });
const INTERNAL = JSON.stringify({ error: { code: 'internal', message: 'internal error' } });

/**
 * The Slack app, at /slack/events (events, interactivity, slash commands), in single-workspace mode
 * (SLACK_BOT_TOKEN) or OAuth mode (SLACK_CLIENT_ID…, installations in PostgreSQL). Events API
 * deliveries go through our plain handler (event-intake.ts); interactivity, commands and the OAuth
 * pages through Bolt's ExpressReceiver, which brings its own express router (the SDK's receiver is
 * kept, not rewritten).
 *
 * Nothing is acknowledged before it is durable. Events are stored first and worked after the 200
 * (event-intake.ts); interactivity and commands, whose answer is the response itself, are answered
 * once their listener has finished (processBeforeResponse), so an outage answers 503, not 200.
 */
export function attachSlack(host: PlatformHost): PlatformCapabilities {
  const { config, prisma, box, log } = host;
  const slack = config.slack;
  const oauth = Boolean(slack.clientId && slack.clientSecret && slack.stateSecret);
  if (!slack.signingSecret || (!oauth && !slack.botToken)) {
    log.warn('SLACK_SIGNING_SECRET is set but neither SLACK_BOT_TOKEN nor the OAuth variables are: Slack is off');
    return {};
  }
  // Tried once, failing fast: a stored event is retried from storage, and a listener holding the
  // response (or an event's lease) for the SDK's thirty minutes of retries would do harm.
  const clientOptions = { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: DEFAULT_SLACK_TIMEOUT_MS };
  const connectStates = createConnectStates(config.encryptionKey);
  const installationStore = createSlackInstallationStore({
    prisma,
    box,
    log,
    clock: host.clock,
    connectStates,
    revoke: async (token) => void (await createSlackWebClient({ apiUrl: slack.apiUrl, log, token }).auth.revoke()),
  });
  // Every delivery belongs to the clinic its workspace (or enterprise) installed into; with a single
  // workspace's bot token there is no installation, and it is the deployment's first clinic's.
  const organizationFor = async (teamId?: string, enterpriseId?: string): Promise<string | null> =>
    oauth ? installationStore.organizationOfWorkspace({ teamId, enterpriseId }) : host.organizationId;
  const deps = { ...host, organizationFor };
  const router = express.Router();
  const redirectUri = `${config.publicUrl}/slack/oauth_redirect`;
  if (oauth) {
    // Ahead of Bolt's own install path (the router keeps the order): it carries a Connect state.
    registerSlackInstallPath(router, { installer: () => receiver.installer, options: { scopes: SLACK_BOT_SCOPES, redirectUri }, connectStates, clock: host.clock, log });
  }
  const intake = createSlackEventIntake({
    signingSecret: slack.signingSecret,
    prisma,
    box,
    clock: deps.clock,
    log,
    async processEvent(envelope) {
      try {
        await app.processEvent({ body: envelope as never, ack: async () => {} });
      } catch (error) {
        // A workspace no longer installed: nothing will ever be done with its event.
        if (error instanceof AuthorizationError && !isOutage(error)) return void log.warn({ eventId: envelope.event_id }, 'slack event from a workspace not installed: dropped');
        throw error;
      }
    },
  });
  const receiver = new ExpressReceiver({
    signingSecret: slack.signingSecret,
    endpoints: '/slack/events',
    router,
    processBeforeResponse: true,
    processEventErrorHandler: async ({ error, response }) => {
      if (response.headersSent) return false;
      const outage = isOutage(error);
      const status = outage ? 503 : error instanceof AuthorizationError ? 401 : 500;
      log[outage ? 'warn' : 'error']({ code: errorCodeOf(error), status }, 'slack request failed');
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(status === 401 ? '' : outage ? UNAVAILABLE : INTERNAL);
      return true;
    },
    logger: quietSlackLogger(log, 'slack-bolt'),
    ...(oauth
      ? {
          clientId: slack.clientId,
          clientSecret: slack.clientSecret,
          stateSecret: slack.stateSecret,
          scopes: SLACK_BOT_SCOPES,
          installationStore,
          redirectUri,
          // oauth.v2.access and auth.test of the install go to SLACK_API_URL like every other call.
          installerOptions: {
            installPath: '/slack/install',
            redirectUriPath: '/slack/oauth_redirect',
            directInstall: true,
            clientOptions,
            callbackOptions: slackCallbackOptions(log),
          },
        }
      : {}),
  });
  const app = new App({
    receiver,
    logger: quietSlackLogger(log, 'slack-bolt'),
    clientOptions,
    ...(oauth ? {} : { token: slack.botToken }),
  });
  registerStaffButtons(app, { ...deps, log });
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
  // Bolt would swallow a listener's failure; rethrown, it reaches whoever answers Slack (or retries).
  app.error(async (error) => {
    throw error;
  });

  const tokenForOrganization = async (organizationId: string) => (oauth ? installationStore.botTokenForOrganization(organizationId) : (slack.botToken ?? null));
  const notifier = createSlackNotifier({ apiUrl: slack.apiUrl, log, minIntervalMs: slack.channelIntervalMs, tokenFor: (channel) => tokenForOrganization(channel.organizationId) });
  const messenger = createSlackParticipantMessenger({ apiUrl: slack.apiUrl, log, tokenFor: tokenForOrganization });
  return {
    // Ahead of the route Bolt adds to its router: events are ours, the rest passes on to Bolt.
    routes: [{ method: 'POST', path: '/slack/events', bodyLimit: SLACK_BODY_LIMIT, handler: intake.handle }],
    sdkRouter: router,
    notifier,
    messenger,
    // Huddle facts carry their team (huddles.ts): they match only that clinic's sessions.
    organizationOf: async (event) => (event.accountId ? organizationFor(event.accountId) : oauth ? null : host.organizationId),
    retryStoredDeliveries: intake.retryDue,
    idle: intake.idle,
  };
}
