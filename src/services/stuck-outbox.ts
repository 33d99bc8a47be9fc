import type { Db } from '../db/database.js';

/**
 * A row still waiting this long after its last change was most likely left by a crash between its
 * commit and the enqueue after it. Compared in real time: `updatedAt` is written from the wall
 * clock, never from the (possibly scaled) app clock.
 */
export const STUCK_AFTER_MS = 20_000;
const BATCH = 500;
const FIRST_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * One page (in id order, after `after`) of the outbox rows whose delivery job may have been lost:
 * alerts behind by a version, and participant messages still pending. Both outboxes are swept the
 * same way (engine sweep, care plan).
 */
export async function findStuckOutboxIds(prisma: Db, outbox: 'alert' | 'participant', after = FIRST_UUID): Promise<string[]> {
  const before = new Date(Date.now() - STUCK_AFTER_MS);
  if (outbox === 'participant') {
    const rows = await prisma.participantOutboxMessage.findMany({
      where: { state: 'pending', updatedAt: { lt: before }, id: { gt: after } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    return rows.map((row) => row.id);
  }
  // Behind by a version, whatever the state says: a delivery that finished just after an evaluation
  // bumped the version writes 'delivered' over 'pending'.
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Alert"
    WHERE "deliveredVersion" < version AND "deliveryState" IN ('pending', 'delivered') AND "updatedAt" < ${before} AND id > ${after}::uuid
    ORDER BY id
    LIMIT ${BATCH}`;
  return rows.map((row) => row.id);
}

/** Every stuck row, a page at a time: a backlog larger than a page is not silently left for the next run. */
export async function* stuckOutboxPages(prisma: Db, outbox: 'alert' | 'participant'): AsyncGenerator<string[]> {
  let after = FIRST_UUID;
  for (;;) {
    const ids = await findStuckOutboxIds(prisma, outbox, after);
    if (ids.length > 0) yield ids;
    if (ids.length < BATCH) return;
    after = ids[ids.length - 1]!;
  }
}
