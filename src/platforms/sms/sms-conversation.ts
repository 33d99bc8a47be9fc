import type { Logger } from 'pino';
import { CRISIS_REPLY } from '../../core/conversation.js';
import { detectCrisis } from '../../core/crisis.js';
import { resolveOrganizationSettings } from '../../core/organization-settings.js';
import type { ParticipantMessage } from '../../core/participant-message.js';
import { handleParticipantMessage, type ConversationDeps } from '../../services/conversations.js';
import { handleParticipantChoice, replyMessage } from '../../services/participant-choices.js';
import { raiseParticipantAlert } from '../../services/participant-alerts.js';
import { setSmsConsent } from '../../services/sms-consent.js';
import { clearPendingChoices, pickPendingChoice, readPendingChoices, storePendingChoices } from './pending-choices.js';
import { programRenamer } from './sms-messenger.js';
import { HELP_WORDS, keywordOf, renderSms, START_WORDS, STOP_WORDS } from './sms-text.js';

/**
 * One text from a number, answered with at most one text. Order: crisis first for everyone (the
 * conversation service raises the urgent alert, also for a number no participant has); then the
 * carrier keywords (STOP, START, HELP); then a reply to a pending question ("1", "YES":
 * pending-choices.ts); then the conversation service, as on chat. A participant's first text
 * counts as consent to answers. `organizationId` is the clinic that owns the number texted.
 */
export async function answerText(deps: ConversationDeps, input: { organizationId: string; from: string; text: string; messageSid: string; sameSender?: string[] }): Promise<string | null> {
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
  if (STOP_WORDS.has(word) || START_WORDS.has(word)) {
    if (!participant) return null;
    const consent = START_WORDS.has(word);
    const source = consent ? 'start_keyword' : 'stop_keyword';
    const { changed } = await setSmsConsent(prisma, { ...base, participantId: participant.id, consent, source, actor, at: now });
    // The sender is shared: Twilio now blocks (or unblocks) it for this phone for every clinic on it.
    for (const organizationId of input.sameSender ?? []) {
      const same = await prisma.participant.findFirst({ where: { organizationId, phone: input.from }, select: { id: true } });
      if (same) await setSmsConsent(prisma, { organizationId, participantId: same.id, consent, source, actor: `sms:${same.id}`, at: now });
    }
    if (consent) return "You're resubscribed to texts about your group's attendance. Reply HELP for help, STOP to opt out.";
    // Confirmed once: a second STOP gets no answer (and Twilio would not deliver it).
    return changed ? "You're unsubscribed and will get no more texts from us. Reply START to resubscribe." : null;
  }
  if (HELP_WORDS.has(word)) return helpText(deps, input.organizationId);

  if (participant && !participant.smsConsent && !participant.smsConsentAt) {
    await setSmsConsent(prisma, { ...base, participantId: participant.id, consent: true, source: 'participant_texted', actor, at: now });
  }
  const picked = participant ? pickPendingChoice(readPendingChoices(participant.smsChoices, participant.smsChoicesAt, now), input.text) : null;
  let message: ParticipantMessage;
  if (picked) {
    await clearPendingChoices(prisma, participant!.id, picked.kind);
    message = (await handleParticipantChoice(deps, { ...base, value: picked.button.value })) ?? { text: "Sorry, I couldn't record that. Please contact your clinic directly.", choices: [] };
  } else {
    message = replyMessage(await converse());
  }
  if (participant) await storePendingChoices(prisma, participant.id, message.choices, now);
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

/** No care team could be told: the reply must not say one was. */
const UNWATCHED_CRISIS_REPLY =
  'If you are in danger or thinking about hurting yourself, please call or text 988 (Suicide & Crisis Lifeline) now, or call 911 in an emergency. ' +
  "This number isn't watched by a care team.";
const NO_CLINIC_REPLY = "This number isn't set up for your clinic's texts. Please contact your clinic directly. In danger? Call or text 988, or call 911.";

/**
 * A text to a number no clinic owns (text-clinic.ts): nothing is stored against any clinic's
 * record of it except, on crisis words, the urgent alert, which goes to each clinic where the
 * sender is a participant (their own care team; the alert names no words). A stranger's crisis
 * text to such a number reaches no clinic: the reply gives 988/911 at once and the operator's log
 * gets an error line with the MessageSid. STOP and START are Twilio's to handle for that number.
 */
export async function answerTextToNoClinic(deps: ConversationDeps, input: { from: string; text: string; messageSid: string; log: Logger }): Promise<string | null> {
  if (detectCrisis(input.text).matched) {
    const knownIn = await deps.prisma.participant.findMany({ where: { phone: input.from }, select: { id: true, organizationId: true } });
    for (const participant of knownIn) {
      await raiseParticipantAlert(deps, { organizationId: participant.organizationId, participantId: participant.id, kind: 'crisis', dedupeKey: `sms-message:${input.messageSid}`, detail: { via: 'sms' } });
    }
    input.log.error({ messageSid: input.messageSid, clinicsAlerted: knownIn.length }, 'crisis text to a number no clinic owns: answered with 988/911');
    return knownIn.length ? CRISIS_REPLY : UNWATCHED_CRISIS_REPLY;
  }
  const word = keywordOf(input.text);
  if (STOP_WORDS.has(word) || START_WORDS.has(word)) return null;
  return NO_CLINIC_REPLY;
}
