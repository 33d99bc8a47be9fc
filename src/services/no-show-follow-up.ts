import { recordAbsence } from './absences.js';
import { makeUpChoices, makeUpOfferMessage, noShowFollowUpMessage, techHelpText, type NoShowReply } from '../core/care-messages.js';
import { connectionLossesByParticipant } from '../core/connection-losses.js';
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
import { sendToParticipant } from './participant-outbox.js';
import type { CloseOutStep } from './session-close-out.js';
import { sendConnectionHelp, tellStaffIfTechTroubleRepeats } from './tech-help.js';
import { warnIfHoursAtRisk } from './weekly-progress.js';

/** The program's library offered to someone who missed a session: worksheets and links (never attendance). */
export async function libraryFor(prisma: Db, organizationId: string, programId: string): Promise<{ title: string; url: string }[]> {
  const rows = await prisma.material.findMany({ where: { organizationId, programId, kind: { in: ['worksheet', 'link'] } }, orderBy: { createdAt: 'asc' }, take: 5 });
  return rows.map((m) => ({ title: m.title, url: m.url }));
}

/**
 * After a session is finalized: the caring message to each unexcused no-show who has not told us
 * anything (`noShowFollowUp`), troubleshooting help to whoever lost their connection
 * `connectionLossesForHelp` times, and the week's early warning for everyone expected.
 */
export function careCloseOutStep(deps: CareDeps): CloseOutStep {
  return {
    name: 'care',
    async run(sessionId) {
      const { prisma } = deps;
      const peeked = await deps.evaluator.peek(sessionId);
      if (!peeked) return;
      const { bundle } = peeked;
      const { organizationId } = bundle.session;
      const policy = bundle.program.policy;
      const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { schedule: true } });
      const joinUrl = session.joinUrl ?? session.schedule?.joinUrl ?? null;
      if (policy.noShowFollowUp) {
        const [noShows, absences] = await Promise.all([
          prisma.attendance.findMany({ where: { organizationId, sessionId, final: true, status: 'no_show', overrideStatus: null }, select: { participantId: true } }),
          prisma.absence.findMany({ where: { organizationId, sessionId }, select: { participantId: true } }),
        ]);
        const told = new Set(absences.map((a) => a.participantId));
        // Make-up guests who did not come are not asked here: their booking is recorded as missed.
        const enrolledIds = new Set((await prisma.enrollment.findMany({ where: { organizationId, programId: bundle.program.id }, select: { participantId: true } })).map((e) => e.participantId));
        const materials = await libraryFor(prisma, organizationId, bundle.program.id);
        for (const { participantId } of noShows.filter((n) => !told.has(n.participantId) && enrolledIds.has(n.participantId))) {
          await sendToParticipant(deps, { organizationId, participantId, dedupeKey: `no-show:${sessionId}:${participantId}`, purpose: 'no_show_follow_up', message: noShowFollowUpMessage({ sessionId, materials }) });
        }
      }
      const losses = connectionLossesByParticipant(bundle.session.meetingPlatform, bundle.events, bundle.expected);
      for (const [participantId, count] of losses) {
        if (count < policy.connectionLossesForHelp) continue;
        await sendConnectionHelp(deps, { organizationId, programId: bundle.program.id, sessionId, participantId, joinUrl, ...(policy.techContact ? { techContact: policy.techContact } : {}) });
      }
      const enrolled = await prisma.enrollment.findMany({ where: { organizationId, programId: bundle.program.id, status: 'active' }, select: { participantId: true } });
      for (const { participantId } of enrolled) await warnIfHoursAtRisk(deps, { organizationId, programId: bundle.program.id, participantId });
    },
  };
}

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
