import type { Logger } from 'pino';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Db } from '../../db/database.js';
import { ZOOM_ACCOUNT_KEY_PREFIX, type ZoomAccountKey } from './account-key.js';
import { accountIdAad } from './installations.js';

/** Audit rows whose entityId was a Zoom account id before ids were hashed. */
const ACCOUNT_AUDIT_ACTIONS = ['zoom.install', 'zoom.deauthorize'];
const notHashed = { not: { startsWith: ZOOM_ACCOUNT_KEY_PREFIX } };

/**
 * Start-up step: rows written before Zoom account ids were hashed get their keyed hash (and, on an
 * installation, the id sealed beside it). Idempotent: hashed values carry a prefix and are skipped,
 * so a second run, or two instances starting at once, change nothing more. Presence facts are
 * updated per distinct account (a deployment has a handful), one UPDATE each.
 */
export async function hashStoredZoomAccountIds(deps: { prisma: Db; box: SecretBox; accountKey: ZoomAccountKey; log: Logger }): Promise<{ installations: number; facts: number; audits: number }> {
  const { prisma, box, accountKey } = deps;
  let installations = 0;
  let facts = 0;
  let audits = 0;
  const rows = await prisma.installation.findMany({ where: { platform: 'zoom', externalId: notHashed }, select: { id: true, externalId: true } });
  for (const row of rows) {
    const key = accountKey(row.externalId);
    // Another instance may have hashed it meanwhile: the compare-and-set on the clear value makes that a no-op.
    const { count } = await prisma.installation.updateMany({
      where: { id: row.id, externalId: row.externalId },
      data: { externalId: key, encryptedExternalId: box.seal(row.externalId, accountIdAad(key)) },
    });
    installations += count;
  }
  const accounts = await prisma.presenceEvent.findMany({ where: { platform: 'zoom', accountId: notHashed }, distinct: ['accountId'], select: { accountId: true } });
  for (const { accountId } of accounts) {
    if (!accountId) continue;
    facts += (await prisma.presenceEvent.updateMany({ where: { platform: 'zoom', accountId }, data: { accountId: accountKey(accountId) } })).count;
  }
  const audited = await prisma.auditLog.findMany({ where: { entityType: 'Installation', action: { in: ACCOUNT_AUDIT_ACTIONS }, entityId: notHashed }, distinct: ['entityId'], select: { entityId: true } });
  for (const { entityId } of audited) {
    audits += (await prisma.auditLog.updateMany({ where: { entityType: 'Installation', action: { in: ACCOUNT_AUDIT_ACTIONS }, entityId }, data: { entityId: accountKey(entityId) } })).count;
  }
  if (installations + facts + audits > 0) deps.log.info({ installations, facts, audits }, 'zoom account ids replaced by their keyed hashes');
  return { installations, facts, audits };
}
