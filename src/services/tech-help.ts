import { techHelpMessage, techHelpText } from '../core/care-messages.js';
import type { Platform } from '../core/presence-event.js';
import { findParticipantByChatUser } from './participant-lookup.js';
import { resolvePolicy } from '../core/policy.js';
import type { CareDeps } from './care-deps.js';
import { raiseParticipantAlert } from './participant-alerts.js';
import { sendToParticipant } from './participant-outbox.js';

/**
 * Technical trouble happened (a technical absence reported, a "technical trouble" reply, or
 * repeated connection losses in one session): when it is not the first time inside the program's
 * strike window, staff get a `Technical trouble` alert. Occurrences are the technical absences and
 * the troubleshooting messages on record, so nothing new is stored to count them.
 */
export async function tellStaffIfTechTroubleRepeats(
  deps: Pick<CareDeps, 'prisma' | 'clock' | 'enqueueDeliveries'>,
  input: { organizationId: string; programId: string; participantId: string; occasion: string }): Promise<boolean> {
  const { prisma } = deps;
  const program = await prisma.program.findFirst({ where: { id: input.programId, organizationId: input.organizationId } });
  if (!program) return false;
  const windowDays = resolvePolicy(program.policy).strikeWindowDays;
  const since = new Date(deps.clock.now().getTime() - windowDays * 86_400_000);
  const [absences, helped] = await Promise.all([
    prisma.absence.count({ where: { organizationId: input.organizationId, participantId: input.participantId, programId: input.programId, category: 'technical', createdAt: { gte: since } } }),
    prisma.participantOutboxMessage.count({ where: { organizationId: input.organizationId, participantId: input.participantId, purpose: 'tech_help', createdAt: { gte: since } } }),
  ]);
  const occurrences = absences + helped;
  if (occurrences < 2) return false;
  await raiseParticipantAlert(deps, {
    organizationId: input.organizationId,
    participantId: input.participantId,
    kind: 'tech_trouble',
    dedupeKey: `tech-trouble:${input.occasion}:${input.participantId}`,
    programIds: [input.programId],
    detail: { occurrences, windowDays },
  });
  return true;
}

/** Troubleshooting steps after `connectionLossesForHelp` connection losses in one session; once per session. */
export async function sendConnectionHelp(deps: CareDeps, input: { organizationId: string; programId: string; sessionId: string; participantId: string; joinUrl: string | null; techContact?: string }): Promise<void> {
  const result = await sendToParticipant(deps, {
    organizationId: input.organizationId,
    participantId: input.participantId,
    dedupeKey: `tech-help:${input.sessionId}:${input.participantId}`,
    purpose: 'tech_help',
    message: techHelpMessage({ joinUrl: input.joinUrl, ...(input.techContact ? { techContact: input.techContact } : {}) }),
  });
  if (result.state === 'duplicate') return;
  await tellStaffIfTechTroubleRepeats(deps, { organizationId: input.organizationId, programId: input.programId, participantId: input.participantId, occasion: input.sessionId });
}

/** A technical absence reported in chat: the troubleshooting steps for the answer, and staff told when it repeats. */
export async function answerTechnicalAbsence(
  deps: Pick<CareDeps, 'prisma' | 'clock' | 'enqueueDeliveries'>,
  input: { organizationId: string; platform: Platform; platformUserId: string; sessionId: string },
): Promise<string | null> {
  const session = await deps.prisma.session.findFirst({ where: { id: input.sessionId, organizationId: input.organizationId }, include: { program: true, schedule: true } });
  const participant = await findParticipantByChatUser(deps.prisma, input.organizationId, input.platform, input.platformUserId);
  if (!session || !participant) return null;
  await tellStaffIfTechTroubleRepeats(deps, { organizationId: input.organizationId, programId: session.programId, participantId: participant.id, occasion: session.id });
  const policy = resolvePolicy(session.program.policy);
  return techHelpText({ joinUrl: session.joinUrl ?? session.schedule?.joinUrl ?? null, lead: 'In case it helps before next time:', ...(policy.techContact ? { techContact: policy.techContact } : {}) });
}
