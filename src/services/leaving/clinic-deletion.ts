import type { Db } from '../../db/database.js';
import { ServiceError } from '../service-error.js';
import { listClinicTables, quoteIdentifier } from './clinic-tables.js';

/**
 * The deployment's first organization: the one holding the ADMIN_TOKEN (organization-bootstrap.ts).
 * It is never deleted by the dashboard or the retention job: deliveries with no installation land in
 * it, and a restart would otherwise hand the ADMIN_TOKEN to the next-oldest clinic.
 */
export async function isFirstOrganization(prisma: Db, organizationId: string): Promise<boolean> {
  return (await prisma.apiToken.count({ where: { organizationId, label: 'ADMIN_TOKEN', createdById: null } })) > 0;
}

/**
 * Removes every row of one organization in one transaction: each table with an organizationId
 * (several have no foreign key to Organization, e.g. AuditLog, PresenceEvent, Alert without a
 * session), then the organization, whose cascades take what is left (ProgramAssignment).
 */
export async function deleteClinic(prisma: Db, organizationId: string): Promise<{ rows: number }> {
  if (await isFirstOrganization(prisma, organizationId)) {
    throw new ServiceError('conflict', "The deployment's first organization (the ADMIN_TOKEN's) cannot be deleted here; see docs/privacy.md.");
  }
  const tables = await listClinicTables(prisma);
  return prisma.$transaction(
    async (tx) => {
      // Serialized with installs (place-install.ts takes per-install locks; this one is per clinic).
      await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${organizationId}::uuid FOR UPDATE`;
      let rows = 0;
      for (const table of tables) {
        if (table.name === 'ProgramAssignment') continue;
        rows += await tx.$executeRawUnsafe(`DELETE FROM ${quoteIdentifier(table.name)} WHERE "organizationId" = $1::uuid`, organizationId);
      }
      rows += await tx.$executeRaw`DELETE FROM "Organization" WHERE id = ${organizationId}::uuid`;
      return { rows };
    },
    { timeout: 120_000 },
  );
}
