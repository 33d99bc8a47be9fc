import { createHash } from 'node:crypto';
import { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { createDeliveryClaims } from '../../services/inbound-deliveries.js';
import type { PlatformCapabilities, PlatformHost, PlatformModule } from '../module.js';
import { createTeamsAdapter } from './adapter.js';
import { registerStaffButtons } from './staff-buttons.js';
import { createConnectorWriter } from './connector.js';
import { createTeamsConversationStore } from './conversation-store.js';
import { createGraphAttendanceSource } from './graph-attendance.js';
import { registerInstallation } from './installation.js';
import { createInboundRoute, TeamsAnswer, TeamsTurnFailure } from './inbound-route.js';
import { handleStaffCommand } from './link-command.js';
import { CONNECT_COMMAND, handleConnectCommand } from './connect-command.js';
import { createConnectStates } from '../../services/installs/connect-state.js';
import { registerMeetingEvents } from './meeting-events.js';
import { createTeamsNotifier } from './notify.js';
import { createTeamsParticipantMessenger, handleParticipantText, registerParticipantChoices } from './participant-chat.js';
import { serviceUrlRefusal } from './service-url.js';
import { tabPages } from './tab-pages.js';

export const teamsModule: PlatformModule = {
  name: 'teams',
  attach: async (host) => attachTeams(host),
};

/**
 * The Teams bot: a teams-ai Application on botbuilder's CloudAdapter at POST /api/messages (a plain
 * handler, inbound-route.ts). Loaded only when configured (teams-off.ts otherwise): with
 * MICROSOFT_APP_ID the adapter takes only Bot Connector JWTs; with ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS=1
 * and no app id, local development: unauthenticated, loopback serviceUrls only (config.ts refuses
 * it in production).
 */
export function attachTeams(host: PlatformHost): PlatformCapabilities {
  const { config, prisma, log, clock } = host;
  const teams = config.teams;
  if (teams.inbound === 'development') {
    log.warn('ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS=1 and no MICROSOFT_APP_ID: /api/messages accepts UNAUTHENTICATED Teams traffic from anyone who can reach it (replies only to loopback serviceUrls). Local development only.');
  }
  const adapter = createTeamsAdapter(teams);
  const app = new Application({ adapter, botAppId: teams.appId ?? '', startTypingTimer: false, removeRecipientMention: true, longRunningMessages: false });
  // Every activity belongs to the clinic its tenant installed into (the home tenant's: the first clinic).
  const conversations = createTeamsConversationStore({ prisma, log, homeOrganizationId: host.organizationId, homeTenantId: teams.tenantId });
  const deps = { ...host, organizationFor: conversations.organizationFor };
  const writer = createConnectorWriter(adapter, teams.appId ?? '', teams.inbound);

  registerInstallation(app, { conversations, log });
  registerMeetingEvents(app, { prisma, clock, log, receive: host.receive, organizationFor: conversations.organizationFor });
  registerStaffButtons(app, deps);
  registerParticipantChoices(app, deps);
  const connectDeps = { prisma, log, clock, connectStates: createConnectStates(config.encryptionKey) };
  app.activity('message', async (context) => {
    const stored = await conversations.remember(context.activity);
    if (!stored) return;
    // Checked first, in any conversation: the installer may write it in a channel or to the bot directly.
    const connect = CONNECT_COMMAND.exec((context.activity.text ?? '').replace(/<[^>]+>/g, ' ').trim());
    if (connect) return void (await handleConnectCommand(context, connectDeps, stored.key.tenantId, connect[1]!));
    if (stored.key.conversationType === 'personal') await handleParticipantText(context, deps, stored.organizationId);
    else await handleStaffCommand(context, { prisma, log }, stored.organizationId, stored.key);
  });

  const claimDelivery = createDeliveryClaims(prisma, 'teams');
  const handle = async (context: TurnContext) => {
    const { activity } = context;
    // Checked before anything is stored or sent: the serviceUrl is where replies and later alerts go.
    const refusal = serviceUrlRefusal(teams.inbound, activity.serviceUrl, context.turnState.get(adapter.BotIdentityKey));
    if (refusal) throw new TeamsAnswer(teams.inbound === 'development' ? 403 : 401, 'service_url_refused', refusal);
    // Message ids are only unique within a conversation; Teams retries an activity with the same id.
    const deliveryId = activity.id ? createHash('sha256').update(`${activity.conversation?.id ?? ''}|${activity.id}`).digest('hex') : null;
    let claim: Awaited<ReturnType<typeof claimDelivery>> | null;
    try {
      claim = deliveryId ? await claimDelivery(deliveryId, clock.now()) : null;
    } catch (error) {
      throw new TeamsTurnFailure(error);
    }
    if (claim && !claim.claimed) {
      log.info({ activityId: activity.id, type: activity.type, reason: claim.reason }, 'teams activity already claimed');
      // A copy of an activity still being handled (or left by a process that died) is not acknowledged:
      // the first attempt may yet fail, and a 200 here would lose it. Teams retries.
      if (claim.reason === 'in_progress') throw new TeamsAnswer(503, 'in_progress', 'this activity is being handled; retry later');
      if (activity.type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Already done.' } } });
      return;
    }
    try {
      await app.run(context);
      await claim?.complete();
    } catch (error) {
      await claim?.release().catch(() => {});
      // Answered 500, or 503 while the database is away, so Teams retries; the cause goes to the log only.
      throw new TeamsTurnFailure(error);
    }
  };

  const reportSource =
    teams.appId && teams.appPassword
      ? createGraphAttendanceSource({ clientId: teams.appId, clientSecret: teams.appPassword, defaultTenantId: teams.tenantId, loginUrl: teams.loginUrl, graphUrl: teams.graphUrl, log, prisma })
      : undefined;
  return {
    routes: [{ method: 'POST', path: '/api/messages', handler: createInboundRoute({ adapter, handle }) }],
    sdkRouter: tabPages(config.publicUrl),
    notifier: createTeamsNotifier({ writer, conversations, log }),
    messenger: createTeamsParticipantMessenger({ writer, conversations }),
    ...(reportSource ? { reportSource } : {}),
    // Meeting facts carry their tenant (normalize.ts): they match only that tenant's clinic's sessions.
    organizationOf: async (event) => (event.accountId ? conversations.organizationFor(event.accountId) : null),
  };
}
