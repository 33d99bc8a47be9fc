import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { isPrismaError } from '../db/prisma-errors.js';

/**
 * An alert about a person rather than a session (Crisis, Absence reported), raised in the channel
 * of every program they are enrolled in. The dedupe key (per program) keeps a retried platform
 * delivery from raising it twice. Detail holds ids and categories only, never the person's words.
 */
export async function raiseParticipantAlert(
  deps: { prisma: Db; enqueueDeliveries(alertIds: string[]): Promise<void> },
  input: { organizationId: string; participantId: string; kind: 'crisis' | 'absence_reported'; dedupeKey: string; detail?: Prisma.InputJsonValue; programIds?: string[] },
): Promise<string[]> {
  const { prisma } = deps;
  const enrollments = await prisma.enrollment.findMany({
    where: { organizationId: input.organizationId, participantId: input.participantId, status: 'active', ...(input.programIds ? { programId: { in: input.programIds } } : {}) },
    include: { program: true },
  });
  const created: string[] = [];
  for (const { program } of enrollments) {
    try {
      const alert = await prisma.alert.create({
        data: {
          organizationId: input.organizationId,
          programId: program.id,
          participantId: input.participantId,
          subjectKey: input.participantId,
          topic: input.kind,
          kind: input.kind,
          detail: input.detail ?? {},
          platform: program.alertPlatform,
          channelId: program.alertChannelId,
          dedupeKey: `${input.dedupeKey}:${program.id}`,
        },
      });
      created.push(alert.id);
    } catch (error) {
      if (!isPrismaError(error, 'P2002')) throw error;
    }
  }
  await deps.enqueueDeliveries(created);
  return created;
}
