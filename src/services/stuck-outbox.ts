import type { Db } from '../db/database.js';

/**
 * A row still waiting this long after its last change was most likely left by a crash between its
 * commit and the enqueue after it. Compared in real time: `updatedAt` is written from the wall
 * clock, never from the (possibly scaled) app clock.
 */
export const STUCK_AFTER_MS = 20_000;
const BATCH = 500;

/**
 * The ids of outbox rows whose delivery job may have been lost: alerts behind by a version, and
 * participant messages still pending. Both outboxes are swept the same way (engine sweep, care plan).
 */
export async function findStuckOutboxIds(prisma: Db, outbox: 'alert' | 'participant'): Promise<string[]> {
  const before = new Date(Date.now() - STUCK_AFTER_MS);
  if (outbox === 'participant') {
    const rows = await prisma.participantOutboxMessage.findMany({ where: { state: 'pending', updatedAt: { lt: before } }, select: { id: true }, take: BATCH });
    return rows.map((row) => row.id);
  }
  // Behind by a version, whatever the state says: a delivery that finished just after an evaluation
  // bumped the version writes 'delivered' over 'pending'.
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Alert"
    WHERE "deliveredVersion" < version AND "deliveryState" IN ('pending', 'delivered') AND "updatedAt" < ${before}
    LIMIT ${BATCH}`;
  return rows.map((row) => row.id);
}
