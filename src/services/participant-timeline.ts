import type { Db } from '../db/database.js';
import { actorNames } from './actor-names.js';

/** Everything the dashboard shows about one participant of the organization; null for anyone else's. */
export async function readParticipantTimeline(deps: { prisma: Db }, organizationId: string, participantId: string) {
  const { prisma } = deps;
  const participant = await prisma.participant.findFirst({
    where: { id: participantId, organizationId },
    include: { identities: { orderBy: { createdAt: 'asc' } }, enrollments: { include: { program: true }, orderBy: { enrolledAt: 'asc' } } },
  });
  if (!participant) return null;
  const [attendances, absences, followUps, alerts] = await Promise.all([
    prisma.attendance.findMany({
      where: { organizationId, participantId },
      include: { session: { include: { program: { select: { id: true, name: true, timezone: true } } } } },
      orderBy: { session: { startsAt: 'desc' } },
      take: 200,
    }),
    prisma.absence.findMany({ where: { organizationId, participantId }, orderBy: { createdAt: 'desc' }, take: 200 }),
    prisma.followUp.findMany({ where: { organizationId, participantId }, include: { program: { select: { name: true } } }, orderBy: { createdAt: 'desc' }, take: 200 }),
    prisma.alert.findMany({ where: { organizationId, participantId }, select: { id: true }, take: 1000 }),
  ]);
  // What staff did about this person: on the participant, or on their follow-ups, alerts and absences.
  const entityIds = [participantId, ...followUps.map((f) => f.id), ...alerts.map((a) => a.id), ...absences.map((a) => a.id)];
  const entries = await prisma.auditLog.findMany({ where: { organizationId, entityId: { in: entityIds } }, orderBy: { createdAt: 'desc' }, take: 200 });
  const names = await actorNames(prisma, organizationId, entries.map((e) => e.actor));
  const audit = entries.map((e) => ({ ...e, actorName: names.get(e.actor) ?? e.actor }));
  return { participant, attendances, absences, followUps, audit };
}

export type ParticipantTimeline = NonNullable<Awaited<ReturnType<typeof readParticipantTimeline>>>;
