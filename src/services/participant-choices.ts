import type { Reply } from '../core/conversation.js';
import { intakeAcknowledged, makeUpBooked, makeUpChoices } from '../core/care-messages.js';
import { choiceButton, decodeChoice, type ParticipantMessage } from '../core/participant-message.js';
import type { Platform } from '../core/presence-event.js';
import { confirmReportedAbsence, type ConversationDeps } from './conversations.js';
import { writeAudit } from './audit.js';
import { findParticipantByChatUser } from './participant-lookup.js';
import { recordParticipantContact } from './participant-contact.js';
import { acknowledgeIntake } from './intake.js';
import { bookMakeUp, findMakeUps } from './makeups.js';
import { handleNoShowReply } from './no-show-replies.js';
import { answerTechnicalAbsence } from './tech-help.js';

export type ConversationReply = Reply | { type: 'unknown_person'; text: string };

const text = (value: string): ParticipantMessage => ({ text: value, choices: [] });

/** The conversation service's reply as a message any platform can render. */
export function replyMessage(reply: ConversationReply): ParticipantMessage {
  if (reply.type !== 'confirm_absence') return text(reply.text);
  return {
    text: reply.text,
    choices: [
      ...reply.options.slice(0, 5).map((option) => choiceButton(`I'll miss ${option.label}`, { t: 'absence', s: option.sessionId, c: reply.category }, 'primary')),
      choiceButton("No, that's not right", { t: 'absence_cancel' }),
    ],
  };
}

export interface ChoiceInput {
  organizationId: string;
  platform: Platform;
  /** Who pressed the button, as the platform names them. */
  platformUserId: string;
  /** The button's value, untrusted. */
  value: unknown;
}

/**
 * A participant pressed a button of a ParticipantMessage. Every choice is checked against the
 * person who pressed it (a value names ids, never authority). Returns the message that replaces
 * the one pressed, or null when the value is not ours (the platform then ignores the press).
 */
export async function handleParticipantChoice(deps: ConversationDeps, input: ChoiceInput): Promise<ParticipantMessage | null> {
  const choice = decodeChoice(input.value);
  if (!choice) return null;
  // Any reply is contact: it breaks a run of misses (presumed drop-out, core/strikes.ts).
  const replier = await findParticipantByChatUser(deps.prisma, input.organizationId, input.platform, input.platformUserId);
  if (replier) await recordParticipantContact(deps.prisma, input.organizationId, replier.id, deps.clock.now());
  switch (choice.t) {
    case 'absence': {
      const result = await confirmReportedAbsence(deps, { ...input, sessionId: choice.s, category: choice.c });
      if (!result.ok) return text("Sorry, I couldn't record that. Please contact your clinic directly.");
      const lines = ["Thank you for letting us know. I've told your care team."];
      if (choice.c === 'technical') {
        const help = await answerTechnicalAbsence(deps, { ...input, sessionId: choice.s });
        if (help) lines.push(help);
      }
      if (result.makeUps.length) lines.push("If you'd like to make it up, pick one of these sessions:");
      const zone = result.makeUps[0]?.timezone ?? 'UTC';
      return { text: lines.join('\n'), choices: makeUpChoices(choice.s, result.makeUps.map((m) => ({ sessionId: m.sessionId, programName: m.programName, startsAt: m.startsAt })), zone) };
    }
    case 'absence_cancel':
      return text('No problem. Tell me the day you will miss, for example "I can\'t make it Thursday".');
    case 'checkin': {
      const participant = await findParticipantByChatUser(deps.prisma, input.organizationId, input.platform, input.platformUserId);
      const wantsContact = choice.r === 'help';
      await writeAudit(deps.prisma, {
        organizationId: input.organizationId,
        actor: `${input.platform}:${input.platformUserId}`,
        action: wantsContact ? 'checkin.asked_for_contact' : 'checkin.okay',
        entityType: 'Alert',
        entityId: choice.a,
        data: { participantId: participant?.id ?? null },
      });
      return text(wantsContact ? 'Thank you. Someone from your care team will reach out soon.' : 'Thank you for letting us know. See you in group!');
    }
    case 'ack': {
      const participant = await findParticipantByChatUser(deps.prisma, input.organizationId, input.platform, input.platformUserId);
      const recorded = participant && (await acknowledgeIntake(deps, { organizationId: input.organizationId, programId: choice.p, participantId: participant.id, platform: input.platform, platformUserId: input.platformUserId }));
      return recorded ? intakeAcknowledged() : text("Sorry, I couldn't record that. Please contact your clinic directly.");
    }
    case 'noshow':
      return handleNoShowReply(deps, { ...input, sessionId: choice.s, reply: choice.r });
    case 'makeup': {
      const participant = await findParticipantByChatUser(deps.prisma, input.organizationId, input.platform, input.platformUserId);
      if (!participant) return text("Sorry, I couldn't record that. Please contact your clinic directly.");
      const booked = await bookMakeUp(deps, {
        organizationId: input.organizationId,
        participantId: participant.id,
        missedSessionId: choice.m,
        makeUpSessionId: choice.s,
        actor: `${input.platform}:${input.platformUserId}`,
        via: input.platform,
      });
      if (booked.ok) return makeUpBooked(booked);
      if (booked.reason === 'not_enrolled') return text("Sorry, I couldn't book that. Please contact your clinic directly.");
      const again = await findMakeUps(deps, { organizationId: input.organizationId, participantId: participant.id, missedSessionId: choice.m });
      const options = again?.options ?? [];
      return options.length
        ? { text: 'Sorry, that session has no room any more. These still do:', choices: makeUpChoices(choice.m, options, again!.zone) }
        : text("Sorry, that session has no room any more, and there's no other one nearby. Please contact your clinic and they'll help you find one.");
    }
  }
}
