import type { Db } from '../db/database.js';
import { writeAudit } from './audit.js';
import { setParticipantPhone } from './participant-phone.js';
import { ServiceError } from './service-error.js';

type Actor = { organizationId: string; actor: string };

export interface ParticipantFields {
  name: string;
  /** Empty clears it. */
  email: string | null;
  timezone: string | null;
  /** E.164, validated by the caller; empty clears it. Left as it is when absent. */
  phone?: string | null;
}

/**
 * Corrects a participant's name, email or time zone, audited with the fields changed (never their
 * values); a new phone number goes through setParticipantPhone (its consent rule, its own entry).
 */
export async function updateParticipant(deps: { prisma: Db }, input: Actor & { participantId: string; changes: ParticipantFields; at?: Date }) {
  const { organizationId, actor, participantId } = input;
  const { phone, ...changes } = input.changes;
  return deps.prisma.$transaction(async (tx) => {
    const existing = await tx.participant.findFirst({ where: { id: participantId, organizationId } });
    if (!existing) throw new ServiceError('not_found', 'participant not found');
    if (phone !== undefined) await setParticipantPhone(tx, { organizationId, actor, participant: existing, phone, at: input.at ?? new Date() });
    const fields = (['name', 'email', 'timezone'] as const).filter((f) => existing[f] !== changes[f]);
    if (fields.length === 0) return existing;
    const updated = await tx.participant.update({ where: { id: participantId }, data: changes });
    await writeAudit(tx, { organizationId, actor, action: 'participant.update', entityType: 'Participant', entityId: participantId, data: { fields } });
    return updated;
  });
}

/**
 * Ends a participant's enrollment in one program: sessions after `at` are no longer theirs (reports,
 * snapshots and strikes read dischargedAt), and what came before stays on the record.
 */
export async function dischargeParticipant(deps: { prisma: Db }, input: Actor & { participantId: string; programId: string; at: Date }) {
  const { organizationId, actor, participantId, programId, at } = input;
  return deps.prisma.$transaction(async (tx) => {
    const enrollment = await tx.enrollment.findFirst({ where: { organizationId, participantId, programId } });
    if (!enrollment) throw new ServiceError('not_found', 'enrollment not found');
    if (enrollment.status === 'discharged') throw new ServiceError('conflict', 'already discharged from this program');
    await tx.enrollment.update({ where: { id: enrollment.id }, data: { status: 'discharged', dischargedAt: at } });
    await writeAudit(tx, { organizationId, actor, action: 'participant.discharge', entityType: 'Participant', entityId: participantId, data: { programId } });
  });
}

/** Enrols someone the clinic already has in another of its programs (a transfer is this plus a discharge). */
export async function enrollInAnotherProgram(deps: { prisma: Db }, input: Actor & { participantId: string; programId: string; at: Date }) {
  const { organizationId, actor, participantId, programId, at } = input;
  return deps.prisma.$transaction(async (tx) => {
    const [participant, program, existing] = await Promise.all([
      tx.participant.findFirst({ where: { id: participantId, organizationId }, select: { id: true } }),
      tx.program.findFirst({ where: { id: programId, organizationId }, select: { id: true } }),
      tx.enrollment.findFirst({ where: { organizationId, participantId, programId } }),
    ]);
    if (!participant) throw new ServiceError('not_found', 'participant not found');
    if (!program) throw new ServiceError('not_found', 'program not found');
    if (existing) throw new ServiceError('conflict', 'already enrolled in this program');
    await tx.enrollment.create({ data: { organizationId, programId, participantId, enrolledAt: at } });
    await writeAudit(tx, { organizationId, actor, action: 'participant.enroll', entityType: 'Participant', entityId: participantId, data: { programId, existing: true } });
  });
}
