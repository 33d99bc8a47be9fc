import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { writeAudit } from '../../services/audit.js';
import type { ConnectStates } from '../../services/installs/connect-state.js';
import { INSTALL_REFUSAL_TEXT } from '../../services/installs/place-install.js';

export interface TeamsConnectDeps {
  prisma: Db;
  log: Logger;
  clock: Clock;
  connectStates: ConnectStates;
}

/** `connect <code>`, the code shown by "Connect Teams" in a clinic's Settings (a signed Connect state). */
export const CONNECT_COMMAND = /^connect\s+([\w-]{20,}\.[\w-]{20,})$/i;

type Outcome = 'connected' | 'already' | 'invalid' | 'not_installed' | 'not_installer' | 'platform_taken' | 'not_empty';

const ANSWERS: Record<Outcome, string> = {
  connected: 'Connected: this Microsoft 365 tenant now belongs to your clinic in Rollcall.',
  already: 'This tenant is already connected to that clinic.',
  invalid: 'That code has expired or is not valid. Make a new one with “Connect Teams” in your clinic’s Settings (it lasts ten minutes).',
  not_installed: 'Rollcall is not installed in this tenant yet.',
  not_installer: 'Only the person who installed Rollcall in this tenant can connect it to a clinic.',
  platform_taken: INSTALL_REFUSAL_TEXT.platform_taken,
  not_empty: INSTALL_REFUSAL_TEXT.connected_elsewhere,
};

/**
 * Teams install activities carry no state of ours, so a tenant's first install founds a clinic of
 * its own; its installer then writes `connect <code>` to the bot to bring the tenant into the clinic
 * that made the code. Allowed only while the tenant's own clinic is empty (no programs, no
 * participants, no other platform) and the target clinic has no Teams tenant: records never move
 * between clinics, and a tenant can join only a clinic that invited it.
 */
export async function connectTenant(deps: TeamsConnectDeps, input: { tenantId: string; userId: string | undefined; code: string }): Promise<Outcome> {
  const target = deps.connectStates.verify(input.code, 'teams', deps.clock.now().getTime());
  if (!target) return 'invalid';
  return deps.prisma.$transaction(async (tx) => {
    // The same lock as placeInstall's for this tenant: an install and a connect do not interleave.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rollcall.install:teams:${input.tenantId}`}))`;
    const installation = await tx.installation.findUnique({ where: { platform_externalId: { platform: 'teams', externalId: input.tenantId } } });
    if (!installation) return 'not_installed';
    if (installation.organizationId === target.organizationId) return 'already';
    if (!input.userId || (installation.data as { installedBy?: unknown } | null)?.installedBy !== input.userId) return 'not_installer';
    if (await tx.installation.findFirst({ where: { organizationId: target.organizationId, platform: 'teams' }, select: { id: true } })) return 'platform_taken';
    const from = installation.organizationId;
    const [programs, participants, others] = await Promise.all([
      tx.program.count({ where: { organizationId: from } }),
      tx.participant.count({ where: { organizationId: from } }),
      tx.installation.count({ where: { organizationId: from, id: { not: installation.id } } }),
    ]);
    if (programs + participants + others > 0) return 'not_empty';
    await tx.installation.update({ where: { id: installation.id }, data: { organizationId: target.organizationId } });
    await tx.chatConversation.updateMany({ where: { platform: 'teams', tenantId: input.tenantId }, data: { organizationId: target.organizationId } });
    const data = { platform: 'teams', from, ...(target.staffAccountId ? { connectedBy: target.staffAccountId } : {}) };
    await writeAudit(tx, { organizationId: target.organizationId, actor: `teams:${input.userId}`, action: 'installation.connected', entityType: 'Installation', entityId: input.tenantId, data });
    await writeAudit(tx, { organizationId: from, actor: `teams:${input.userId}`, action: 'installation.moved', entityType: 'Installation', entityId: input.tenantId, data: { platform: 'teams', to: target.organizationId } });
    return 'connected';
  });
}

export async function handleConnectCommand(context: TurnContext, deps: TeamsConnectDeps, tenantId: string, code: string): Promise<void> {
  const outcome = await connectTenant(deps, { tenantId, userId: context.activity.from?.aadObjectId, code });
  deps.log.info({ tenantId, outcome }, 'teams connect command');
  await context.sendActivity(ANSWERS[outcome]);
}
