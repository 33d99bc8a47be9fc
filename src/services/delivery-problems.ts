import { alertKindLabel, isAlertKind } from '../core/alert-message.js';
import { adviseUndelivered, outboxPurposeWords } from '../core/delivery-advice.js';
import { resolveOrganizationSettings } from '../core/organization-settings.js';
import type { Platform } from '../core/presence-event.js';
import type { Db } from '../db/database.js';
import { listDeadLetters } from './dead-letters.js';

export interface DeliveryProblem {
  /** An alert or participant message not delivered, or a platform's delivery Rollcall could not use. */
  what: 'alert' | 'participant_message' | 'dead_letter';
  id: string;
  /** The alert's label or the message's purpose. */
  label: string;
  platform: Platform | null;
  /** failed, or skipped (no chat the bot may write to). */
  state: string;
  /** The platform's error or the reason it was not sent: codes, never message text. */
  reason: string | null;
  participantId: string | null;
  participantName: string | null;
  at: Date;
  /** What staff can do about it, in words with the person's name (never the code). */
  hint?: string;
}

const DEAD_LETTER_HINT =
  'Zoom sent an event Rollcall could not read; it is kept for 30 days. If it names a session, check that session\'s attendance against Zoom\'s report. If these repeat, give the reason (not the event) to whoever runs Rollcall.';

const LOOKBACK_MS = 14 * 86_400_000;

/**
 * What Rollcall could not deliver lately, for staff to act on: alerts a chat platform refused for
 * good (a 403 from a removed bot, a channel gone, a revoked token) and participant messages that
 * failed or had no chat to go to, and signed platform deliveries that could not be used (dead
 * letters). Newest first.
 */
export async function listDeliveryProblems(prisma: Db, organizationId: string, now: Date): Promise<DeliveryProblem[]> {
  const since = new Date(now.getTime() - LOOKBACK_MS);
  const [alerts, messages, deadLetters] = await Promise.all([
    prisma.alert.findMany({ where: { organizationId, deliveryState: 'failed', updatedAt: { gte: since } }, orderBy: { updatedAt: 'desc' }, take: 50 }),
    prisma.participantOutboxMessage.findMany({
      where: { organizationId, state: { in: ['failed', 'skipped'] }, updatedAt: { gte: since } },
      orderBy: { updatedAt: 'desc' },
      take: 50,
      include: { participant: { select: { name: true } } },
    }),
    listDeadLetters({ prisma }, organizationId, { now, since, limit: 50 }),
  ]);
  const names = new Map(
    (await prisma.participant.findMany({ where: { organizationId, id: { in: alerts.flatMap((a) => (a.participantId ? [a.participantId] : [])) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]),
  );
  const organization = await prisma.organization.findUnique({ where: { id: organizationId }, select: { settings: true } });
  const allowed = resolveOrganizationSettings(organization?.settings).participantChat;
  const chatPlatforms = (['teams', 'zoom', 'slack'] as const).filter((p) => allowed[p]);
  // "Chat is off for Slack": which of the person's chat accounts are on a platform the clinic keeps participant chat off.
  const offIdentities = await prisma.identity.findMany({
    where: { organizationId, participantId: { in: messages.filter((m) => m.lastError === 'chat_disabled').map((m) => m.participantId) }, kind: { in: ['user_id', 'aad_object_id'] } },
    select: { participantId: true, platform: true },
  });
  const disabledFor = (participantId: string) => [...new Set(offIdentities.filter((i) => i.participantId === participantId && !allowed[i.platform]).map((i) => i.platform))];
  const problems: DeliveryProblem[] = [
    ...alerts.map((a) => ({
      what: 'alert' as const,
      id: a.id,
      label: isAlertKind(a.kind) ? alertKindLabel(a.kind) : a.kind,
      platform: a.platform,
      state: a.deliveryState,
      reason: a.lastDeliveryError,
      participantId: a.participantId,
      participantName: a.participantId ? (names.get(a.participantId) ?? null) : null,
      at: a.updatedAt,
      hint: adviseUndelivered({ what: 'alert', platform: a.platform, reason: a.lastDeliveryError, participantName: a.participantId ? (names.get(a.participantId) ?? null) : null }),
    })),
    ...messages.map((m) => ({
      what: 'participant_message' as const,
      id: m.id,
      label: outboxPurposeWords(m.purpose),
      platform: m.platform,
      state: m.state,
      reason: m.lastError,
      participantId: m.participantId,
      participantName: m.participant.name,
      at: m.updatedAt,
      hint: adviseUndelivered({
        what: 'participant_message',
        platform: m.platform,
        reason: m.lastError,
        participantName: m.participant.name,
        chatPlatforms,
        disabledPlatforms: m.lastError === 'chat_disabled' ? disabledFor(m.participantId) : undefined,
      }),
    })),
    ...deadLetters.map((d) => ({
      what: 'dead_letter' as const,
      id: d.id,
      label: d.event ?? 'unreadable delivery',
      platform: d.platform,
      state: 'not usable',
      reason: d.reason,
      participantId: null,
      participantName: null,
      at: d.receivedAt,
      hint: DEAD_LETTER_HINT,
    })),
  ];
  return problems.sort((a, b) => b.at.getTime() - a.at.getTime());
}
