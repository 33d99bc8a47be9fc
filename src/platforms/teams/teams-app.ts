import { createHash } from 'node:crypto';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { PresenceEvent } from '../../core/presence-event.js';
import type { Db } from '../../db/database.js';
import { createDeliveryClaims } from '../../services/inbound-deliveries.js';
import type { Notifier } from '../../services/notifier.js';
import type { ParticipantMessenger } from '../../services/participant-messenger.js';
import type { AttendanceReportSource } from '../../services/reconciliation.js';
import type { StaffActionDeps } from '../../services/staff-actions.js';
import { registerAlertActions } from './alert-actions.js';
import { createConnectorWriter, withoutSdkRetries } from './connector.js';
import { createTeamsConversationStore } from './conversation-store.js';
import { createGraphAttendanceSource } from './graph-attendance.js';
import { registerInstallation } from './installation.js';
import { handleStaffCommand } from './link-command.js';
import { registerMeetingEvents } from './meeting-events.js';
import { createTeamsNotifier } from './notify.js';
import { createTeamsParticipantMessenger, handleParticipantText, registerParticipantChoices } from './participant-chat.js';
import { tabPages } from './tab-pages.js';

export interface TeamsAppDeps extends StaffActionDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  /** The organization a tenant belongs to (one deployment serves one clinic). */
  organizationFor(tenantId: string): Promise<string>;
  ingestPresence(events: PresenceEvent[]): Promise<{ sessionIds: string[] }>;
}

export interface TeamsApp {
  router: Router;
  notifier: Notifier;
  messenger: ParticipantMessenger;
  /** Set when Graph credentials are configured. */
  reportSource?: AttendanceReportSource;
}

/**
 * The Teams bot: a teams-ai Application on botbuilder's CloudAdapter at POST /api/messages. The
 * adapter checks the Bot Connector's JWT against MICROSOFT_APP_ID; with no app id it takes
 * unauthenticated traffic (local development; config.ts refuses that in production unless told).
 */
export function createTeamsApp(deps: TeamsAppDeps): TeamsApp {
  const { config, prisma, log, clock } = deps;
  const teams = config.teams;
  if (teams.unauthenticated) log.warn('MICROSOFT_APP_ID is not set: /api/messages accepts unauthenticated Teams traffic (local development only)');
  const adapter = new TeamsAdapter({
    MicrosoftAppId: teams.appId ?? '',
    MicrosoftAppPassword: teams.appPassword ?? '',
    MicrosoftAppTenantId: teams.tenantId ?? '',
    MicrosoftAppType: teams.appType ?? (teams.tenantId ? 'SingleTenant' : 'MultiTenant'),
  });
  withoutSdkRetries(adapter);
  const app = new Application({ adapter, botAppId: teams.appId ?? '', startTypingTimer: false, removeRecipientMention: true, longRunningMessages: false });
  const conversations = createTeamsConversationStore({ prisma, log, organizationFor: deps.organizationFor });
  const writer = createConnectorWriter(adapter, teams.appId ?? '');

  registerInstallation(app, { conversations, log });
  registerMeetingEvents(app, { prisma, clock, log, ingestPresence: deps.ingestPresence });
  registerAlertActions(app, deps);
  registerParticipantChoices(app, deps);
  app.activity('message', async (context) => {
    const stored = await conversations.remember(context.activity);
    if (!stored) return;
    if (stored.key.conversationType === 'personal') await handleParticipantText(context, deps, stored.organizationId);
    else await handleStaffCommand(context, { prisma, log }, stored.organizationId, stored.key);
  });

  const claimDelivery = createDeliveryClaims(prisma, 'teams');
  const handle = async (context: TurnContext) => {
    const { activity } = context;
    // Message ids are only unique within a conversation; Teams retries an activity with the same id.
    const deliveryId = activity.id ? createHash('sha256').update(`${activity.conversation?.id ?? ''}|${activity.id}`).digest('hex') : null;
    const claim = deliveryId ? await claimDelivery(deliveryId, clock.now()) : null;
    if (claim && !claim.claimed) {
      log.info({ activityId: activity.id, type: activity.type, reason: claim.reason }, 'teams activity already handled');
      if (activity.type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Already done.' } } });
      return;
    }
    try {
      await app.run(context);
      await claim?.complete();
    } catch (error) {
      await claim?.release().catch(() => {});
      log.error({ err: error, activityId: activity.id, type: activity.type }, 'teams activity failed');
      // A 500 makes Teams retry; the adapter would put the error's own message in the body.
      throw new Error('activity handling failed');
    }
  };

  const router = Router();
  router.use(tabPages(config.publicUrl));
  router.post('/api/messages', express.json({ limit: '1mb' }), async (req, res) => {
    await adapter.process(req as never, res as never, handle);
  });

  const reportSource =
    teams.appId && teams.appPassword
      ? createGraphAttendanceSource({ clientId: teams.appId, clientSecret: teams.appPassword, defaultTenantId: teams.tenantId, loginUrl: teams.loginUrl, graphUrl: teams.graphUrl, log, prisma })
      : undefined;
  return {
    router,
    notifier: createTeamsNotifier({ writer, conversations, log }),
    messenger: createTeamsParticipantMessenger({ writer, conversations }),
    ...(reportSource ? { reportSource } : {}),
  };
}
