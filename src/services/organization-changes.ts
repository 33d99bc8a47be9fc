import { resolveOrganizationSettings, type OrganizationSettings } from '../core/organization-settings.js';
import type { Db } from '../db/database.js';
import { writeAudit } from './audit.js';
import type { OrganizationView } from './queries/organization-queries.js';

/**
 * Renames the organization and replaces its settings (already merged and validated by the caller),
 * audited with which settings were given and the participant chat switches that resulted.
 */
export async function updateOrganization(
  deps: { prisma: Db },
  input: { organizationId: string; actor: string; name?: string; settings: OrganizationSettings; givenFields: string[] },
): Promise<OrganizationView> {
  const { organizationId, actor, settings } = input;
  const org = await deps.prisma.$transaction(async (tx) => {
    const updated = await tx.organization.update({ where: { id: organizationId }, data: { name: input.name, settings } });
    await writeAudit(tx, {
      organizationId,
      actor,
      action: 'organization.update',
      entityType: 'Organization',
      entityId: organizationId,
      data: { participantChat: settings.participantChat, fields: input.givenFields },
    });
    return updated;
  });
  return { id: org.id, name: org.name, settings: resolveOrganizationSettings(org.settings) };
}
