import express from 'express';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../../db/database-unavailable.js';
import { createDeadLetters } from '../../services/dead-letters.js';
import { createDeliveryClaims } from '../../services/inbound-deliveries.js';
import type { PlatformCapabilities, PlatformHost, PlatformModule } from '../module.js';
import { createZoomAccountKey } from './account-key.js';
import { hashStoredZoomAccountIds } from './account-key-migration.js';
import { createChatbotClient, type ChatbotClient } from './chatbot-client.js';
import { actOnChatbotEvent, chatbotDeliveryId, parseChatbotEvent } from './chatbot-events.js';
import { deauthorizeZoomAccount, notifyZoomDataCompliance } from './deauthorize.js';
import { createZoomInstallations, organizationOfZoomAccount } from './installations.js';
import { createConnectStates } from '../../services/installs/connect-state.js';
import { createZoomNotifier, createZoomParticipantMessenger } from './notify.js';
import { zoomOAuthRouter } from './oauth-routes.js';
import { panelRouter } from './panel.js';
import { createZoomPastParticipantsSource } from './past-participants.js';
import { offerRecording, recordingOffersStep, storeZoomRecording } from './recordings.js';
import { createSigner } from '../../crypto/signed-token.js';
import { handleZoomWebhook, type AppEventAnswer, type UnusableDelivery, type WebhookResponse } from './webhook.js';

const OK: WebhookResponse = { status: 200, body: { status: 'accepted' } };
const DUPLICATE: WebhookResponse = { status: 200, body: { status: 'duplicate' } };
// A copy still being handled elsewhere may yet fail: Zoom's retry, minutes later, finds it done or free.
const IN_PROGRESS: WebhookResponse = { status: 503, headers: { 'retry-after': '5' }, body: { error: { code: 'unavailable', message: 'temporarily unavailable, please retry' } } };

/**
 * Zoom: the webhook (a plain handler, webhook.ts) and, with ZOOM_CLIENT_ID/ZOOM_CLIENT_SECRET, the
 * marketplace app: account-level OAuth installs (tokens sealed, refreshed under a row lock), the
 * Team Chat chatbot (alerts, facilitator buttons, participant chat), post-meeting reconciliation,
 * shareable recordings, deauthorization and the in-meeting panel.
 */
export const zoomModule: PlatformModule = {
  name: 'zoom',
  async attach(host) {
    const { config, log } = host;
    // Zoom account ids stored in clear by earlier versions become keyed hashes (idempotent).
    await hashStoredZoomAccountIds({ prisma: host.prisma, box: host.box, accountKey: createZoomAccountKey(config.encryptionKey), log });
    if (config.zoom.webhookSecrets.length === 0) log.warn('ZOOM_WEBHOOK_SECRET_TOKEN is not set: Zoom webhooks will be refused');
    return attachZoom(host);
  },
};

function attachZoom(deps: PlatformHost): PlatformCapabilities {
  const { config, prisma, box, log } = deps;
  const zoom = config.zoom;
  const oauth = zoom.clientId && zoom.clientSecret ? { oauthUrl: zoom.oauthUrl, apiUrl: zoom.apiUrl, clientId: zoom.clientId, clientSecret: zoom.clientSecret } : null;
  const accountKey = createZoomAccountKey(config.encryptionKey);
  const installations = oauth ? createZoomInstallations({ prisma, box, log, oauth, accountKey }) : null;
  // Every delivery is resolved to its clinic by its account's installation first; an account with none
  // (webhook secret only, the operator's own account) belongs to the deployment's first organization.
  const organizationOf = (accountId: string) => organizationOfZoomAccount(prisma, accountKey, accountId);
  const accountOf = async (organizationId: string) => (installations ? installations.accountOf(organizationId) : null);
  const organizationFor = async (accountId: string) => (await organizationOf(accountId)) ?? deps.organizationId;
  const chatbot: ChatbotClient | null = oauth && zoom.botJid ? createChatbotClient({ ...oauth, botJid: zoom.botJid }, { log }) : null;
  const chatDeps = chatbot ? { chatbot, accountOf, log } : null;
  if (zoom.botJid && !oauth) log.warn('ZOOM_BOT_JID is set without ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET: the Zoom chatbot is off');

  const recordingBase = { prisma, box, log, messengerFor: deps.messengerFor, organizationFor };
  const router = express.Router();
  if (oauth && installations) {
    const nowMs = () => Date.now();
    router.use(
      zoomOAuthRouter({
        prisma,
        log,
        installations,
        signer: createSigner(config.encryptionKey, 'zoom-oauth-state'),
        oauthUrl: oauth.oauthUrl,
        clientId: oauth.clientId,
        publicUrl: config.publicUrl,
        connectStates: createConnectStates(config.encryptionKey),
        nowMs,
      }),
    );
    router.use(
      panelRouter({ prisma, evaluator: deps.evaluator, log, clientSecret: oauth.clientSecret, signer: createSigner(config.encryptionKey, 'zoom-panel'), organizationFor, nowMs }),
    );
  }

  // Chatbot deliveries are claimed in the database, so a retry is answered once across restarts and instances.
  const claimChatDelivery = createDeliveryClaims(prisma, 'zoom');
  const deadLetters = createDeadLetters({ prisma, box, encryptionKey: config.encryptionKey });

  async function storeDeadLetter(delivery: UnusableDelivery): Promise<void> {
    const organizationId = delivery.accountId ? await organizationFor(delivery.accountId) : deps.organizationId;
    await deadLetters.store({
      platform: 'zoom',
      organizationId,
      event: delivery.event,
      reason: delivery.reason,
      rawBody: delivery.rawBody,
      accountKey: delivery.accountId ? accountKey(delivery.accountId) : null,
      receivedAt: deps.clock.now(),
    });
  }

  const running = new Set<Promise<unknown>>();
  const background = (what: string, task: () => Promise<unknown>) => {
    // Zoom wants an answer within 3 s; chat work runs after it (as Slack's does).
    const run = task()
      .catch((error: unknown) => log.error({ err: error, what }, 'zoom chatbot event failed'))
      .finally(() => running.delete(run));
    running.add(run);
  };

  /**
   * A message or button for the chatbot: claimed (one INSERT, so a retry is answered once), acted
   * on in the database, and only then answered; the chat replies follow the answer.
   */
  async function onChatbotEvent(event: 'bot_notification' | 'interactive_message_actions' | 'interactive_message_select', envelope: unknown, requestLog: Logger): Promise<AppEventAnswer> {
    if (!chatbot) return { status: 200, body: { status: 'ignored' } };
    const parsed = parseChatbotEvent(event, envelope);
    if ('issues' in parsed) return { invalid: parsed.issues };
    const deliveryId = chatbotDeliveryId(parsed.event);
    const claim = deliveryId ? await claimChatDelivery(deliveryId, deps.clock.now()) : null;
    if (claim && !claim.claimed) return claim.reason === 'done' ? DUPLICATE : IN_PROGRESS;
    let replies: () => Promise<void>;
    try {
      replies = await actOnChatbotEvent({ ...deps, chatbot, organizationFor, log: requestLog }, parsed.event);
      if (claim?.claimed) await claim.complete();
    } catch (error) {
      // Free the claim so Zoom's retry runs it again (unless the database is what failed: the claim then goes stale).
      if (claim?.claimed && !isDatabaseUnavailable(error)) await claim.release().catch(() => {});
      throw error;
    }
    background(event, replies);
    return OK;
  }

  async function onAppEvent(event: string, envelope: unknown, requestLog: Logger): Promise<AppEventAnswer | null> {
    switch (event) {
      case 'app_deauthorized': {
        const result = await deauthorizeZoomAccount({ prisma, log: requestLog, accountKey }, envelope);
        chatbot?.reset();
        if (result.payload && oauth) {
          const payload = result.payload;
          background(event, () => notifyZoomDataCompliance({ ...oauth, log: requestLog, accountKey }, payload));
        }
        return result.ok ? OK : { invalid: [{ path: 'payload.account_id', message: 'required' }] };
      }
      case 'bot_notification':
      case 'interactive_message_actions':
      case 'interactive_message_select':
        return onChatbotEvent(event, envelope, requestLog);
      case 'recording.completed': {
        const recordingDeps = { ...recordingBase, log: requestLog };
        const stored = await storeZoomRecording(recordingDeps, envelope);
        if (stored && 'invalid' in stored) return stored;
        if (stored) background(event, () => offerRecording(recordingDeps, stored.materialId));
        return { status: 200, body: { status: stored ? 'stored' : 'ignored' } };
      }
      default:
        return null;
    }
  }

  return {
    routes: [
      {
        method: 'POST',
        path: '/zoom/webhook',
        bodyLimit: '512kb',
        handler: (request) =>
          handleZoomWebhook(request, {
            secrets: zoom.webhookSecrets,
            log: request.log,
            // Signatures are checked against the wall clock: the replay window is about real deliveries.
            nowMs: () => Date.now(),
            ingest: deps.receive,
            onAppEvent,
            accountKey,
            storeDeadLetter,
          }),
      },
    ],
    // OAuth install and the in-meeting panel (empty without ZOOM_CLIENT_ID/ZOOM_CLIENT_SECRET).
    sdkRouter: router,
    notifier: chatDeps ? createZoomNotifier(chatDeps) : undefined,
    messenger: chatDeps ? createZoomParticipantMessenger(chatDeps) : undefined,
    reportSource: installations
      ? createZoomPastParticipantsSource({ apiUrl: zoom.apiUrl, log, accountOf, accessToken: (accountId) => installations.accessToken(accountId) })
      : undefined,
    // Offers a recording that arrived before its session's record was final.
    closeOutSteps: [recordingOffersStep(recordingBase)],
    // An installed account's events match only its own clinic's sessions (ids arrive as keyed hashes);
    // any other account's only the first organization's.
    organizationOf: async (event) => (event.accountId ? organizationFor(event.accountId) : deps.organizationId),
    // Chat replies and recording offers started after an answer.
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
