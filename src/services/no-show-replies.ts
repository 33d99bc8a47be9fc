import { recordAbsence } from './absences.js';
import { makeUpChoices, makeUpOfferMessage, techHelpText, type NoShowReply } from '../core/care-messages.js';
import type { ParticipantMessage } from '../core/participant-message.js';
import { resolvePolicy, type AbsenceCategory } from '../core/policy.js';
import type { Platform } from '../core/presence-event.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { writeAudit } from './audit.js';
import type { CareDeps } from './care-deps.js';
import { openFollowUp } from './follow-ups.js';
import { findMakeUps } from './makeups.js';
import { raiseParticipantAlert } from './participant-alerts.js';
import { findParticipantByChatUser } from './participant-lookup.js';
import { tellStaffIfTechTroubleRepeats } from './tech-help.js';

const REPLY_CATEGORY: Record<Exclude<NoShowReply, 'talk'>, AbsenceCategory> = { technical: 'technical', came_up: 'other', reschedule: 'other' };

const text = (value: string, choices: ParticipantMessage['choices'] = []): ParticipantMessage => ({ text: value, choices });

/**
 * A reply to "We missed you today". The record is updated (an Absence reported by the
 * participant after the fact: not excused unless staff excuse it), "talk to someone" opens a
 * FollowUp and alerts staff, "reschedule" offers make-ups, "technical trouble" gets help.
 */
export async function handleNoShowReply(
  deps: { prisma: Db; clock: Clock; enqueueDeliveries(alertIds: string[]): Promise<void> },
  input: { organizationId: string; platform: Platform; platformUserId: string; sessionId: string; reply: NoShowReply },
): Promise<ParticipantMessage> {
  const { prisma } = deps;
  const participant = await findParticipantByChatUser(prisma, input.organizationId, input.platform, input.platformUserId);
  const session = await prisma.session.findFirst({ where: { id: input.sessionId, organizationId: input.organizationId }, include: { program: true, schedule: true } });
  const attendance = participant && session && (await prisma.attendance.findUnique({ where: { sessionId_participantId: { sessionId: session.id, participantId: participant.id } } }));
  if (!participant || !session || !attendance) return text("Sorry, I couldn't record that. Please contact your clinic directly.");
  const actor = `${input.platform}:${input.platformUserId}`;
  if (input.reply === 'talk') {
    const alertIds = await raiseParticipantAlert(deps, {
      organizationId: input.organizationId,
      participantId: participant.id,
      kind: 'contact_requested',
      dedupeKey: `contact:${session.id}:${participant.id}`,
      programIds: [session.programId],
      detail: { sessionId: session.id },
    });
    for (const alertId of alertIds) {
      await prisma.$transaction(async (tx) => {
        const followUp = await openFollowUp(tx, { organizationId: input.organizationId, programId: session.programId, participantId: participant.id, alertId, kind: 'contact_request' });
        await writeAudit(tx, { organizationId: input.organizationId, actor, action: 'followup.requested_by_participant', entityType: 'FollowUp', entityId: followUp.id, data: { sessionId: session.id } });
      });
    }
    return text('Thank you for telling me. Someone from your care team will reach out to you soon.\nIf you are in danger or need help right now, call or text 988, or call 911.');
  }
  const category = REPLY_CATEGORY[input.reply];
  const existing = await prisma.absence.findFirst({ where: { organizationId: input.organizationId, participantId: participant.id, sessionId: session.id } });
  if (!existing) {
    await recordAbsence(deps, {
      organizationId: input.organizationId,
      programId: session.programId,
      sessionId: session.id,
      participantId: participant.id,
      category,
      excused: false,
      reportedBy: 'participant',
      reportedVia: input.platform,
      audit: { actor, action: 'absence.report_after', data: { reply: input.reply } },
      reuseWhere: {},
    });
  }
  const found = await findMakeUps(deps, { organizationId: input.organizationId, participantId: participant.id, missedSessionId: session.id });
  const options = found?.options ?? [];
  const zone = found?.zone ?? session.program.timezone;
  if (input.reply === 'technical') {
    await tellStaffIfTechTroubleRepeats(deps, { organizationId: input.organizationId, programId: session.programId, participantId: participant.id, occasion: session.id });
    const policy = resolvePolicy(session.program.policy);
    const help = techHelpText({ joinUrl: session.joinUrl ?? session.schedule?.joinUrl ?? null, ...(policy.techContact ? { techContact: policy.techContact } : {}) });
    return text(options.length ? `${help}\nIf you'd like to make up today's session, pick one of these:` : help, makeUpChoices(session.id, options, zone));
  }
  if (input.reply === 'came_up') {
    return text(
      `Thanks for letting us know. I hope everything is okay.${options.length ? " If you'd like to make up today's session, pick one of these:" : ''}`,
      makeUpChoices(session.id, options, zone),
    );
  }
  return makeUpOfferMessage({ missedSessionId: session.id, options, zone });
}
