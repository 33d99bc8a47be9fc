import type { Db } from '../db/database.js';
import { writeAudit } from './audit.js';
import { ServiceError } from './service-error.js';

/** A staff note on a participant. The audit entry holds the note's id only: its words are clinical. */
export async function addParticipantNote(deps: { prisma: Db }, input: { organizationId: string; actor: string; participantId: string; text: string; at: Date }) {
  const { organizationId, actor, participantId } = input;
  return deps.prisma.$transaction(async (tx) => {
    const participant = await tx.participant.findFirst({ where: { id: participantId, organizationId }, select: { id: true } });
    if (!participant) throw new ServiceError('not_found', 'participant not found');
    const note = await tx.participantNote.create({ data: { organizationId, participantId, author: actor, text: input.text, createdAt: input.at } });
    await writeAudit(tx, { organizationId, actor, action: 'participant.note_add', entityType: 'Participant', entityId: participantId, data: { noteId: note.id } });
    return note;
  });
}

export function listParticipantNotes(prisma: Db, organizationId: string, participantId: string) {
  return prisma.participantNote.findMany({ where: { organizationId, participantId }, orderBy: { createdAt: 'desc' }, take: 200 });
}
