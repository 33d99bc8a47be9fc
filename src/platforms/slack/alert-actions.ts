import type { App, BlockAction, ButtonAction, types } from '@slack/bolt';
import type { Logger } from 'pino';
import { absenceCategorySchema, resolvePolicy, type AbsenceCategory } from '../../core/policy.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { markExcused, reachOut, type StaffActor } from '../../services/alert-actions.js';
import { loadAlertContext } from '../../services/alert-context.js';
import { linkUnrecognizedPerson } from '../../services/identity-links.js';
import { prepareOutreach } from '../../services/outreach.js';
import { participantLabel } from '../../services/labels.js';
import type { SessionEvaluator } from '../../services/session-evaluator.js';
import { parseActionValue } from './blocks.js';

export interface SlackActionDeps {
  prisma: Db;
  clock: Clock;
  log: Logger;
  evaluator: SessionEvaluator;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
}

const OUTREACH_REFUSALS = {
  not_staff: "Sorry, only this program's facilitators can act on its alerts.",
  gone: 'That alert no longer exists.',
  no_participant: 'This alert is not about a known participant.',
  no_chat_identity: "This participant's Slack account is not connected, so Rollcall can't message them here.",
  chat_disabled: "Participant chat on Slack is off for your organization (Slack's terms do not allow messaging patients). Please reach them another way.",
} as const;

const NOT_STAFF = "Sorry, only this program's facilitators can act on its alerts. If that should include you, ask an admin to add you to the program's staff.";

const CATEGORY_LABELS: Record<AbsenceCategory, string> = {
  technical: 'Technical problem',
  illness: 'Illness',
  family_emergency: 'Family or personal emergency',
  work_school: 'Work or school',
  transport: 'Transport',
  other: 'Other',
};

const option = (text: string, value: string) => ({ text: { type: 'plain_text' as const, text: text.slice(0, 75) }, value });

const alertIdOf = (action: ButtonAction): string | null => parseActionValue(action.value)?.alertId ?? null;

/** A modal with one required choice; the alert id travels in private_metadata. */
function pickerModal(spec: { callbackId: string; alertId: string; title: string; submit?: string; blockId: string; actionId: string; label: string; options: ReturnType<typeof option>[] }): types.ModalView {
  return {
    type: 'modal',
    callback_id: spec.callbackId,
    private_metadata: JSON.stringify({ alertId: spec.alertId }),
    title: { type: 'plain_text', text: spec.title },
    submit: { type: 'plain_text', text: spec.submit ?? spec.title },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: spec.blockId,
        label: { type: 'plain_text', text: spec.label },
        element: { type: 'static_select', action_id: spec.actionId, options: spec.options },
      },
    ],
  };
}

/** The alert's program staff check, done before a modal opens so that a non-staff click gets a polite no at once. */
async function programOfAlertForStaff(prisma: Db, alertId: string, userId: string) {
  const context = await loadAlertContext(prisma, alertId);
  if (!context) return null;
  return { ...context, staff: context.program.staffUserIds.includes(userId) };
}

/** Facilitator buttons on alerts: each changes the record through a service, audited, and the alert is edited to show it. */
export function registerAlertActions(app: App, deps: SlackActionDeps): void {
  const { prisma, log } = deps;
  const actorOf = (user: { id: string; name?: string; username?: string }): StaffActor => ({ platform: 'slack', userId: user.id, label: user.name ?? user.username ?? user.id });
  const sayNo = async (client: App['client'], body: BlockAction, text: string) => {
    const channel = body.channel?.id;
    if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text });
  };

  /** The clicked alert with its program when the clicker is staff; otherwise a polite no and null. */
  const staffClick = async (client: App['client'], body: BlockAction, action: ButtonAction) => {
    const alertId = alertIdOf(action);
    const found = alertId ? await programOfAlertForStaff(prisma, alertId, body.user.id) : null;
    if (found && !found.staff) await sayNo(client, body, NOT_STAFF);
    return found?.staff ? found : null;
  };

  app.action<BlockAction<ButtonAction>>('rollcall:reach_out', async ({ ack, body, action, client }) => {
    await ack();
    const alertId = alertIdOf(action);
    if (!alertId) return;
    const result = await reachOut(deps, alertId, actorOf(body.user));
    if (!result.ok && result.reason === 'not_staff') await sayNo(client, body, NOT_STAFF);
    log.info({ alertId, ok: result.ok }, 'slack reach_out');
  });

  app.action<BlockAction<ButtonAction>>('rollcall:excuse', async ({ ack, body, action, client }) => {
    await ack();
    const found = await staffClick(client, body, action);
    if (!found) return;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: pickerModal({
        callbackId: 'rollcall_excuse',
        alertId: found.alert.id,
        title: 'Mark excused',
        blockId: 'reason',
        actionId: 'category',
        label: 'Reason',
        options: absenceCategorySchema.options.map((category) => option(CATEGORY_LABELS[category], category)),
      }),
    });
  });

  app.view('rollcall_excuse', async ({ ack, body, view }) => {
    await ack();
    const { alertId } = JSON.parse(view.private_metadata) as { alertId: string };
    const chosen = absenceCategorySchema.safeParse(view.state.values.reason?.category?.selected_option?.value);
    const result = await markExcused(deps, alertId, actorOf(body.user), chosen.success ? chosen.data : 'other');
    log.info({ alertId, ok: result.ok }, 'slack excuse');
  });

  app.action<BlockAction<ButtonAction>>('rollcall:link_participant', async ({ ack, body, action, client }) => {
    await ack();
    const found = await staffClick(client, body, action);
    if (!found) return;
    const { alert, program } = found;
    const policy = resolvePolicy(program.policy);
    const enrolled = await prisma.enrollment.findMany({
      where: { organizationId: alert.organizationId, programId: program.id, status: 'active' },
      include: { participant: { select: { id: true, name: true } } },
    });
    const candidates = new Set(((alert.detail as { candidateParticipantIds?: string[] }).candidateParticipantIds ?? []) as string[]);
    const ordered = [...enrolled].sort((a, b) => Number(candidates.has(b.participantId)) - Number(candidates.has(a.participantId)));
    await client.views.open({
      trigger_id: body.trigger_id,
      view: pickerModal({
        callbackId: 'rollcall_link',
        alertId: found.alert.id,
        title: 'Link to participant',
        submit: 'Link',
        blockId: 'who',
        actionId: 'participant',
        label: 'Who is this?',
        options: ordered.slice(0, 100).map((e) => option(participantLabel(e.participant.name, policy.nameDisplay), e.participantId)),
      }),
    });
  });

  app.view('rollcall_link', async ({ ack, body, view }) => {
    await ack();
    const { alertId } = JSON.parse(view.private_metadata) as { alertId: string };
    const participantId = view.state.values.who?.participant?.selected_option?.value;
    const found = participantId ? await programOfAlertForStaff(prisma, alertId, body.user.id) : null;
    if (!found?.staff || !participantId || !found.alert.sessionId || !found.alert.subjectKey.startsWith('unmatched:')) return;
    await linkUnrecognizedPerson(deps, {
      organizationId: found.alert.organizationId,
      actor: `slack:${body.user.id}`,
      sessionId: found.alert.sessionId,
      personKey: found.alert.subjectKey.slice('unmatched:'.length),
      participantId,
    });
    log.info({ alertId }, 'slack link_participant');
  });

  for (const kind of ['offer_makeup', 'send_checkin'] as const) {
    app.action<BlockAction<ButtonAction>>(`rollcall:${kind}`, async ({ ack, body, action, client }) => {
      await ack();
      const alertId = alertIdOf(action);
      if (!alertId) return;
      const result = await prepareOutreach(deps, { alertId, actor: actorOf(body.user), kind, platform: 'slack' });
      log.info({ alertId, kind, ok: result.ok }, 'slack outreach');
      if (!result.ok) return sayNo(client, body, OUTREACH_REFUSALS[result.reason]);
      const dm = await client.conversations.open({ users: result.participantUserId });
      const channel = dm.channel?.id;
      if (!channel) return sayNo(client, body, OUTREACH_REFUSALS.no_chat_identity);
      await client.chat.postMessage({
        channel,
        text: result.text,
        blocks: [
          { type: 'section', text: { type: 'plain_text', text: result.text } },
          ...(result.replies.length
            ? [{ type: 'actions' as const, block_id: 'rollcall_checkin', elements: result.replies.map((r) => ({ type: 'button' as const, action_id: `rollcall_${r.id}`, text: { type: 'plain_text' as const, text: r.label }, value: alertId })) }]
            : []),
        ],
      });
    });
  }

  app.action<BlockAction<ButtonAction>>('rollcall:open_review', async ({ ack, body, client }) => {
    await ack();
    await sayNo(client, body, 'Formal reviews are opened from the dashboard; this button will do it from here in a later version.');
  });
}
