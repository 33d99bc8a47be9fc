import type { Db } from '../../db/database.js';
import type { Program } from '../../generated/prisma/client.js';
import { ServiceError } from '../service-error.js';

/** The organization's programs: by creation for the admin API, by name for pages a person reads. */
export async function listPrograms(deps: { prisma: Db }, organizationId: string, order: 'created' | 'name' = 'created'): Promise<Program[]> {
  return deps.prisma.program.findMany({ where: { organizationId }, orderBy: order === 'name' ? { name: 'asc' } : { createdAt: 'asc' } });
}

/** A program of the organization; another clinic's id is as unknown as one that does not exist. */
export async function findProgram(deps: { prisma: Db }, organizationId: string, programId: string): Promise<Program | null> {
  return deps.prisma.program.findFirst({ where: { id: programId, organizationId } });
}

/** A program of the organization, or a not-found refusal. */
export async function requireProgram(deps: { prisma: Db }, organizationId: string, programId: string): Promise<Program> {
  const program = await findProgram(deps, organizationId, programId);
  if (!program) throw new ServiceError('not_found', 'program not found');
  return program;
}

/** Which of these ids (any case) are programs of the organization, lower-cased. */
export async function findProgramIds(deps: { prisma: Db }, organizationId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await deps.prisma.program.findMany({ where: { organizationId, id: { in: ids.map((id) => id.toLowerCase()) } }, select: { id: true } });
  return new Set(found.map((program) => program.id));
}

/** The program's enrollments, oldest first, each with its participant and their platform identities. */
export async function listEnrollments(deps: { prisma: Db }, organizationId: string, programId: string) {
  return deps.prisma.enrollment.findMany({
    where: { organizationId, programId },
    include: { participant: { include: { identities: true } } },
    orderBy: { enrolledAt: 'asc' },
  });
}

/** The program's participants by name, with their identities in a stable order (settings page). */
export async function listProgramParticipants(deps: { prisma: Db }, organizationId: string, programId: string) {
  return deps.prisma.participant.findMany({
    where: { organizationId, enrollments: { some: { programId } } },
    include: { identities: { orderBy: [{ platform: 'asc' }, { kind: 'asc' }] } },
    orderBy: { name: 'asc' },
  });
}
