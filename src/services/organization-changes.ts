import { resolveOrganizationSettings, type OrganizationSettings } from '../core/organization-settings.js';
import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';
import { ServiceError } from './service-error.js';
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
    await refuseTakenSmsSenders(tx, organizationId, settings);
    const updated = await tx.organization.update({ where: { id: organizationId }, data: { name: input.name, settings } });
    await writeAudit(tx, {
      organizationId,
      actor,
      action: 'organization.update',
      entityType: 'Organization',
      entityId: organizationId,
      data: { participantChat: settings.participantChat, fields: input.givenFields, smsNumbers: settings.smsNumbers, smsMessagingServiceSid: settings.smsMessagingServiceSid ?? null },
    });
    return updated;
  });
  return { id: org.id, name: org.name, settings: resolveOrganizationSettings(org.settings) };
}

/**
 * A Twilio number or Messaging Service is one clinic's: the inbound text to it is routed by it
 * (platforms/sms/text-clinic.ts). Serialized by a lock so two clinics cannot claim one at once.
 * The error does not say which clinic has it.
 */
async function refuseTakenSmsSenders(tx: Prisma.TransactionClient, organizationId: string, settings: OrganizationSettings): Promise<void> {
  if (settings.smsNumbers.length === 0 && !settings.smsMessagingServiceSid) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('rollcall.sms-senders'))`;
  for (const number of settings.smsNumbers) {
    const taken = await tx.organization.findFirst({ where: { id: { not: organizationId }, settings: { path: ['smsNumbers'], array_contains: [number] } }, select: { id: true } });
    if (taken) throw new ServiceError('conflict', `settings.smsNumbers: ${number} is already another clinic's number`);
  }
  const service = settings.smsMessagingServiceSid;
  if (service && (await tx.organization.findFirst({ where: { id: { not: organizationId }, settings: { path: ['smsMessagingServiceSid'], equals: service } }, select: { id: true } }))) {
    throw new ServiceError('conflict', "settings.smsMessagingServiceSid: this Messaging Service is already another clinic's");
  }
}
