import { DateTime } from 'luxon';
import type { Reply } from '../core/conversation.js';
import { choiceButton, decodeChoice, type ParticipantMessage } from '../core/participant-message.js';
import type { Platform } from '../core/presence-event.js';
import { confirmReportedAbsence, type ConversationDeps } from './conversations.js';
import { writeAudit } from './audit.js';
import { findParticipantByChatUser } from './participant-lookup.js';

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
  switch (choice.t) {
    case 'absence': {
      const result = await confirmReportedAbsence(deps, { ...input, sessionId: choice.s, category: choice.c });
      if (!result.ok) return text("Sorry, I couldn't record that. Please contact your clinic directly.");
      return text(
        [
          "Thank you for letting us know. I've told your care team.",
          ...(result.makeUps.length
            ? ['If you would like to make it up, these sessions are coming up:', ...result.makeUps.map((s) => `• ${s.programName}, ${DateTime.fromJSDate(s.startsAt, { zone: s.timezone }).toFormat('ccc d LLL, HH:mm')}`)]
            : []),
        ].join('\n'),
      );
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
  }
}
