import type { Logger } from 'pino';
import { resolveOrganizationSettings } from '../core/organization-settings.js';
import { decodeChoice, type ParticipantMessage } from '../core/participant-message.js';
import type { Platform } from '../core/presence-event.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { isPrismaError } from '../db/prisma-errors.js';
import { DeliveryError } from './notifier.js';
import { findParticipantChatTarget, type MessengerFor } from './participant-messenger.js';

export type OutboxPurpose =
  | 'intake'
  | 'reminder'
  | 'weekly_progress'
  | 'hours_at_risk'
  | 'no_show_follow_up'
  | 'tech_help'
  | 'offer_makeup'
  | 'send_checkin';

export interface OutboxDeps {
  prisma: Db;
  messengerFor: MessengerFor;
  /** Starts delivery now (a pg-boss job); without it the outbox sweep delivers within a minute. */
  enqueueParticipantMessages?(ids: string[]): Promise<void>;
}

/** Why nothing could be sent; kept on the row so staff can see it (admin API participant messages). */
export type SkipReason = 'chat_disabled' | 'no_chat_identity' | 'no_sms_consent';

export type SendResult = { state: 'pending'; id: string } | { state: 'duplicate'; id: string } | { state: 'skipped'; id: string; reason: SkipReason };

/** After this many failed attempts a message is given up on (recorded as failed). */
export const MAX_ATTEMPTS = 12;

/**
 * Writes a message to one participant through the durable outbox: the row is committed first,
 * then a job delivers it with retries. The same dedupe key never sends twice (a reminder per
 * session and participant, a follow-up per no-show). Only where the organization allows
 * participant chat on a platform the participant has an account on; otherwise the row records why
 * nothing was sent.
 */
export async function sendToParticipant(
  deps: OutboxDeps,
  input: { organizationId: string; participantId: string; dedupeKey: string; purpose: OutboxPurpose; message: ParticipantMessage; preferred?: Platform; expiresAt?: Date },
): Promise<SendResult> {
  const { prisma } = deps;
  const existing = await prisma.participantOutboxMessage.findUnique({ where: { dedupeKey: input.dedupeKey }, select: { id: true } });
  if (existing) return { state: 'duplicate', id: existing.id };
  const target = await findParticipantChatTarget(prisma, deps.messengerFor, { organizationId: input.organizationId, participantId: input.participantId, preferred: input.preferred });
  const reason = target ? undefined : await skipReason(prisma, input.organizationId, input.participantId);
  let id: string;
  try {
    const row = await prisma.participantOutboxMessage.create({
      data: {
        organizationId: input.organizationId,
        participantId: input.participantId,
        dedupeKey: input.dedupeKey,
        purpose: input.purpose,
        platform: target?.platform ?? null,
        platformUserId: target?.userId ?? null,
        message: input.message as unknown as Prisma.InputJsonValue,
        state: target ? 'pending' : 'skipped',
        lastError: reason ?? null,
        expiresAt: input.expiresAt ?? null,
      },
    });
    id = row.id;
  } catch (error) {
    if (!isPrismaError(error, 'P2002')) throw error;
    const raced = await prisma.participantOutboxMessage.findUniqueOrThrow({ where: { dedupeKey: input.dedupeKey }, select: { id: true } });
    return { state: 'duplicate', id: raced.id };
  }
  if (!target) return { state: 'skipped', id, reason: reason! };
  await deps.enqueueParticipantMessages?.([id]);
  return { state: 'pending', id };
}

export async function skipReason(prisma: Db, organizationId: string, participantId: string): Promise<SkipReason> {
  const organization = await prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
  const allowed = resolveOrganizationSettings(organization.settings).participantChat;
  const identities = await prisma.identity.findMany({ where: { organizationId, participantId, kind: { in: ['user_id', 'aad_object_id'] } }, select: { platform: true } });
  if (identities.some((i) => !allowed[i.platform])) return 'chat_disabled';
  // A number on file but no consent: staff are told in words ("no SMS consent"), not "no chat".
  const participant = await prisma.participant.findFirst({ where: { id: participantId, organizationId }, select: { phone: true, smsConsent: true } });
  return participant?.phone && !participant.smsConsent && allowed.sms ? 'no_sms_consent' : 'no_chat_identity';
}

export type OutboxDeliveryOutcome =
  | { outcome: 'sent' | 'done' | 'failed' | 'expired' }
  | { outcome: 'later'; afterSeconds: number }
  | { outcome: 'retry'; error: string };

/** Stored by us, but read back defensively: choices travel to a platform, so only values that still decode go. */
function storedMessage(value: unknown): ParticipantMessage {
  const message = (value ?? {}) as Partial<ParticipantMessage>;
  return { text: String(message.text ?? ''), choices: (message.choices ?? []).filter((c) => decodeChoice(c?.value) !== null) };
}

/**
 * Delivers one outbox row. A transaction-scoped advisory lock keeps two workers from sending it at
 * once. `sendAttemptedAt` is committed before the send and cleared when the platform says it did
 * not take the message; a row found with it still set was interrupted mid-send (a crash or a lost
 * answer), and is recorded as failed rather than sent twice: chat APIs have no idempotency keys.
 */
export async function deliverParticipantMessage(deps: { prisma: Db; clock: Clock; log: Logger; messengerFor: MessengerFor }, id: string): Promise<OutboxDeliveryOutcome> {
  const { prisma, log } = deps;
  return prisma.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext(${`participant-message:${id}`})) AS locked`;
      if (!lock?.locked) return { outcome: 'later', afterSeconds: 2 } as const;
      const row = await tx.participantOutboxMessage.findUnique({ where: { id } });
      if (!row || row.state !== 'pending') return { outcome: 'done' } as const;
      if (row.expiresAt && deps.clock.now() > row.expiresAt) {
        await tx.participantOutboxMessage.update({ where: { id }, data: { state: 'expired' } });
        log.info({ outboxId: id, purpose: row.purpose }, 'participant message expired undelivered');
        return { outcome: 'expired' } as const;
      }
      const messenger = row.platform ? deps.messengerFor(row.platform) : undefined;
      if (!row.platform || !row.platformUserId || !messenger) {
        await tx.participantOutboxMessage.update({ where: { id }, data: { state: 'failed', lastError: 'no messenger for the platform' } });
        return { outcome: 'failed' } as const;
      }
      if (row.sendAttemptedAt) {
        await tx.participantOutboxMessage.update({ where: { id }, data: { state: 'failed', lastError: 'interrupted during a send that may have reached the participant; not repeated' } });
        log.warn({ outboxId: id }, 'participant message interrupted mid-send');
        return { outcome: 'failed' } as const;
      }
      // Committed on its own, before the send: it must survive this transaction's rollback.
      await prisma.participantOutboxMessage.update({ where: { id }, data: { sendAttemptedAt: deps.clock.now() } });
      try {
        const sent = await messenger.send({ organizationId: row.organizationId, platform: row.platform, userId: row.platformUserId }, storedMessage(row.message));
        await tx.participantOutboxMessage.update({
          where: { id },
          data: { state: 'sent', sentAt: deps.clock.now(), externalMessageId: sent.messageId, attempts: { increment: 1 }, lastError: null },
        });
        log.info({ outboxId: id, purpose: row.purpose, platform: row.platform }, 'participant message sent');
        return { outcome: 'sent' } as const;
      } catch (error) {
        const failure = error instanceof DeliveryError ? error : new DeliveryError(String((error as Error)?.message ?? error), true);
        const giveUp = !failure.retryable || row.attempts + 1 >= MAX_ATTEMPTS;
        await prisma.participantOutboxMessage.update({
          where: { id },
          // The platform answered: it did not take the message, so a retry is no duplicate.
          data: { attempts: { increment: 1 }, lastError: failure.message.slice(0, 500), state: giveUp ? 'failed' : 'pending', sendAttemptedAt: null },
        });
        log.warn({ outboxId: id, retryable: failure.retryable, retryAfter: failure.retryAfterSeconds }, 'participant message delivery failed');
        if (giveUp) return { outcome: 'failed' } as const;
        if (failure.retryAfterSeconds !== undefined) return { outcome: 'later', afterSeconds: failure.retryAfterSeconds } as const;
        return { outcome: 'retry', error: failure.message } as const;
      }
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}
