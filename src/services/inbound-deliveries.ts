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
    if (count % PRUNE_EVERY === 1) await prisma.inboundDelivery.deleteMany({ where: { platform, claimedAt: { lt: new Date(now.getTime() - CLAIM_RETENTION_MS) } } });
    return claimDelivery(prisma, platform, deliveryId, now);
  };
}
