import { DateTime } from 'luxon';
import { resolveOrganizationSettings } from '../core/organization-settings.js';
import type { Platform } from '../core/presence-event.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { loadAlertContext } from './alert-context.js';
import { writeAudit } from './audit.js';
import { withStaffAction, type StaffActor } from './alert-actions.js';
import { choiceButton, type ParticipantMessage } from '../core/participant-message.js';
import { participantChatTarget, type MessengerFor, type ParticipantTarget } from './participant-messenger.js';

export type OutreachKind = 'offer_makeup' | 'send_checkin';

export type OutreachResult =
  | { ok: true; target: ParticipantTarget; message: ParticipantMessage }
  | { ok: false; reason: 'not_staff' | 'gone' | 'no_participant' | 'no_chat_identity' | 'chat_disabled' };

/**
 * A facilitator's message to a participant, from an alert: a make-up offer (the program's next
 * sessions on other days) or a short check-in. Only where the organization allows participant chat
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
  const target = await participantChatTarget(prisma, deps.messengerFor, { organizationId: alert.organizationId, participantId: alert.participantId, preferred: input.platform });
  if (!target) return { ok: false, reason: (await chatOnlyWhereDisabled(prisma, alert.organizationId, alert.participantId)) ? 'chat_disabled' : 'no_chat_identity' };
  const participant = await prisma.participant.findUniqueOrThrow({ where: { id: alert.participantId } });
  const zone = participant.timezone ?? program.timezone;
  const now = clock.now();
  let text: string;
  let choices: ParticipantMessage['choices'];
  if (input.kind === 'offer_makeup') {
    const missedDay = session ? DateTime.fromJSDate(session.startsAt, { zone }).toISODate() : null;
    const next = await prisma.session.findMany({ where: { organizationId: alert.organizationId, programId: program.id, startsAt: { gt: now } }, orderBy: { startsAt: 'asc' }, take: 8 });
    const options = next.filter((s) => DateTime.fromJSDate(s.startsAt, { zone }).toISODate() !== missedDay).slice(0, 3);
    text = options.length
      ? [`Hi ${participant.name.split(' ')[0]}, we missed you. If you'd like to make up the session, these are coming up:`, ...options.map((s) => `• ${program.name}, ${DateTime.fromJSDate(s.startsAt, { zone }).toFormat('ccc d LLL, HH:mm')}`), 'Reply here or contact your clinic to arrange it.'].join('\n')
      : `Hi ${participant.name.split(' ')[0]}, we missed you. Please contact your clinic to arrange a make-up session.`;
    choices = [];
  } else {
    text = `Hi ${participant.name.split(' ')[0]}, your care team wanted to check in. How are things going with getting to group?`;
    choices = [choiceButton("I'm okay", { t: 'checkin', a: alert.id, r: 'ok' }), choiceButton("I'd like someone to reach out", { t: 'checkin', a: alert.id, r: 'help' })];
  }
  await prisma.$transaction(async (tx) => {
    await tx.alert.update({ where: { id: alert.id }, data: { detail: withStaffAction(alert.detail, input.kind, input.actor, now), version: { increment: 1 }, deliveryState: 'pending' } });
    if (input.kind === 'send_checkin') {
      await tx.followUp.create({ data: { organizationId: alert.organizationId, programId: program.id, participantId: participant.id, alertId: alert.id, kind: 'checkin', assignee: `${input.actor.platform}:${input.actor.userId}` } });
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
