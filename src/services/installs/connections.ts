import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { ConnectPlatform } from './connect-state.js';

export interface ClinicConnection {
  platform: ConnectPlatform;
  label: string;
  /** This deployment can install the platform from a marketplace (its OAuth or bot is configured). */
  available: boolean;
  /** The workspace, tenant or account connected to the clinic, by the name the platform gave it. */
  connected: { name: string; live: boolean } | null;
}

const LABELS: Record<ConnectPlatform, string> = { slack: 'Slack', teams: 'Microsoft Teams', zoom: 'Zoom' };

/** Which platforms an operator configured for installs: Slack and Zoom by OAuth, Teams by its bot. */
export function installablePlatforms(config: Config): Record<ConnectPlatform, boolean> {
  return {
    slack: Boolean(config.slack.signingSecret && config.slack.clientId && config.slack.clientSecret && config.slack.stateSecret),
    teams: config.teams.inbound !== 'off',
    zoom: Boolean(config.zoom.clientId && config.zoom.clientSecret),
  };
}

/**
 * A clinic's connection per platform, for Settings. Slack and Zoom installs hold tokens (gone once
 * uninstalled: not live); a Teams tenant holds none, and is live while its row exists.
 */
export async function readConnections(deps: { prisma: Db; config: Config }, organizationId: string): Promise<ClinicConnection[]> {
  const rows = await deps.prisma.installation.findMany({ where: { organizationId }, orderBy: { updatedAt: 'desc' }, select: { platform: true, externalId: true, data: true, encryptedTokens: true } });
  const available = installablePlatforms(deps.config);
  return (['slack', 'teams', 'zoom'] as const).map((platform) => {
    const mine = rows.filter((r) => r.platform === platform);
    const row = mine.find((r) => r.platform === 'teams' || r.encryptedTokens) ?? mine[0];
    const name = (row?.data as { name?: unknown } | null)?.name;
    return {
      platform,
      label: LABELS[platform],
      available: available[platform],
      connected: row ? { name: typeof name === 'string' && name ? name : `${LABELS[platform]} ${platform === 'teams' ? 'tenant' : platform === 'zoom' ? 'account' : 'workspace'}`, live: platform === 'teams' || Boolean(row.encryptedTokens) } : null,
    };
  });
}
