import type { App, BlockAction, ButtonAction, types } from '@slack/bolt';
import type { Logger } from 'pino';
import { ALERT_KINDS, isAlertActionId, type AlertActionId } from '../../core/alert-message.js';
import { performStaffAction, type StaffActionDeps, type StaffActionOutcome, type StaffActor } from '../../services/staff-actions.js';
import { ACTION_ID_PREFIX, alertActionIdOf, parseActionValue } from './blocks.js';
import { callSlackAfterDurableWork } from './bolt-errors.js';

export interface SlackActionDeps extends StaffActionDeps {
  log: Logger;
  organizationFor(teamId?: string, enterpriseId?: string): Promise<string | null>;
}

const CHOOSE_CALLBACK = 'rollcall_choose';

/** A modal with one required choice; the alert and the action travel in private_metadata. */
function pickerModal(alertId: string, action: AlertActionId, outcome: Extract<StaffActionOutcome, { type: 'choose' }>): types.ModalView {
  return {
    type: 'modal',
    callback_id: CHOOSE_CALLBACK,
    private_metadata: JSON.stringify({ alertId, action }),
    title: { type: 'plain_text', text: outcome.title.slice(0, 24) },
    submit: { type: 'plain_text', text: outcome.submitLabel.slice(0, 24) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'choice',
        label: { type: 'plain_text', text: outcome.label },
        element: {
          type: 'static_select',
          action_id: 'value',
          options: outcome.options.slice(0, 100).map((o) => ({ text: { type: 'plain_text' as const, text: o.label.slice(0, 75) }, value: o.value })),
        },
      },
    ],
  };
}

const actorOf = (user: { id: string; name?: string; username?: string }): StaffActor => ({ platform: 'slack', userId: user.id, label: user.name ?? user.username ?? user.id });

/**
 * Facilitator buttons on alerts. What each does is services/staff-actions.ts's, for every
 * platform; this renders its outcome: a picker modal, a word to the presser only, or nothing
 * (the alert message itself is edited through the outbox).
 */
export function registerStaffButtons(app: App, deps: SlackActionDeps): void {
  const { log } = deps;
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTION_ID_PREFIX}`), async ({ ack, body, action, client }) => {
    await ack();
    const actionId = alertActionIdOf(action.action_id);
    const value = parseActionValue(action.value);
    if (!isAlertActionId(actionId) || !value || !(ALERT_KINDS as readonly string[]).includes(value.kind)) return;
    // Only the workspace's own clinic's alerts: a forged button value naming another clinic's alert finds none.
    const organizationId = await deps.organizationFor(body.team?.id, body.enterprise?.id);
    if (!organizationId) return;
    const outcome = await performStaffAction(deps, { alertId: value.alertId, action: actionId, actor: actorOf(body.user), organizationId });
    log.info({ alertId: value.alertId, action: actionId, outcome: outcome.type }, 'slack staff action');
    if (outcome.type === 'choose') await callSlackAfterDurableWork(log, 'views.open', () => client.views.open({ trigger_id: body.trigger_id, view: pickerModal(value.alertId, actionId, outcome) }));
    if (outcome.type === 'refused') {
      const channel = body.channel?.id;
      if (channel) await callSlackAfterDurableWork(log, 'chat.postEphemeral', () => client.chat.postEphemeral({ channel, user: body.user.id, text: outcome.text }));
    }
  });

  app.view(CHOOSE_CALLBACK, async ({ ack, body, view }) => {
    await ack();
    let meta: { alertId?: unknown; action?: unknown };
    try {
      meta = JSON.parse(view.private_metadata) as typeof meta;
    } catch {
      return;
    }
    const choice = view.state.values.choice?.value?.selected_option?.value;
    if (typeof meta.alertId !== 'string' || typeof meta.action !== 'string' || !isAlertActionId(meta.action) || !choice) return;
    const organizationId = await deps.organizationFor(body.team?.id, body.enterprise?.id);
    if (!organizationId) return;
    const outcome = await performStaffAction(deps, { alertId: meta.alertId, action: meta.action, actor: actorOf(body.user), choice, organizationId });
    log.info({ alertId: meta.alertId, action: meta.action, outcome: outcome.type }, 'slack staff choice');
  });
}
