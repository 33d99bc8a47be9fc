import type { Db } from '../db/database.js';
import type { AlertDetail } from '../core/alert-detail.js';
import { createAlertOnce } from './alerts/alert-outbox.js';

/**
 * An alert about a person rather than a session (Crisis, Absence reported), raised in the channel
 * of every program they are enrolled in. The dedupe key (per program) keeps a retried platform
 * delivery from raising it twice. Detail holds ids and categories only, never the person's words.
 */
export async function raiseParticipantAlert(
  deps: { prisma: Db; enqueueDeliveries(alertIds: string[]): Promise<void> },
  input: {
    organizationId: string;
    /** Null for someone not linked to a participant: then every program of the organization is told. */
    participantId: string | null;
    kind: 'crisis' | 'absence_reported' | 'hours_at_risk' | 'contact_requested' | 'tech_trouble';
    dedupeKey: string;
    detail?: AlertDetail;
    programIds?: string[];
  },
): Promise<string[]> {
  const { prisma } = deps;
  const inPrograms = input.programIds ? { id: { in: input.programIds } } : {};
  const programs = input.participantId
    ? (
        await prisma.enrollment.findMany({
          where: { organizationId: input.organizationId, participantId: input.participantId, status: 'active', ...(input.programIds ? { programId: { in: input.programIds } } : {}) },
          include: { program: true },
        })
      ).map((e) => e.program)
    : await prisma.program.findMany({ where: { organizationId: input.organizationId, ...inPrograms } });
  const created: string[] = [];
  for (const program of programs) {
    const id = await createAlertOnce(prisma, {
      organizationId: input.organizationId,
      programId: program.id,
      participantId: input.participantId,
      subjectKey: input.participantId ?? `unlinked:${input.dedupeKey}`,
      topic: input.kind,
      kind: input.kind,
      detail: input.detail ?? {},
      platform: program.alertPlatform,
      channelId: program.alertChannelId,
      dedupeKey: `${input.dedupeKey}:${program.id}`,
    });
    if (id) created.push(id);
  }
  await deps.enqueueDeliveries(created);
  return created;
}
