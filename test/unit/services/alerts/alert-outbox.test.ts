import { describe, expect, it } from 'vitest';
import type { Db } from '../../../../src/db/database.js';
import {
  appendStaffAction,
  createAlertOnce,
  markDelivered,
  markDeliveryFailed,
  markExpired,
  markPostAttempted,
  reactivateAlert,
  reopenAlert,
  resolveAlert,
  reviseAlert,
} from '../../../../src/services/alerts/alert-outbox.js';

const AT = new Date('2026-11-28T18:05:00Z');

/** A database that records what the writer asks of `Alert`, and answers reads from one stored detail. */
function recordingDb(stored: { detail: unknown } = { detail: {} }, createFails?: Error, conditionalRows = 1) {
  const writes: { op: string; args: any }[] = [];
  const alert = {
    /** A conditional write: `conditionalRows` rows still matched its condition. */
    async updateMany(args: unknown) {
      writes.push({ op: 'updateMany', args });
      return { count: conditionalRows };
    },
    async create(args: unknown) {
      if (createFails) throw createFails;
      writes.push({ op: 'create', args });
      return { id: 'alert-1' };
    },
    async update(args: unknown) {
      writes.push({ op: 'update', args });
      return {};
    },
    async findUniqueOrThrow() {
      return stored;
    },
  };
  return { db: { alert } as unknown as Db, writes };
}

const BUMP = { version: { increment: 1 }, deliveryState: 'pending' };

describe('the alert outbox writer', () => {
  it('bumps the version and makes delivery due on every change to what an alert says', async () => {
    const { db, writes } = recordingDb({ detail: { strikes: 1 } });
    await reviseAlert(db, 'a', { kind: 'late_join', detail: { minutesLate: 7 } });
    await reopenAlert(db, 'a', { kind: 'not_joined', detail: { noJoinBy: '2026-11-28T18:15:00.000Z' } });
    await reactivateAlert(db, { id: 'a', detail: { resolution: 'handled' } });
    await resolveAlert(db, { id: 'a', detail: {}, version: 3, externalMessageId: 'ts-1' }, { resolution: 'arrived', at: AT });
    await appendStaffAction(db, 'a', { action: 'reach_out', by: 'Dana', at: AT.toISOString() });
    expect(writes).toHaveLength(5);
    for (const write of writes) expect(write.args.data).toMatchObject(BUMP);
  });

  it('posts a reopened alert afresh: the old message is far up the channel', async () => {
    const { db, writes } = recordingDb();
    await reopenAlert(db, 'a', { kind: 'not_joined', detail: {} });
    expect(writes[0]!.args.data).toMatchObject({ state: 'active', externalMessageId: null, deliveredVersion: 0 });
  });

  it("appends a staff action to the alert's current detail, read in the caller's transaction", async () => {
    const { db, writes } = recordingDb({ detail: { strikes: 2, staffActions: [{ action: 'excuse', by: 'Lee', at: AT.toISOString() }] } });
    await appendStaffAction(db, 'a', { action: 'reach_out', by: 'Dana', at: AT.toISOString() });
    expect(writes[0]!.args.data.detail).toEqual({
      strikes: 2,
      staffActions: [
        { action: 'excuse', by: 'Lee', at: AT.toISOString() },
        { action: 'reach_out', by: 'Dana', at: AT.toISOString() },
      ],
    });
  });

  it('closes quietly an alert never posted when asked to, and reports that nothing needs delivery', async () => {
    const { db, writes } = recordingDb();
    const unposted = { id: 'a', detail: { waitingSince: '2026-11-28T18:00:00.000Z' }, version: 1, externalMessageId: null };
    expect(await resolveAlert(db, unposted, { resolution: 'admitted', at: AT, quietIfUnposted: true })).toBe(false);
    expect(writes[0]!.args.data).toMatchObject({ state: 'resolved', version: { increment: 1 }, deliveredVersion: 2, deliveryState: 'cancelled' });
    expect(await resolveAlert(db, unposted, { resolution: 'handled', at: AT })).toBe(true);
    expect(writes[1]!.args.data).toMatchObject({ state: 'resolved', ...BUMP, detail: { resolution: 'handled', resolvedAt: AT.toISOString() } });
  });

  it('resolves out loud an alert whose first post has started, so the post that lands is edited to say so', async () => {
    // The delivery marked its attempt before this resolution could close the alert quietly: the condition matches no row.
    const { db, writes } = recordingDb(undefined, undefined, 0);
    const unposted = { id: 'a', detail: {}, version: 1, externalMessageId: null };
    expect(await resolveAlert(db, unposted, { resolution: 'arrived', at: AT, quietIfUnposted: true })).toBe(true);
    expect(writes[0]!.args.where).toEqual({ id: 'a', externalMessageId: null, postAttemptedAt: null });
    expect(writes[1]).toMatchObject({ op: 'update', args: { data: { state: 'resolved', ...BUMP } } });
  });

  it('marks a post as attempted only while the alert is not closed, and says whether it may post', async () => {
    const open = recordingDb();
    expect(await markPostAttempted(open.db, 'a', AT)).toBe(true);
    expect(open.writes[0]!.args).toEqual({ where: { id: 'a', deliveryState: { not: 'cancelled' } }, data: { postAttemptedAt: AT } });
    const closedQuietly = recordingDb(undefined, undefined, 0);
    expect(await markPostAttempted(closedQuietly.db, 'a', AT)).toBe(false);
  });

  it('records who resolved it on the same edit', async () => {
    const { db, writes } = recordingDb();
    await resolveAlert(db, { id: 'a', detail: {}, version: 1, externalMessageId: 'ts' }, { resolution: 'dismissed', at: AT, staffAction: { action: 'dismiss', by: 'Dana', at: AT.toISOString() } });
    expect(writes[0]!.args.data.detail).toEqual({ staffActions: [{ action: 'dismiss', by: 'Dana', at: AT.toISOString() }], resolution: 'dismissed', resolvedAt: AT.toISOString() });
  });

  it('never moves the version when it records how delivery went', async () => {
    const { db, writes } = recordingDb();
    await markDelivered(db, 'a', { messageId: 'ts-1', version: 4 });
    await markDeliveryFailed(db, 'a', { message: 'x'.repeat(600), retryable: false });
    await markExpired(db, 'a', 4);
    for (const write of writes) expect(write.args.data.version).toBeUndefined();
    expect(writes[0]!.args.data).toMatchObject({ externalMessageId: 'ts-1', deliveredVersion: 4, deliveryState: 'delivered' });
    expect(writes[1]!.args.data).toMatchObject({ deliveryState: 'failed' });
    expect(writes[1]!.args.data.lastDeliveryError).toHaveLength(500);
    expect(writes[2]!.args.data).toEqual({ deliveryState: 'expired', deliveredVersion: 4 });
  });

  it('treats a taken unique key as raised already, and lets any other failure through', async () => {
    const spec = { organizationId: 'o', programId: 'p', subjectKey: 's', topic: 'crisis', kind: 'crisis', detail: {}, platform: 'slack', channelId: 'C1', dedupeKey: 'k' } as const;
    expect(await createAlertOnce(recordingDb().db, spec)).toBe('alert-1');
    expect(await createAlertOnce(recordingDb(undefined, Object.assign(new Error('unique'), { code: 'P2002' })).db, spec)).toBeNull();
    await expect(createAlertOnce(recordingDb(undefined, new Error('connection lost')).db, spec)).rejects.toThrow('connection lost');
  });
});
