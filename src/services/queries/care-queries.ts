import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { loadStrikeSummaries, type ParticipantStrikeSummary } from '../strikes.js';

export interface FollowUpFilter {
  state?: 'open' | 'done' | 'dismissed';
  programId?: string;
  participantId?: string;
}

/** The organization's follow-ups in any state, oldest first; at most 1000 (admin API). */
export async function listFollowUps(deps: { prisma: Db }, organizationId: string, filter: FollowUpFilter) {
  return deps.prisma.followUp.findMany({
    where: { organizationId, state: filter.state, programId: filter.programId, participantId: filter.participantId },
    orderBy: { createdAt: 'asc' },
    take: 1000,
  });
}

/** The program's library a person added (worksheets, links), oldest first; recordings are not in it. */
export async function listLibraryMaterials(deps: { prisma: Db }, organizationId: string, programId: string, limit?: number) {
  return deps.prisma.material.findMany({ where: { organizationId, programId, kind: { in: ['worksheet', 'link'] } }, orderBy: { createdAt: 'asc' }, take: limit });
}

export interface ParticipantMessageView {
  id: string;
  purpose: string;
  state: string;
  platform: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  text: string;
}

/**
 * What the bot wrote to one participant of the organization (the participant outbox), newest
 * first, at most 100; null when the participant is not the organization's.
 */
export async function listParticipantMessages(deps: { prisma: Db }, organizationId: string, participantId: string): Promise<ParticipantMessageView[] | null> {
  const participant = await deps.prisma.participant.findFirst({ where: { id: participantId, organizationId }, select: { id: true } });
  if (!participant) return null;
  const rows = await deps.prisma.participantOutboxMessage.findMany({ where: { organizationId, participantId }, orderBy: { createdAt: 'desc' }, take: 100 });
  return rows.map((m) => ({
    id: m.id,
    purpose: m.purpose,
    state: m.state,
    platform: m.platform,
    attempts: m.attempts,
    lastError: m.lastError,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
    text: (m.message as { text?: string }).text ?? '',
  }));
}

/** Strikes of the program's participants (or one) by its rules, as of now. */
export async function readStrikeSummaries(deps: { prisma: Db; clock: Clock }, organizationId: string, programId: string, participantId?: string): Promise<ParticipantStrikeSummary[]> {
  return loadStrikeSummaries(deps.prisma, organizationId, programId, participantId, deps.clock.now());
}
