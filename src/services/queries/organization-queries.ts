import { resolveOrganizationSettings, type OrganizationSettings } from '../../core/organization-settings.js';
import type { Db } from '../../db/database.js';

export interface OrganizationView {
  id: string;
  name: string;
  settings: OrganizationSettings;
}

/** The organization with its settings resolved over the defaults. */
export async function readOrganization(deps: { prisma: Db }, organizationId: string): Promise<OrganizationView> {
  const org = await deps.prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
  return { id: org.id, name: org.name, settings: resolveOrganizationSettings(org.settings) };
}
