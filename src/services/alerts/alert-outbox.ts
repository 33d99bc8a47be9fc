import { withResolution, withStaffAction, withoutResolution, type AlertDetail, type AlertResolution, type StaffActionEntry } from '../../core/alert-detail.js';
import type { AlertKind } from '../../core/alert-kinds.js';
import type { Platform } from '../../core/presence-event.js';
import type { Db } from '../../db/database.js';
import { isPrismaError } from '../../db/prisma-errors.js';
import type { Prisma } from '../../generated/prisma/client.js';

/**
 * The one writer of `Alert` rows: the outbox of chat messages for staff. A change to what an alert
 * says (create, revise, reopen, resolve, a staff action) moves its `version` by one and makes
 * delivery due, here and nowhere else; services/alert-delivery.ts brings the chat message up to
 * that version and records how delivery went through the marks at the end. Callers write inside
 * their own transaction (the alert commits with the change that wants it) and enqueue delivery of
 * the ids after commit.
 */

type Writer = Db | Prisma.TransactionClient;

export interface NewAlert {
  organizationId: string;
  /** Null for alerts about a person rather than a session (Crisis, Absence reported, Strike). */
  sessionId?: string | null;
  /** The program whose channel it goes to; required when there is no session. */
  programId?: string | null;
  participantId?: string | null;
  /** A participant id, `unmatched:<personKey>`, `session`, or `unlinked:<key>`. */
  subjectKey: string;
  topic: string;
  kind: AlertKind;
  detail: AlertDetail;
  platform: Platform;
  channelId: string;
  /** Keeps an alert without a session single across retries and instances. */
  dedupeKey?: string;
}

/** The stored alert as the writer needs it to decide a resolution's delivery. */
export interface StoredAlertRef {
  id: string;
  detail: unknown;
  version: number;
  externalMessageId: string | null;
}

const json = (detail: AlertDetail) => detail as Prisma.InputJsonValue;

/** What every content change writes besides itself: one version more, delivery due. */
const NEXT_VERSION = { version: { increment: 1 }, deliveryState: 'pending' } as const;

export async function createAlert(db: Writer, alert: NewAlert): Promise<{ id: string }> {
  return db.alert.create({
    data: {
      organizationId: alert.organizationId,
      sessionId: alert.sessionId ?? null,
      programId: alert.programId ?? null,
      participantId: alert.participantId ?? null,
      subjectKey: alert.subjectKey,
      topic: alert.topic,
      kind: alert.kind,
      detail: json(alert.detail),
      platform: alert.platform,
      channelId: alert.channelId,
      dedupeKey: alert.dedupeKey ?? null,
    },
    select: { id: true },
  });
}

/**
 * Creates the alert unless its unique key (dedupe key, or session + subject + topic) is taken:
 * then a retry or another instance already raised it, and the answer is null. Outside a
 * transaction only: a unique violation aborts the transaction it happens in.
 */
export async function createAlertOnce(db: Db, alert: NewAlert): Promise<string | null> {
  try {
    return (await createAlert(db, alert)).id;
  } catch (error) {
    if (isPrismaError(error, 'P2002')) return null;
    throw error;
  }
}

/** New facts (and possibly a new kind) for an alert: its message is edited in place. */
export async function reviseAlert(db: Writer, alertId: string, change: { detail: AlertDetail; kind?: AlertKind; state?: 'active' | 'resolved' }): Promise<void> {
  await db.alert.update({ where: { id: alertId }, data: { ...change, detail: json(change.detail), ...NEXT_VERSION } });
}

/**
 * An alert resolved earlier is true again. The old message sits far up the channel: a fresh post
 * is seen, an edit of it would not be.
 */
export async function reopenAlert(db: Writer, alertId: string, change: { kind: AlertKind; detail: AlertDetail }): Promise<void> {
  await db.alert.update({
    where: { id: alertId },
    data: { state: 'active', kind: change.kind, detail: json(withoutResolution(change.detail)), externalMessageId: null, deliveredVersion: 0, ...NEXT_VERSION },
  });
}

/** Makes a resolved alert active again on the same message (a FollowUp reopened by staff). */
export async function reactivateAlert(db: Writer, alert: Pick<StoredAlertRef, 'id' | 'detail'>, staffAction?: StaffActionEntry): Promise<void> {
  const detail = withoutResolution(staffAction ? withStaffAction(alert.detail, staffAction) : alert.detail);
  await db.alert.update({ where: { id: alert.id }, data: { state: 'active', detail: json(detail), ...NEXT_VERSION } });
}

export interface Resolution {
  resolution: AlertResolution;
  at: Date;
  /** Facts that explain the resolution on the message (`strikesNow`). */
  facts?: AlertDetail;
  /** Who resolved it, when a person did. */
  staffAction?: StaffActionEntry;
  /**
   * Never posted and already over (admitted within seconds): nothing for staff to see, so the
   * alert is closed without a post. Only the evaluation's own alerts do this.
   */
  quietIfUnposted?: boolean;
}

/** Resolves an alert; returns whether its message needs delivery (false when closed quietly). */
export async function resolveAlert(db: Writer, alert: StoredAlertRef, resolution: Resolution): Promise<boolean> {
  const base = resolution.staffAction ? withStaffAction(alert.detail, resolution.staffAction) : alert.detail;
  const detail = json(withResolution(base, resolution.resolution, resolution.at, resolution.facts));
  if (resolution.quietIfUnposted && !alert.externalMessageId) {
    // Only if no post has started: a delivery marks its attempt (committed) before it posts, so a
    // post in flight makes this a resolution its message must show, not one closed quietly while the
    // post lands. The row's own values decide, under its lock (markPostAttempted's mirror condition).
    const closed = await db.alert.updateMany({
      where: { id: alert.id, externalMessageId: null, postAttemptedAt: null },
      data: { state: 'resolved', detail, version: { increment: 1 }, deliveredVersion: alert.version + 1, deliveryState: 'cancelled' },
    });
    if (closed.count === 1) return false;
  }
  await db.alert.update({ where: { id: alert.id }, data: { state: 'resolved', detail, ...NEXT_VERSION } });
  return true;
}

/**
 * One more line on the alert's message saying what staff did. Reads the detail in the caller's
 * transaction, so a line written meanwhile by another press is kept.
 */
export async function appendStaffAction(db: Writer, alertId: string, entry: StaffActionEntry): Promise<void> {
  const current = await db.alert.findUniqueOrThrow({ where: { id: alertId }, select: { detail: true } });
  await db.alert.update({ where: { id: alertId }, data: { detail: json(withStaffAction(current.detail, entry)), ...NEXT_VERSION } });
}

// Delivery marks: how the outbox's delivery went. They never change the version: that is content.

/**
 * Committed on its own before a first post, so a retry after a crash looks for that post first.
 * False when the alert was closed quietly meanwhile (resolveAlert): then nothing may be posted.
 */
export async function markPostAttempted(db: Writer, alertId: string, at: Date): Promise<boolean> {
  const marked = await db.alert.updateMany({ where: { id: alertId, deliveryState: { not: 'cancelled' } }, data: { postAttemptedAt: at } });
  return marked.count === 1;
}

export async function markDelivered(db: Writer, alertId: string, delivered: { messageId: string; version: number }): Promise<void> {
  await db.alert.update({
    where: { id: alertId },
    data: { externalMessageId: delivered.messageId, deliveredVersion: delivered.version, deliveryState: 'delivered', deliveryAttempts: { increment: 1 }, lastDeliveryError: null },
  });
}

/** A failed attempt: retried later unless the platform refused for good. */
export async function markDeliveryFailed(db: Writer, alertId: string, failure: { message: string; retryable: boolean }): Promise<void> {
  await db.alert.update({
    where: { id: alertId },
    data: { deliveryAttempts: { increment: 1 }, lastDeliveryError: failure.message.slice(0, 500), deliveryState: failure.retryable ? 'pending' : 'failed' },
  });
}

/** Never posted, and too late to help anyone now: the version counts as delivered. */
export async function markExpired(db: Writer, alertId: string, version: number): Promise<void> {
  await db.alert.update({ where: { id: alertId }, data: { deliveryState: 'expired', deliveredVersion: version } });
}

/** Undelivered alerts whose platform went away (an app uninstalled): failed for good, with why. */
export async function failUndelivered(db: Writer, alertIds: string[], reason: string): Promise<void> {
  if (alertIds.length === 0) return;
  await db.alert.updateMany({ where: { id: { in: alertIds } }, data: { deliveryState: 'failed', lastDeliveryError: reason } });
}
