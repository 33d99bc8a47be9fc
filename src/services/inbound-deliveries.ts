import type { Platform } from '../core/presence-event.js';
import type { Db } from '../db/database.js';
import { isPrismaError } from '../db/prisma-errors.js';

/**
 * A claim left unfinished this long is taken to be from a process that died mid-delivery: the
 * platform's next retry handles it again rather than losing it.
 */
export const STALE_CLAIM_MS = 2 * 60_000;

/** Platforms retry for minutes, not days: claims older than this are deleted as new ones come in. */
export const CLAIM_RETENTION_MS = 7 * 86_400_000;
const PRUNE_EVERY = 500;

export type DeliveryClaim = { claimed: true; release(): Promise<void>; complete(): Promise<void> } | { claimed: false; reason: 'done' | 'in_progress' };

/**
 * Claims one inbound delivery (a platform's retry of it shares its id) before it is handled. The
 * unique (platform, deliveryId) makes two concurrent copies one. The handler completes the claim
 * once its effects are durable, or releases it on failure so the platform's retry runs it again.
 */
export async function claimDelivery(prisma: Db, platform: Platform, deliveryId: string, now: Date): Promise<DeliveryClaim> {
  const where = { platform_deliveryId: { platform, deliveryId } };
  try {
    await prisma.inboundDelivery.create({ data: { platform, deliveryId, claimedAt: now } });
  } catch (error) {
    if (!isPrismaError(error, 'P2002')) throw error;
    const existing = await prisma.inboundDelivery.findUnique({ where });
    if (existing?.completedAt) return { claimed: false, reason: 'done' };
    // Take over a stale claim only if no one else did in between (compare-and-set on claimedAt).
    const stale = existing && now.getTime() - existing.claimedAt.getTime() > STALE_CLAIM_MS;
    const taken = stale ? await prisma.inboundDelivery.updateMany({ where: { platform, deliveryId, claimedAt: existing.claimedAt, completedAt: null }, data: { claimedAt: now } }) : { count: 0 };
    if (taken.count === 0) return { claimed: false, reason: 'in_progress' };
  }
  return {
    claimed: true,
    release: async () => void (await prisma.inboundDelivery.deleteMany({ where: { platform, deliveryId, completedAt: null } })),
    complete: async () => void (await prisma.inboundDelivery.update({ where, data: { completedAt: now } })),
  };
}

/**
 * claimDelivery with housekeeping: every few hundred claims, claims past CLAIM_RETENTION_MS are
 * deleted (the claimedAt index keeps that cheap), so the table stays small without a job of its own.
 */
export function createDeliveryClaims(prisma: Db, platform: Platform) {
  let count = 0;
  return async (deliveryId: string, now: Date): Promise<DeliveryClaim> => {
    count += 1;
    if (count % PRUNE_EVERY === 1) await pruneDeliveries(prisma, platform, now);
    return claimDelivery(prisma, platform, deliveryId, now);
  };
}

/** Deletes claims (and stored deliveries, failed ones included) past CLAIM_RETENTION_MS. */
export async function pruneDeliveries(prisma: Db, platform: Platform, now: Date): Promise<number> {
  const { count } = await prisma.inboundDelivery.deleteMany({ where: { platform, claimedAt: { lt: new Date(now.getTime() - CLAIM_RETENTION_MS) } } });
  return count;
}

/** A stored delivery is tried this many times in all, then left as a failure for people to see. */
export const MAX_STORED_ATTEMPTS = 8;
/** After a failed attempt, the next waits at least this long per attempt made (the sweep runs every minute). */
const RETRY_STEP_MS = 30_000;

export interface StoredDelivery {
  id: string;
  deliveryId: string;
  payload: string;
  attempts: number;
  /** The lease of this attempt: completing or failing it matches on it, so a stale worker changes nothing. */
  claimedAt: Date;
}

/**
 * Stores a delivery with its (sealed) body in one INSERT, claimed by the caller for its first
 * attempt: once this resolves 'stored', the delivery may be acknowledged. 'duplicate' means the
 * platform sent it before (a retry); it is stored already and must not be worked twice. Any other
 * failure (the database is away) rejects, and nothing may be acknowledged.
 */
export async function storeDelivery(prisma: Db, platform: Platform, deliveryId: string, payload: string, now: Date): Promise<{ stored: StoredDelivery } | 'duplicate'> {
  try {
    const row = await prisma.inboundDelivery.create({ data: { platform, deliveryId, claimedAt: now, payload, attempts: 1 } });
    return { stored: { id: row.id, deliveryId, payload, attempts: 1, claimedAt: row.claimedAt } };
  } catch (error) {
    if (isPrismaError(error, 'P2002')) return 'duplicate';
    throw error;
  }
}

/**
 * Stored deliveries due for another attempt: unfinished, under the attempt limit, and either failed
 * before and past their retryAfter, or claimed longer than STALE_CLAIM_MS ago by a process that
 * died. Each is leased by compare-and-set on claimedAt, so two instances never take the same one.
 */
export async function takeDueDeliveries(prisma: Db, platform: Platform, now: Date, limit = 50): Promise<StoredDelivery[]> {
  const candidates = await prisma.inboundDelivery.findMany({
    where: {
      platform,
      payload: { not: null },
      completedAt: null,
      failedAt: null,
      OR: [{ retryAfter: { lte: now } }, { retryAfter: null, claimedAt: { lt: new Date(now.getTime() - STALE_CLAIM_MS) } }],
    },
    orderBy: { claimedAt: 'asc' },
    take: limit,
  });
  const taken: StoredDelivery[] = [];
  for (const row of candidates) {
    const leased = await prisma.inboundDelivery.updateMany({
      where: { id: row.id, claimedAt: row.claimedAt, completedAt: null, failedAt: null },
      data: { claimedAt: now, retryAfter: null, attempts: { increment: 1 } },
    });
    if (leased.count === 1 && row.payload) taken.push({ id: row.id, deliveryId: row.deliveryId, payload: row.payload, attempts: row.attempts + 1, claimedAt: now });
  }
  return taken;
}

/** The delivery's effects are durable: it is done, and its body (PHI) is dropped. */
export async function completeStoredDelivery(prisma: Db, delivery: StoredDelivery, now: Date): Promise<void> {
  await prisma.inboundDelivery.updateMany({ where: { id: delivery.id, claimedAt: delivery.claimedAt }, data: { completedAt: now, payload: null, retryAfter: null } });
}

/** An attempt failed: tried again later, or, past MAX_STORED_ATTEMPTS, marked failed. Returns whether it gave up. */
export async function failStoredDelivery(prisma: Db, delivery: StoredDelivery, errorCode: string, now: Date): Promise<{ gaveUp: boolean }> {
  const gaveUp = delivery.attempts >= MAX_STORED_ATTEMPTS;
  await prisma.inboundDelivery.updateMany({
    where: { id: delivery.id, claimedAt: delivery.claimedAt, completedAt: null },
    data: { lastError: errorCode.slice(0, 100), ...(gaveUp ? { failedAt: now } : { retryAfter: new Date(now.getTime() + RETRY_STEP_MS * delivery.attempts) }) },
  });
  return { gaveUp };
}
