import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Db } from '../../db/database.js';
import type { Notifier } from '../../services/notifier.js';
import type { MessengerFor, ParticipantMessenger } from '../../services/participant-messenger.js';
import type { AttendanceReportSource } from '../../services/reconciliation.js';
import type { CloseOutStep } from '../../services/session-close-out.js';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import { createChatbotClient, type ChatbotClient } from './chatbot-client.js';
import { onBotNotification, onInteractiveAction } from './chatbot-events.js';
import { deauthorizeZoomAccount, notifyZoomDataCompliance } from './deauthorize.js';
import { createZoomInstallations } from './installations.js';
import { createZoomNotifier, createZoomParticipantMessenger } from './notify.js';
import { zoomOAuthRouter } from './oauth-routes.js';
import { panelRouter } from './panel.js';
import { createZoomPastParticipantsSource } from './past-participants.js';
import { offerRecording, recordingOffersStep, storeZoomRecording } from './recordings.js';
import { createSigner } from './signed-token.js';
import type { WebhookResponse } from './webhook.js';

export interface ZoomAppDeps {
  config: Config;
  prisma: Db;
  box: SecretBox;
  log: Logger;
  clock: Clock;
  evaluator: SessionEvaluator;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
  /** Sends participant outbox messages at once (otherwise the outbox's sweep does, within a minute). */
  enqueueParticipantMessages?(ids: string[]): Promise<void>;
  messengerFor: MessengerFor;
  /** The organization this deployment serves (the admin token's): new installations and chat without one join it. */
  organizationId: string;
}

export interface ZoomApp {
  /** OAuth install and the in-meeting panel (empty without ZOOM_CLIENT_ID/ZOOM_CLIENT_SECRET). */
  router: Router;
  notifier?: Notifier;
  messenger?: ParticipantMessenger;
  reportSource?: AttendanceReportSource;
  /** Offers a recording that arrived before its session's record was final. */
  closeOutStep: CloseOutStep;
  /** The organization an installed Zoom account belongs to; null when none installed from it. */
  organizationOf(accountId: string): Promise<string | null>;
  /** Webhooks other than meeting presence: deauthorization, chatbot events, recordings. Null: not ours. */
  onAppEvent(event: string, envelope: unknown, log: Logger): Promise<WebhookResponse | null>;
}

const OK: WebhookResponse = { status: 200, body: { status: 'accepted' } };

/**
 * Zoom as a marketplace app: account-level OAuth installs (tokens sealed, refreshed under a row
 * lock), the Team Chat chatbot (alerts, facilitator buttons, participant chat), post-meeting
 * reconciliation, shareable recordings, deauthorization and the in-meeting panel.
 */
export function createZoomApp(deps: ZoomAppDeps): ZoomApp {
  const { config, prisma, box, log } = deps;
  const zoom = config.zoom;
  const oauth = zoom.clientId && zoom.clientSecret ? { oauthUrl: zoom.oauthUrl, apiUrl: zoom.apiUrl, clientId: zoom.clientId, clientSecret: zoom.clientSecret } : null;
  const installations = oauth ? createZoomInstallations({ prisma, box, log, oauth }) : null;
  const organizationOf = async (accountId: string) => (installations ? installations.organizationOf(accountId) : null);
  const accountOf = async (organizationId: string) => (installations ? installations.accountOf(organizationId) : null);
  const organizationFor = async (accountId: string) => (await organizationOf(accountId)) ?? deps.organizationId;
  const chatbot: ChatbotClient | null = oauth && zoom.botJid ? createChatbotClient({ ...oauth, botJid: zoom.botJid }, { log }) : null;
  const chatDeps = chatbot ? { chatbot, accountOf, log } : null;
  if (zoom.botJid && !oauth) log.warn('ZOOM_BOT_JID is set without ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET: the Zoom chatbot is off');

  const recordingBase = { prisma, box, log, messengerFor: deps.messengerFor, organizationOf };
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
        organizationId: deps.organizationId,
        nowMs,
      }),
    );
    router.use(panelRouter({ prisma, evaluator: deps.evaluator, log, clientSecret: oauth.clientSecret, signer: createSigner(config.encryptionKey, 'zoom-panel'), nowMs }));
  }

  /*
   * Chatbot events carry no id that survives Zoom's retries; the sender and the event's own time
   * name a delivery. Remembered for 15 minutes in this process (Zoom retries within about an hour
   * only when unanswered, and these are answered at once), so a retry is not answered twice.
   */
  const seenChatEvents = new Map<string, number>();
  const firstDelivery = (envelope: unknown): boolean => {
    const p = (envelope as { payload?: Record<string, unknown> } | null)?.payload ?? {};
    const item = (p.actionItem as { value?: unknown } | undefined)?.value ?? JSON.stringify(p.selectedItems ?? '') ?? '';
    const key = [(envelope as { event?: unknown })?.event, p.userId, p.timestamp, p.messageId, typeof item === 'string' ? item : ''].join('|');
    const now = Date.now();
    for (const [seen, at] of seenChatEvents) if (now - at > 15 * 60_000) seenChatEvents.delete(seen);
    // Without the event's own time there is nothing to tell a retry by.
    if (p.timestamp === undefined) return true;
    if (seenChatEvents.has(key)) return false;
    seenChatEvents.set(key, now);
    return true;
  };

  const background = (what: string, task: () => Promise<unknown>) => {
    // Zoom wants an answer within 3 s; chat work runs after it (as Slack's does).
    void task().catch((error: unknown) => log.error({ err: error, what }, 'zoom chatbot event failed'));
  };

  async function onAppEvent(event: string, envelope: unknown, requestLog: Logger): Promise<WebhookResponse | null> {
    switch (event) {
      case 'app_deauthorized': {
        const result = await deauthorizeZoomAccount({ prisma, log: requestLog }, envelope);
        chatbot?.reset();
        if (result.payload && oauth) {
          const payload = result.payload;
          background(event, () => notifyZoomDataCompliance({ ...oauth, log: requestLog }, payload));
        }
        return result.ok ? OK : { status: 400, body: { error: { code: 'invalid_input', message: 'payload.account_id: required' } } };
      }
      case 'bot_notification':
      case 'interactive_message_actions':
      case 'interactive_message_select': {
        if (!chatbot) return { status: 200, body: { status: 'ignored' } };
        if (!firstDelivery(envelope)) return { status: 200, body: { status: 'duplicate' } };
        const eventDeps = { ...deps, chatbot, organizationFor, log: requestLog };
        background(event, () => (event === 'bot_notification' ? onBotNotification(eventDeps, envelope) : onInteractiveAction(eventDeps, envelope)));
        return OK;
      }
      case 'recording.completed': {
        const recordingDeps = { ...recordingBase, log: requestLog };
        const stored = await storeZoomRecording(recordingDeps, envelope);
        if (stored) background(event, () => offerRecording(recordingDeps, stored.materialId));
        return { status: 200, body: { status: stored ? 'stored' : 'ignored' } };
      }
      default:
        return null;
    }
  }

  return {
    router,
    notifier: chatDeps ? createZoomNotifier(chatDeps) : undefined,
    messenger: chatDeps ? createZoomParticipantMessenger(chatDeps) : undefined,
    reportSource: installations
      ? createZoomPastParticipantsSource({ apiUrl: zoom.apiUrl, log, accountOf, accessToken: (accountId) => installations.accessToken(accountId) })
      : undefined,
    closeOutStep: recordingOffersStep(recordingBase),
    organizationOf,
    onAppEvent,
  };
}
