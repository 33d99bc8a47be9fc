import type { Db } from '../../db/database.js';
import type { Platform, Prisma } from '../../generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

export interface InstallClaim {
  platform: Platform;
  /** Slack team or enterprise id, Teams tenant id, Zoom account key (`hmac1:…`). */
  externalId: string;
  /** The name the platform gives the workspace, tenant or account: the new clinic's name. */
  displayName: string;
  /** The clinic a verified Connect state (connect-state.ts) invites this install into. */
  connectTo?: string | null;
}

export type InstallPlacement =
  | { organizationId: string; outcome: 'created' | 'connected' | 'reinstalled' }
  | { refused: 'connected_elsewhere' | 'platform_taken' | 'unknown_clinic' };

const FALLBACK_NAME: Record<Platform, string> = { slack: 'Slack workspace', teams: 'Teams tenant', zoom: 'Zoom account', sms: 'SMS' };

/**
 * Which clinic an install belongs to. A workspace already installed stays with its clinic
 * (reinstalling never moves records). A new one joins the clinic whose signed Connect state it
 * carries, if that clinic has no other install of the platform; otherwise it founds a clinic named
 * after it. `store` writes the installation row in the same transaction, under a lock per install,
 * so two callbacks for one new workspace found one clinic, not two.
 */
export async function placeInstall(prisma: Db, claim: InstallClaim, store: (tx: Tx, organizationId: string) => Promise<void>): Promise<InstallPlacement> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rollcall.install:${claim.platform}:${claim.externalId}`}))`;
    const existing = await tx.installation.findUnique({
      where: { platform_externalId: { platform: claim.platform, externalId: claim.externalId } },
      select: { organizationId: true },
    });
    if (existing) {
      if (claim.connectTo && claim.connectTo !== existing.organizationId) return { refused: 'connected_elsewhere' as const };
      await store(tx, existing.organizationId);
      return { organizationId: existing.organizationId, outcome: 'reinstalled' as const };
    }
    if (claim.connectTo) {
      const clinic = await tx.organization.findUnique({ where: { id: claim.connectTo }, select: { id: true } });
      if (!clinic) return { refused: 'unknown_clinic' as const };
      const other = await tx.installation.findFirst({
        where: { organizationId: clinic.id, platform: claim.platform, encryptedTokens: { not: null } },
        select: { id: true },
      });
      if (other) return { refused: 'platform_taken' as const };
      await store(tx, clinic.id);
      return { organizationId: clinic.id, outcome: 'connected' as const };
    }
    const name = claim.displayName.trim().slice(0, 120) || FALLBACK_NAME[claim.platform];
    const created = await tx.organization.create({ data: { name } });
    await store(tx, created.id);
    return { organizationId: created.id, outcome: 'created' as const };
  });
}

/** Words for a refused install, shown on the page the platform sends the installer back to. */
export const INSTALL_REFUSAL_TEXT: Record<'connected_elsewhere' | 'platform_taken' | 'unknown_clinic', string> = {
  connected_elsewhere: 'This workspace is already connected to another clinic in Rollcall. Its owner can disconnect it in that clinic’s Settings.',
  platform_taken: 'Your clinic is already connected to another workspace on this platform. Disconnect it in Settings first.',
  unknown_clinic: 'The clinic this link was made for no longer exists.',
};
