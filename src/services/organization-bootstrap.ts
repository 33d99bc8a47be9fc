import type { Db } from '../db/database.js';
import { hashToken } from '../crypto/token-hash.js';

const LABEL = 'ADMIN_TOKEN';

/**
 * The ADMIN_TOKEN belongs to the first organization (created on the first start). A changed token
 * replaces the old one rather than founding a second clinic.
 */
export async function ensureAdminOrganization(prisma: Db, adminToken: string): Promise<string> {
  const tokenHash = hashToken(adminToken);
  const known = await prisma.apiToken.findUnique({ where: { tokenHash } });
  if (known) return known.organizationId;
  return prisma.$transaction(async (tx) => {
    // Two instances starting together on a new database must not found two clinics.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('rollcall.bootstrap'))`;
    const again = await tx.apiToken.findUnique({ where: { tokenHash } });
    if (again) return again.organizationId;
    const organization =
      (await tx.organization.findFirst({ orderBy: { createdAt: 'asc' } })) ?? (await tx.organization.create({ data: { name: 'My clinic' } }));
    await tx.apiToken.deleteMany({ where: { organizationId: organization.id, label: LABEL } });
    await tx.apiToken.create({ data: { organizationId: organization.id, tokenHash, label: LABEL } });
    return organization.id;
  });
}
