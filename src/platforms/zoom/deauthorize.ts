import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { Prisma } from '../../generated/prisma/client.js';
import { writeAudit } from '../../services/audit.js';
import { failUndelivered } from '../../services/alerts/alert-outbox.js';
import type { ZoomAccountKey } from './account-key.js';
import { basicAuth, zoomRequest } from './zoom-http.js';

export const appDeauthorizedSchema = z.object({
  event: z.literal('app_deauthorized'),
  payload: z.looseObject({
    account_id: z.string().min(1),
    user_id: z.string().optional(),
    client_id: z.string().optional(),
    deauthorization_time: z.string().optional(),
    user_data_retention: z.union([z.boolean(), z.string()]).optional(),
  }),
});

/** Zoom identity kinds Rollcall learns from Zoom itself (user ids, display names); emails and registrant ids are the clinic's. */
const ZOOM_LEARNED_KINDS = ['user_id', 'alias', 'customer_key'];

export const DEAUTHORIZATION_ACTOR = 'zoom:deauthorization';

/**
 * The account removed the app. Zoom requires its users' data gone within 10 days when
 * `user_data_retention` is false; Rollcall deletes at once, whatever that flag says: the tokens and
 * installation, Zoom's person details on stored presence facts from that account, Zoom identities
 * learned from it, Zoom recordings in the materials, and Team Chat alerts not yet delivered with
 * their queued jobs. The clinic's attendance record (statuses, minutes) stays: it is the clinic's
 * clinical record, not Zoom's data (docs/privacy.md). One transaction, audited.
 */
export async function deauthorizeZoomAccount(deps: { prisma: Db; log: Logger; accountKey: ZoomAccountKey }, body: unknown): Promise<{ ok: boolean; payload?: z.output<typeof appDeauthorizedSchema>['payload'] }> {
  const parsed = appDeauthorizedSchema.safeParse(body);
  if (!parsed.success) return { ok: false };
  const accountKey = deps.accountKey(parsed.data.payload.account_id);
  const { prisma, log } = deps;
  const summary = await prisma.$transaction(async (tx) => {
    const installation = await tx.installation.findUnique({ where: { platform_externalId: { platform: 'zoom', externalId: accountKey } } });
    const organizationId = installation?.organizationId ?? null;
    if (installation) await tx.installation.delete({ where: { id: installation.id } });
    const facts = await tx.presenceEvent.updateMany({
      where: { platform: 'zoom', accountId: accountKey, person: { not: Prisma.DbNull } },
      data: { person: Prisma.DbNull, leaveReason: null },
    });
    // Unusable deliveries from the account may hold the same person details.
    await tx.deadLetter.deleteMany({ where: { platform: 'zoom', accountKey } });
    if (!organizationId) return { organizationId, facts: facts.count, identities: 0, recordings: 0, alerts: 0, messages: 0, jobs: 0 };
    const identities = await tx.identity.deleteMany({ where: { organizationId, platform: 'zoom', kind: { in: ZOOM_LEARNED_KINDS } } });
    const recordings = await tx.material.deleteMany({ where: { organizationId, kind: 'recording', externalKey: { startsWith: 'zoom-recording:' } } });
    const pending = await tx.alert.findMany({ where: { organizationId, platform: 'zoom', deliveryState: 'pending' }, select: { id: true } });
    const alertIds = pending.map((a) => a.id);
    let jobs = 0;
    if (alertIds.length > 0) {
      await failUndelivered(tx, alertIds, 'zoom app deauthorized');
      jobs = await tx.$executeRaw`DELETE FROM pgboss.job WHERE name = 'alert.deliver' AND state IN ('created', 'retry') AND data->>'alertId' = ANY(${alertIds})`;
    }
    // Participant messages still waiting for Zoom chat go, with their jobs; sent ones forget the Zoom user.
    const unsent = await tx.participantOutboxMessage.findMany({ where: { organizationId, platform: 'zoom', state: 'pending' }, select: { id: true } });
    const messageIds = unsent.map((m) => m.id);
    if (messageIds.length > 0) {
      await tx.participantOutboxMessage.deleteMany({ where: { id: { in: messageIds } } });
      jobs += await tx.$executeRaw`DELETE FROM pgboss.job WHERE name = 'participant.deliver' AND state IN ('created', 'retry') AND data->>'id' = ANY(${messageIds})`;
    }
    await tx.participantOutboxMessage.updateMany({ where: { organizationId, platform: 'zoom', platformUserId: { not: null } }, data: { platformUserId: null } });
    await writeAudit(tx, {
      organizationId,
      actor: DEAUTHORIZATION_ACTOR,
      action: 'zoom.deauthorize',
      entityType: 'Installation',
      entityId: accountKey,
      data: { factsCleared: facts.count, identities: identities.count, recordings: recordings.count, alerts: alertIds.length, messages: messageIds.length, jobs },
    });
    return { organizationId, facts: facts.count, identities: identities.count, recordings: recordings.count, alerts: alertIds.length, messages: messageIds.length, jobs };
  });
  log.info({ accountKey, ...summary }, 'zoom account deauthorized; its data deleted');
  return { ok: true, payload: parsed.data.payload };
}

/**
 * Tells Zoom the data is deleted (the Data Compliance API of Zoom's Marketplace data-compliance
 * guide). Best effort: the deletion above is what matters and has happened; a failure is logged.
 * Not sent when the user asked Zoom to let apps retain their data.
 */
export async function notifyZoomDataCompliance(
  deps: { oauthUrl: string; clientId: string; clientSecret: string; log: Logger; accountKey: ZoomAccountKey },
  payload: z.output<typeof appDeauthorizedSchema>['payload'],
): Promise<void> {
  if (payload.user_data_retention === true || payload.user_data_retention === 'true') return;
  try {
    await zoomRequest(`${deps.oauthUrl}/oauth/data/compliance`, {
      method: 'POST',
      authorization: basicAuth(deps.clientId, deps.clientSecret),
      json: { client_id: deps.clientId, user_id: payload.user_id, account_id: payload.account_id, deauthorization_event_received: payload, compliance_completed: true },
    });
  } catch (error) {
    deps.log.warn({ accountKey: deps.accountKey(payload.account_id), err: (error as Error).message }, 'zoom data compliance notice not accepted');
  }
}
