import { detectCrisis } from '../../core/crisis.js';
import { resolveOrganizationSettings } from '../../core/organization-settings.js';
import type { ParticipantChoiceButton, ParticipantMessage } from '../../core/participant-message.js';
import { Prisma } from '../../generated/prisma/client.js';
import { handleParticipantMessage, type ConversationDeps } from '../../services/conversations.js';
import { handleParticipantChoice, replyMessage } from '../../services/participant-choices.js';
import { setSmsConsent } from '../../services/sms-consent.js';
import { programRenamer } from './sms-messenger.js';
import { HELP_WORDS, keywordOf, pickChoice, renderSms, START_WORDS, STOP_WORDS } from './sms-text.js';

/** A numbered reply refers to the choices of a text sent within this long. */
const CHOICES_VALID_MS = 3 * 86_400_000;

/**
 * One text from a number, answered with at most one text. Order: crisis first for everyone (the
 * conversation service raises the urgent alert, also for a number no participant has); then the
 * carrier keywords (STOP, START, HELP); then a reply to the choices last sent ("1", "YES"); then
 * the conversation service, as on chat. A participant's first text counts as consent to answers.
 */
export async function answerText(deps: ConversationDeps, input: { organizationId: string; from: string; text: string; messageSid: string }): Promise<string | null> {
  const { prisma, clock } = deps;
  const now = clock.now();
  const base = { organizationId: input.organizationId, platform: 'sms' as const, platformUserId: input.from };
  const converse = async () => {
    const { reply } = await handleParticipantMessage(deps, { ...base, text: input.text, deliveryId: input.messageSid });
    return reply;
  };
  if (detectCrisis(input.text).matched) return (await converse()).text;

  const participant = await prisma.participant.findFirst({ where: { organizationId: input.organizationId, phone: input.from } });
  const word = keywordOf(input.text);
  const actor = `sms:${participant?.id ?? 'unknown'}`;
  if (STOP_WORDS.has(word)) {
    if (!participant) return null;
    const { changed } = await setSmsConsent(prisma, { ...base, participantId: participant.id, consent: false, source: 'stop_keyword', actor, at: now });
    // Confirmed once: a second STOP gets no answer (and Twilio would not deliver it).
    return changed ? "You're unsubscribed and will get no more texts from us. Reply START to resubscribe." : null;
  }
  if (START_WORDS.has(word)) {
    if (participant) await setSmsConsent(prisma, { ...base, participantId: participant.id, consent: true, source: 'start_keyword', actor, at: now });
    return participant ? "You're resubscribed to texts about your group's attendance. Reply HELP for help, STOP to opt out." : null;
  }
  if (HELP_WORDS.has(word)) return helpText(deps, input.organizationId);

  if (participant && !participant.smsConsent && !participant.smsConsentAt) {
    await setSmsConsent(prisma, { ...base, participantId: participant.id, consent: true, source: 'participant_texted', actor, at: now });
  }
  const choices = participant?.smsChoices && participant.smsChoicesAt && now.getTime() - participant.smsChoicesAt.getTime() < CHOICES_VALID_MS ? (participant.smsChoices as unknown as ParticipantChoiceButton[]) : [];
  const picked = pickChoice(choices, input.text);
  let message: ParticipantMessage;
  if (picked) {
    message = (await handleParticipantChoice(deps, { ...base, value: picked.value })) ?? { text: "Sorry, I couldn't record that. Please contact your clinic directly.", choices: [] };
  } else {
    message = replyMessage(await converse());
  }
  if (participant) {
    await prisma.participant.update({
      where: { id: participant.id },
      data: message.choices.length ? { smsChoices: message.choices as unknown as Prisma.InputJsonValue, smsChoicesAt: now } : { smsChoices: Prisma.DbNull, smsChoicesAt: null },
    });
  }
  return renderSms(message, await programRenamer(prisma, input.organizationId));
}

async function helpText(deps: ConversationDeps, organizationId: string): Promise<string> {
  const organization = await deps.prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
  const contact = resolveOrganizationSettings(organization.settings).clinicContact;
  return (
    `${organization.name}: attendance texts for your group. ${contact ? `Contact: ${contact}. ` : ''}` +
    'Text "status" for your hours, or tell us the day you will miss. Reply STOP to opt out. In danger? Call or text 988, or call 911.'
  );
}
