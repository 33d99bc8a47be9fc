import type { Db } from '../db/database.js';
import type { Platform, StaffAccount } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';

/** Who a sign-in provider says someone is: their user id within a workspace/tenant/account. */
export interface PlatformPerson {
  method: 'slack' | 'microsoft' | 'zoom';
  /** The installation platform whose row names the clinic (Microsoft sign-in: the Teams tenant). */
  platform: Platform;
  /** Installation.externalId values to try, most specific first (Slack: team, then enterprise). */
  workspaceIds: string[];
  userId: string;
  name: string;
  email?: string;
}

export type StaffSignInOutcome =
  | { kind: 'active'; account: StaffAccount; clinicName: string }
  | { kind: 'pending'; account: StaffAccount; clinicName: string }
  | { kind: 'removed'; clinicName: string }
  | { kind: 'not_installed' };

const USER_ID_FIELD = { slack: 'slackUserId', microsoft: 'microsoftUserId', zoom: 'zoomUserId' } as const;

/**
 * Finds the clinic by the installation of the person's workspace, then their staff account: the
 * person who installed becomes the owner of a clinic that has none; everyone else waits, pending,
 * until an owner or admin approves them. Serialized per clinic, so two first sign-ins make one owner.
 */
export async function resolveStaffSignIn(prisma: Db, person: PlatformPerson, now: Date): Promise<StaffSignInOutcome> {
  const found = await prisma.installation.findMany({ where: { platform: person.platform, externalId: { in: person.workspaceIds } }, include: { organization: true } });
  // The most specific wins: a workspace's own install before its Enterprise Grid org's.
  const installation = person.workspaceIds.map((id) => found.find((i) => i.externalId === id)).find(Boolean);
  if (!installation) return { kind: 'not_installed' };
  const organizationId = installation.organizationId;
  const clinicName = installation.organization.name;
  const field = USER_ID_FIELD[person.method];
  const installedBy = (installation.data as { installedBy?: unknown } | null)?.installedBy;
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rollcall.staff:${organizationId}`}))`;
    const known = await tx.staffAccount.findFirst({ where: { organizationId, [field]: person.userId } });
    if (known) {
      if (known.status === 'removed') return { kind: 'removed', clinicName } as const;
      const account = await tx.staffAccount.update({ where: { id: known.id }, data: { name: person.name, email: person.email ?? known.email, lastSignInAt: now } });
      return { kind: account.status === 'active' ? 'active' : 'pending', account, clinicName } as const;
    }
    const hasOwner = (await tx.staffAccount.count({ where: { organizationId, role: 'owner', status: 'active' } })) > 0;
    const owner = !hasOwner && installedBy === person.userId;
    const account = await tx.staffAccount.create({
      data: {
        organizationId,
        name: person.name,
        email: person.email ?? null,
        [field]: person.userId,
        role: owner ? 'owner' : 'viewer',
        status: owner ? 'active' : 'pending',
        lastSignInAt: now,
        ...(owner ? { approvedAt: now } : {}),
      },
    });
    await writeAudit(tx, {
      organizationId,
      actor: `staff:${account.id}`,
      action: owner ? 'staff.owner_signed_up' : 'staff.requested_access',
      entityType: 'StaffAccount',
      entityId: account.id,
      data: { method: person.method },
    });
    return { kind: owner ? 'active' : 'pending', account, clinicName } as const;
  });
}
