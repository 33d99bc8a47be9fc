import { resolveOrganizationSettings } from '../../core/organization-settings.js';
import type { Db } from '../../db/database.js';

export interface SetupChecklist {
  clinicNamed: boolean;
  crisisContacts: boolean;
  chatConnected: boolean;
  program: boolean;
  schedule: boolean;
  participants: boolean;
  /** The first program, for the steps that happen inside one. */
  firstProgramId: string | null;
}

/** Names a new clinic gets before anyone chose one (organization-bootstrap.ts and installs). */
const PLACEHOLDER_NAMES = new Set(['my clinic', '']);

/** What a new clinic has done of its set-up, read from its own rows. */
export async function readSetupChecklist(deps: { prisma: Db }, organizationId: string): Promise<SetupChecklist> {
  const [organization, installs, firstProgram, schedules, enrollments] = await Promise.all([
    deps.prisma.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { name: true, settings: true } }),
    deps.prisma.installation.count({ where: { organizationId } }),
    deps.prisma.program.findFirst({ where: { organizationId }, orderBy: { createdAt: 'asc' }, select: { id: true } }),
    deps.prisma.schedule.count({ where: { organizationId } }),
    deps.prisma.enrollment.count({ where: { organizationId } }),
  ]);
  return {
    clinicNamed: !PLACEHOLDER_NAMES.has(organization.name.trim().toLowerCase()),
    crisisContacts: resolveOrganizationSettings(organization.settings).crisisContacts.length > 0,
    chatConnected: installs > 0,
    program: firstProgram !== null,
    schedule: schedules > 0,
    participants: enrollments > 0,
    firstProgramId: firstProgram?.id ?? null,
  };
}

export function setupComplete(c: SetupChecklist): boolean {
  return c.clinicNamed && c.crisisContacts && c.chatConnected && c.program && c.schedule && c.participants;
}
