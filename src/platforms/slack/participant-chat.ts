import type { App, BlockAction, ButtonAction, types } from '@slack/bolt';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { absenceCategorySchema } from '../../core/policy.js';
import { confirmReportedAbsence, handleParticipantMessage, type ConversationDeps } from '../../services/conversations.js';
import { escapeMrkdwn } from './blocks.js';

export interface ParticipantChatDeps extends ConversationDeps {
  log: Logger;
  organizationFor(workspaceId: string): Promise<string>;
}

const ABSENCE_ACTION = /^rollcall_absence:\d+$/;

/**
 * Participants' direct messages to the bot. Deciding is the platform-neutral conversation
 * service's; this renders its reply. Logs carry ids and the reply type, never the message.
 */
export function registerParticipantChat(app: App, deps: ParticipantChatDeps): void {
  const { log } = deps;
  app.message(async ({ message, body, say }) => {
    if (message.channel_type !== 'im' || message.subtype !== undefined || !('user' in message) || !message.user || 'bot_id' in message) return;
    const organizationId = await deps.organizationFor((body as { team_id?: string }).team_id ?? '');
    const { reply } = await handleParticipantMessage(deps, {
      organizationId,
      platform: 'slack',
      platformUserId: message.user,
      text: message.text ?? '',
      deliveryId: (body as { event_id?: string }).event_id ?? message.ts,
    });
    log.info({ organizationId, reply: reply.type }, 'participant message answered');
    if (reply.type !== 'confirm_absence') return void (await say({ text: reply.text }));
    const blocks: types.KnownBlock[] = [
      { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(reply.text) } },
      {
        type: 'actions',
        block_id: 'rollcall_absence',
        elements: reply.options.slice(0, 5).map((option, i) => ({
          type: 'button',
          action_id: `rollcall_absence:${i}`,
          text: { type: 'plain_text', text: `I'll miss ${option.label}`.slice(0, 75) },
          value: JSON.stringify({ sessionId: option.sessionId, category: reply.category }),
        })),
      },
    ];
    await say({ text: reply.text, blocks });
  });

  app.action<BlockAction<ButtonAction>>(ABSENCE_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    let value: { sessionId?: unknown; category?: unknown };
    try {
      value = JSON.parse(action.value ?? '{}') as typeof value;
    } catch {
      return;
    }
    const category = absenceCategorySchema.safeParse(value.category);
    if (typeof value.sessionId !== 'string' || !category.success) return;
    const organizationId = await deps.organizationFor(body.team?.id ?? '');
    const result = await confirmReportedAbsence(deps, { organizationId, platform: 'slack', platformUserId: body.user.id, sessionId: value.sessionId, category: category.data });
    const text = result.ok
      ? [
          "Thank you for letting us know. I've told your care team.",
          ...(result.makeUps.length
            ? ['If you would like to make it up, these sessions are coming up:', ...result.makeUps.map((s) => `• ${s.programName}, ${DateTime.fromJSDate(s.startsAt, { zone: s.timezone }).toFormat('ccc d LLL, HH:mm')}`)]
            : []),
        ].join('\n')
      : "Sorry, I couldn't record that. Please contact your clinic directly.";
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    if (channel && ts) await client.chat.update({ channel, ts, text: escapeMrkdwn(text), blocks: [] });
    log.info({ organizationId, ok: result.ok }, 'absence confirmed from slack');
  });

  // Replies to a facilitator's check-in: thanked warmly; asking for contact is recorded for staff.
  app.action<BlockAction<ButtonAction>>(/^rollcall_checkin_(ok|help)$/, async ({ ack, body, action, client }) => {
    await ack();
    const wantsContact = action.action_id === 'rollcall_checkin_help';
    const organizationId = await deps.organizationFor(body.team?.id ?? '');
    await deps.prisma.auditLog.create({
      data: { organizationId, actor: `slack:${body.user.id}`, action: wantsContact ? 'checkin.asked_for_contact' : 'checkin.okay', entityType: 'Alert', entityId: action.value ?? '', data: {} },
    });
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    const text = wantsContact ? "Thank you. Someone from your care team will reach out soon." : 'Thank you for letting us know. See you in group!';
    if (channel && ts) await client.chat.update({ channel, ts, text, blocks: [] });
  });
}
