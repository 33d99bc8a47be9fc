import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Db } from '../../db/database.js';

const workspaceOf = (query: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }) =>
  query.isEnterpriseInstall ? query.enterpriseId : query.teamId;

/**
 * Slack installations in PostgreSQL. The whole installation (bot token included) is sealed with
 * ENCRYPTION_KEY, bound to its workspace id; only ids and scopes are stored in the clear.
 * Uninstalling or revoking deletes the tokens and keeps the row, so the workspace stays tied to
 * its organization's records.
 */
export function createSlackInstallationStore(deps: { prisma: Db; box: SecretBox; log: Logger; organizationFor(workspaceId: string): Promise<string> }) {
  const { prisma, box, log } = deps;
  const store: InstallationStore & { botTokenForOrganization(organizationId: string): Promise<string | null> } = {
    async storeInstallation(installation) {
      const workspaceId = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
      if (!workspaceId) throw new Error('installation names no workspace');
      const organizationId = await deps.organizationFor(workspaceId);
      const encryptedTokens = box.seal(JSON.stringify(installation), `slack:${workspaceId}`);
      const data = { botUserId: installation.bot?.userId ?? null, scopes: installation.bot?.scopes ?? [], enterprise: Boolean(installation.isEnterpriseInstall) };
      await prisma.installation.upsert({
        where: { platform_externalId: { platform: 'slack', externalId: workspaceId } },
        create: { organizationId, platform: 'slack', externalId: workspaceId, encryptedTokens, data },
        update: { encryptedTokens, data },
      });
      log.info({ workspaceId, organizationId }, 'slack installation stored');
    },
    async fetchInstallation(query) {
      const workspaceId = workspaceOf(query);
      const row = workspaceId ? await prisma.installation.findUnique({ where: { platform_externalId: { platform: 'slack', externalId: workspaceId } } }) : null;
      if (!row?.encryptedTokens) throw new Error(`no Slack installation for ${workspaceId ?? 'unknown workspace'}`);
      return JSON.parse(box.open(row.encryptedTokens, `slack:${row.externalId}`)) as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const workspaceId = workspaceOf(query);
      if (!workspaceId) return;
      await prisma.installation.updateMany({ where: { platform: 'slack', externalId: workspaceId }, data: { encryptedTokens: null } });
      log.info({ workspaceId }, 'slack tokens deleted');
    },
    async botTokenForOrganization(organizationId) {
      const row = await prisma.installation.findFirst({ where: { organizationId, platform: 'slack', encryptedTokens: { not: null } }, orderBy: { updatedAt: 'desc' } });
      if (!row?.encryptedTokens) return null;
      const installation = JSON.parse(box.open(row.encryptedTokens, `slack:${row.externalId}`)) as Installation;
      return installation.bot?.token ?? null;
    },
  };
  return store;
}
