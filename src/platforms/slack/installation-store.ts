import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Db } from '../../db/database.js';
import { writeAudit } from '../../services/audit.js';
import type { ConnectStates } from '../../services/installs/connect-state.js';
import { placeInstall, type InstallPlacement } from '../../services/installs/place-install.js';

const workspaceOf = (query: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }) =>
  query.isEnterpriseInstall ? query.enterpriseId : query.teamId;

export type SlackRefusal = 'connected_elsewhere' | 'platform_taken' | 'unknown_clinic' | 'connect_expired';

/** An install Rollcall will not keep: the callback page says why (install-pages.ts). */
export class SlackInstallRefused extends Error {
  constructor(readonly reason: SlackRefusal) {
    super(`slack install refused: ${reason}`);
  }
}

/** Where a stored install was placed, for the callback's success page. */
export const placements = new WeakMap<Installation, Extract<InstallPlacement, { organizationId: string }> & { clinicName: string }>();

export interface SlackInstallationStoreDeps {
  prisma: Db;
  box: SecretBox;
  log: Logger;
  clock: Clock;
  connectStates: ConnectStates;
  /** Best effort: gives the token back when an install is refused, so the workspace is not left half-installed. */
  revoke(token: string): Promise<void>;
}

/**
 * Slack installations in PostgreSQL, one clinic each. The whole installation (bot token included)
 * is sealed with ENCRYPTION_KEY, bound to its workspace id; only ids and scopes are stored in the
 * clear. A new workspace founds its own clinic, or joins the clinic whose signed Connect state it
 * carries (placeInstall); a clinic has at most one live Slack workspace. Uninstalling or revoking
 * deletes the tokens and keeps the row, so the workspace stays tied to its clinic's records.
 */
export function createSlackInstallationStore(deps: SlackInstallationStoreDeps) {
  const { prisma, box, log } = deps;
  const open = (row: { encryptedTokens: string | null; externalId: string }) =>
    row.encryptedTokens ? (JSON.parse(box.open(row.encryptedTokens, `slack:${row.externalId}`)) as Installation) : null;

  async function isLive(installation: Installation): Promise<boolean> {
    const workspaceId = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
    if (!workspaceId) return false;
    const row = await prisma.installation.findUnique({ where: { platform_externalId: { platform: 'slack', externalId: workspaceId } }, select: { encryptedTokens: true } });
    return Boolean(row?.encryptedTokens);
  }

  async function place(installation: Installation): Promise<void> {
    const workspaceId = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
    if (!workspaceId) throw new Error('installation names no workspace');
    const state = installation.metadata;
    const connect = state ? deps.connectStates.verify(state, 'slack', deps.clock.now().getTime()) : null;
    // A Connect link that expired (or was tampered with) on the way must not quietly found a new clinic.
    if (state && !connect) throw new SlackInstallRefused('connect_expired');
    const { metadata: _state, ...kept } = installation;
    const name = (installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name) ?? '';
    const installedBy = installation.user?.id ?? null;
    const placement = await placeInstall(prisma, { platform: 'slack', externalId: workspaceId, displayName: name, connectTo: connect?.organizationId ?? null }, async (tx, organizationId) => {
      // One Slack workspace per clinic: alerts go out with one bot token, never "the newest" of two.
      const other = await tx.installation.findFirst({ where: { organizationId, platform: 'slack', externalId: { not: workspaceId }, encryptedTokens: { not: null } }, select: { id: true } });
      if (other) throw new SlackInstallRefused('platform_taken');
      const encryptedTokens = box.seal(JSON.stringify(kept), `slack:${workspaceId}`);
      const data = { botUserId: installation.bot?.userId ?? null, scopes: installation.bot?.scopes ?? [], enterprise: Boolean(installation.isEnterpriseInstall), installedBy, name };
      await tx.installation.upsert({
        where: { platform_externalId: { platform: 'slack', externalId: workspaceId } },
        create: { organizationId, platform: 'slack', externalId: workspaceId, encryptedTokens, data },
        update: { encryptedTokens, data },
      });
    });
    if ('refused' in placement) throw new SlackInstallRefused(placement.refused);
    const { organizationId, outcome } = placement;
    await writeAudit(prisma, {
      organizationId,
      actor: installedBy ? `slack:${installedBy}` : 'slack:installer',
      action: `installation.${outcome}`,
      entityType: 'Installation',
      entityId: workspaceId,
      data: { platform: 'slack', ...(connect?.staffAccountId ? { connectedBy: connect.staffAccountId } : {}) },
    });
    const clinic = await prisma.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { name: true } });
    placements.set(installation, { organizationId, outcome, clinicName: clinic.name });
    log.info({ workspaceId, organizationId, outcome }, 'slack installation stored');
  }

  const store: InstallationStore & {
    botTokenForOrganization(organizationId: string): Promise<string | null>;
    organizationOfWorkspace(ids: { teamId?: string | null; enterpriseId?: string | null }): Promise<string | null>;
  } = {
    async storeInstallation(installation) {
      try {
        await place(installation);
      } catch (error) {
        // A workspace already installed keeps working with its token (Slack reissues the same one on reinstall).
        if (error instanceof SlackInstallRefused && installation.bot?.token && !(await isLive(installation))) await deps.revoke(installation.bot.token).catch(() => {});
        throw error;
      }
    },
    async fetchInstallation(query) {
      const workspaceId = workspaceOf(query);
      const row = workspaceId ? await prisma.installation.findUnique({ where: { platform_externalId: { platform: 'slack', externalId: workspaceId } } }) : null;
      const installation = row ? open(row) : null;
      if (!installation) throw new Error(`no Slack installation for ${workspaceId ?? 'unknown workspace'}`);
      return installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const workspaceId = workspaceOf(query);
      if (!workspaceId) return;
      await prisma.installation.updateMany({ where: { platform: 'slack', externalId: workspaceId }, data: { encryptedTokens: null } });
      log.info({ workspaceId }, 'slack tokens deleted');
    },
    /** The clinic's one live workspace's bot token; with two (which installs refuse) none, rather than a guess. */
    async botTokenForOrganization(organizationId) {
      const rows = await prisma.installation.findMany({ where: { organizationId, platform: 'slack', encryptedTokens: { not: null } }, take: 2 });
      if (rows.length !== 1) {
        if (rows.length > 1) log.error({ organizationId }, 'several live slack installations for one clinic: no token chosen');
        return null;
      }
      return open(rows[0]!)?.bot?.token ?? null;
    },
    /** The clinic a delivery belongs to: its workspace's installation, else its enterprise's (org-wide install). */
    async organizationOfWorkspace({ teamId, enterpriseId }) {
      const ids = [teamId, enterpriseId].filter((id): id is string => Boolean(id));
      if (ids.length === 0) return null;
      const rows = await prisma.installation.findMany({ where: { platform: 'slack', externalId: { in: ids } }, select: { externalId: true, organizationId: true } });
      return (rows.find((r) => r.externalId === teamId) ?? rows[0])?.organizationId ?? null;
    },
  };
  return store;
}
