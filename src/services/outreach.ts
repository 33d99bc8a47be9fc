import { resolveOrganizationSettings } from '../core/organization-settings.js';
import type { Platform } from '../core/presence-event.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { loadAlertContext } from './alert-context.js';
import { writeAudit } from './audit.js';
import { appendStaffAction } from './alerts/alert-outbox.js';
import { openFollowUp } from './follow-ups.js';
import type { StaffActor } from './staff-actions/staff-action-types.js';
import { choiceButton, type ParticipantMessage } from '../core/participant-message.js';
import { makeUpOfferMessage } from '../core/care-messages.js';
import { findMakeUps } from './makeups.js';
import { findParticipantChatTarget, type MessengerFor, type ParticipantTarget } from './participant-messenger.js';

export type OutreachKind = 'offer_makeup' | 'send_checkin';

export type OutreachResult =
  | { ok: true; target: ParticipantTarget; message: ParticipantMessage }
  | { ok: false; reason: 'not_staff' | 'gone' | 'no_participant' | 'no_chat_identity' | 'chat_disabled' };

/**
 * A facilitator's message to a participant, from an alert: a make-up offer (bookable make-ups as
 * buttons, services/makeups.ts) or a short check-in. Only where the organization allows participant chat
 * on that platform, and only to the participant's own account. The words are fixed, warm, and say
 * nothing of anyone else.
 */
export async function prepareOutreach(
  deps: { prisma: Db; clock: Clock; messengerFor: MessengerFor; enqueueDeliveries(alertIds: string[]): Promise<void> },
  input: { alertId: string; actor: StaffActor; kind: OutreachKind; platform: Platform },
): Promise<OutreachResult> {
  const { prisma, clock } = deps;
  const context = await loadAlertContext(prisma, input.alertId);
  if (!context) return { ok: false, reason: 'gone' };
  const { alert, program, session } = context;
  if (!program.staffUserIds.includes(input.actor.userId)) return { ok: false, reason: 'not_staff' };
  if (!alert.participantId) return { ok: false, reason: 'no_participant' };
  const target = await findParticipantChatTarget(prisma, deps.messengerFor, { organizationId: alert.organizationId, participantId: alert.participantId, preferred: input.platform });
  if (!target) return { ok: false, reason: (await chatOnlyWhereDisabled(prisma, alert.organizationId, alert.participantId)) ? 'chat_disabled' : 'no_chat_identity' };
  const participant = await prisma.participant.findUniqueOrThrow({ where: { id: alert.participantId } });
  const zone = participant.timezone ?? program.timezone;
  const now = clock.now();
  let text: string;
  let choices: ParticipantMessage['choices'];
  if (input.kind === 'offer_makeup') {
    // The missed session: the alert's own, or the one an `Absence reported` names.
    const detailSession = (alert.detail as { sessionId?: unknown } | null)?.sessionId;
    const missedSessionId = session?.id ?? (typeof detailSession === 'string' ? detailSession : null);
    const found = missedSessionId ? await findMakeUps(deps, { organizationId: alert.organizationId, participantId: participant.id, missedSessionId }) : null;
    const greeting = `Hi ${participant.name.split(' ')[0]}, we missed you. `;
    ({ text, choices } = found && missedSessionId
      ? makeUpOfferMessage({ greeting, missedSessionId, options: found.options, zone: found.zone })
      : { text: `${greeting}Please contact your clinic to arrange a make-up session.`, choices: [] });
  } else {
    text = `Hi ${participant.name.split(' ')[0]}, your care team wanted to check in. How are things going with getting to group?`;
    choices = [choiceButton("I'm okay", { t: 'checkin', a: alert.id, r: 'ok' }), choiceButton("I'd like someone to reach out", { t: 'checkin', a: alert.id, r: 'help' })];
  }
  await prisma.$transaction(async (tx) => {
    await appendStaffAction(tx, alert.id, { action: input.kind, by: input.actor.label, at: now.toISOString() });
    if (input.kind === 'send_checkin') {
      await openFollowUp(tx, { organizationId: alert.organizationId, programId: program.id, participantId: participant.id, alertId: alert.id, kind: 'checkin', assignee: `${input.actor.platform}:${input.actor.userId}` });
    }
    await writeAudit(tx, { organizationId: alert.organizationId, actor: `${input.actor.platform}:${input.actor.userId}`, action: `alert.${input.kind}`, entityType: 'Alert', entityId: alert.id, data: { participantId: participant.id } });
  });
  await deps.enqueueDeliveries([alert.id]);
  return { ok: true, target, message: { text, choices } };
}

/** The participant has a chat account only on platforms where the organization keeps participant chat off. */
async function chatOnlyWhereDisabled(prisma: Db, organizationId: string, participantId: string): Promise<boolean> {
  const organization = await prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
  const allowed = resolveOrganizationSettings(organization.settings).participantChat;
  const identities = await prisma.identity.findMany({ where: { organizationId, participantId, kind: { in: ['user_id', 'aad_object_id'] }, platform: { in: ['slack', 'teams', 'zoom'] } } });
  return identities.some((i) => !allowed[i.platform]);
}
