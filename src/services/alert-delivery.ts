import type { Logger } from 'pino';
import { buildAlertMessage, type AlertKind, type AlertMessage, type AlertState } from '../core/alert-message.js';
import { resolvePolicy } from '../core/policy.js';
import type { Platform } from '../core/presence-event.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { loadAlertContext, type AlertContext } from './alert-context.js';
import { markDelivered, markDeliveryFailed, markExpired, markPostAttempted } from './alerts/alert-outbox.js';
import { participantLabel, sessionLabel } from './labels.js';
import { DeliveryError, type Notifier } from './notifier.js';

/** Someone not recognized is named as the meeting showed them: staff need it to say who it is. */
function platformNameOf(detail: unknown): string | undefined {
  const name = (detail as { displayName?: unknown } | null)?.displayName;
  return typeof name === 'string' && name.trim() ? `"${name.trim().slice(0, 80)}"` : undefined;
}

/** The alert as the chat message model, from its stored context (the outbox and platforms answering a button press use it). */
export async function composeAlertMessage(db: Parameters<typeof loadAlertContext>[0], context: AlertContext): Promise<AlertMessage> {
  const { alert, program, session } = context;
  const policy = resolvePolicy(program.policy);
  const participant = alert.participantId
    ? await db.participant.findFirst({ where: { id: alert.participantId, organizationId: alert.organizationId }, select: { name: true } })
    : null;
  return buildAlertMessage({
    alertId: alert.id,
    kind: alert.kind as AlertKind,
    state: alert.state as AlertState,
    participantLabel: alert.participantId ? participantLabel(participant?.name, policy.nameDisplay) : platformNameOf(alert.detail),
    sessionLabel: session ? sessionLabel(program.name, session.startsAt, program.timezone) : program.name,
    detail: alert.detail,
    sessionId: session?.id ?? null,
    participantId: alert.participantId,
    timezone: program.timezone,
  });
}

/** The current message of one alert, or null when it is gone. */
export async function loadAlertMessage(db: Db, alertId: string): Promise<AlertMessage | null> {
  const context = await loadAlertContext(db, alertId);
  return context ? composeAlertMessage(db, context) : null;
}

/** An alert never posted by this long after its session ended could no longer help anyone: it expires. */
export const ALERT_EXPIRY_AFTER_END_MS = 2 * 3600_000;

export type DeliveryOutcome =
  | { outcome: 'delivered' | 'up_to_date' | 'expired' | 'failed' | 'gone' }
  /** Another worker holds this alert, or the platform asked to wait: try again after this many seconds. */
  | { outcome: 'later'; afterSeconds: number }
  /** A passing failure with no advice: the queue retries with backoff. */
  | { outcome: 'retry'; error: string };

export interface DeliveryDeps {
  prisma: Db;
  clock: Clock;
  log: Logger;
  notifierFor(platform: Platform): Notifier;
}

/**
 * Brings one alert's chat message up to its current version: posts it the first time, edits it
 * after. The platform's message id is stored in the same transaction as the post, and a
 * transaction-scoped advisory lock keeps two workers from posting the same alert at once.
 */
export async function deliverAlert(deps: DeliveryDeps, alertId: string): Promise<DeliveryOutcome> {
  const { prisma, clock, log } = deps;
  return prisma.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext(${`alert:${alertId}`})) AS locked`;
      if (!lock?.locked) return { outcome: 'later', afterSeconds: 2 } as const;
      const context = await loadAlertContext(tx, alertId);
      if (!context) return { outcome: 'gone' } as const;
      const { alert, program, session } = context;
      if (alert.deliveredVersion >= alert.version) return { outcome: 'up_to_date' } as const;
      const now = clock.now();
      if (session && !alert.externalMessageId && now.getTime() > session.endsAt.getTime() + ALERT_EXPIRY_AFTER_END_MS) {
        await markExpired(tx, alert.id, alert.version);
        log.info({ alertId, kind: alert.kind }, 'alert expired undelivered');
        return { outcome: 'expired' } as const;
      }
      const message = await composeAlertMessage(tx, context);
      const channel = { organizationId: alert.organizationId, platform: alert.platform, channelId: alert.channelId };
      const notifier = deps.notifierFor(alert.platform);
      try {
        let messageId = alert.externalMessageId;
        if (messageId) await notifier.update(channel, messageId, message);
        else {
          const mayHaveBeenPosted = alert.postAttemptedAt !== null;
          // Committed on its own, before the post: it must survive this transaction's rollback.
          if (!mayHaveBeenPosted && !(await markPostAttempted(prisma, alert.id, now))) return { outcome: 'up_to_date' } as const;
          messageId = (await notifier.post(channel, message, { mayHaveBeenPosted })).messageId;
        }
        await markDelivered(tx, alert.id, { messageId, version: alert.version });
        log.info({ alertId, kind: alert.kind, version: alert.version, platform: alert.platform }, 'alert delivered');
        return { outcome: 'delivered' } as const;
      } catch (error) {
        const failure = error instanceof DeliveryError ? error : new DeliveryError(String((error as Error)?.message ?? error), true);
        await markDeliveryFailed(tx, alert.id, { message: failure.message, retryable: failure.retryable });
        log.warn({ alertId, retryable: failure.retryable, retryAfter: failure.retryAfterSeconds }, 'alert delivery failed');
        if (!failure.retryable) return { outcome: 'failed' } as const;
        if (failure.retryAfterSeconds !== undefined) return { outcome: 'later', afterSeconds: failure.retryAfterSeconds } as const;
        return { outcome: 'retry', error: failure.message } as const;
      }
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}
