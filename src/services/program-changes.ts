import type { Policy } from '../core/policy.js';
import type { Platform } from '../core/presence-event.js';
import type { Db } from '../db/database.js';
import type { Program } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';
import { findProgramIds } from './queries/program-queries.js';
import { ServiceError } from './service-error.js';

export interface ProgramFields {
  name?: string;
  timezone?: string;
  policy?: Policy;
  alertChannel?: { platform: Platform; channelId: string };
  staffUserIds?: string[];
}

type Actor = { organizationId: string; actor: string };

/** A new program of the organization, audited. Its make-up partners must be the clinic's own programs. */
export async function createProgram(
  deps: { prisma: Db },
  input: Actor & { name: string; timezone: string; policy: Policy; alertChannel: { platform: Platform; channelId: string }; staffUserIds?: string[] },
): Promise<Program> {
  const { organizationId, actor } = input;
  await requireMakeUpPartners(deps, organizationId, input.policy.makeUpPartnerProgramIds);
  return deps.prisma.$transaction(async (tx) => {
    const created = await tx.program.create({
      data: {
        organizationId,
        name: input.name,
        timezone: input.timezone,
        policy: input.policy,
        alertPlatform: input.alertChannel.platform,
        alertChannelId: input.alertChannel.channelId,
        staffUserIds: input.staffUserIds ?? [],
      },
    });
    await writeAudit(tx, { organizationId, actor, action: 'program.create', entityType: 'Program', entityId: created.id });
    return created;
  });
}

/** Changes a program (admin API): a new policy's make-up partners are checked first. */
export async function updateProgram(deps: { prisma: Db }, input: Actor & { programId: string; changes: ProgramFields; fields: string[] }): Promise<Program> {
  if (input.changes.policy) await requireMakeUpPartners(deps, input.organizationId, input.changes.policy.makeUpPartnerProgramIds);
  return saveProgramChanges(deps, input);
}

/**
 * Writes the changes and an audit entry naming the `fields` changed (never their values). The
 * dashboard's settings form calls this directly: it edits the policy and channel of a program
 * already loaded for the organization.
 */
export async function saveProgramChanges(deps: { prisma: Db }, input: Actor & { programId: string; changes: ProgramFields; fields: string[] }): Promise<Program> {
  const { organizationId, actor, programId, changes } = input;
  return deps.prisma.$transaction(async (tx) => {
    const updated = await tx.program.update({
      where: { id: programId },
      data: {
        name: changes.name,
        timezone: changes.timezone,
        policy: changes.policy,
        alertPlatform: changes.alertChannel?.platform,
        alertChannelId: changes.alertChannel?.channelId,
        staffUserIds: changes.staffUserIds,
      },
    });
    await writeAudit(tx, { organizationId, actor, action: 'program.update', entityType: 'Program', entityId: programId, data: { fields: input.fields } });
    return updated;
  });
}

/** Make-up partners are programs of the same clinic: an id of another one is refused like a typo. */
async function requireMakeUpPartners(deps: { prisma: Db }, organizationId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const known = await findProgramIds(deps, organizationId, ids);
  const index = ids.findIndex((id) => !known.has(id.toLowerCase()));
  if (index < 0) return;
  const field = `policy.makeUpPartnerProgramIds.${index}`;
  throw new ServiceError('invalid_input', `${field}: not a program of this organization`, [{ field, message: 'not a program of this organization' }]);
}
