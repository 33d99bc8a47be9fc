import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import type { Logger } from 'pino';
import { ALERT_ACTION_IDS, ALERT_KINDS } from '../../core/alert-message.js';
import { cleanDisplayName } from '../../core/platform-text.js';
import { loadAlertMessage } from '../../services/alert-delivery.js';
import { NOT_STAFF, performStaffAction, type StaffActionDeps } from '../../services/staff-actions.js';
import { ALERT_VERB, renderAlertCard, renderChoiceCard, renderNoticeCard } from './cards.js';

export interface TeamsActionDeps extends StaffActionDeps {
  log: Logger;
  organizationFor(tenantId: string): Promise<string | null>;
}

/** An alert button's data as it comes back from the client: untrusted, read again here. */
const alertActionDataSchema = z.object({
  rollcall: z.literal('alert'),
  action: z.enum(ALERT_ACTION_IDS),
  alertId: z.uuid(),
  kind: z.enum(ALERT_KINDS),
  choice: z.string().max(200).optional(),
  cancel: z.boolean().optional(),
});

/**
 * Facilitator buttons on alert cards (`Action.Execute`, an `adaptiveCard/action` invoke). What
 * each does is services/staff-actions.ts's; the invoke's answer is the card as the presser should
 * now see it: the updated alert, a card with the choice to make, or a refusal only they see. The
 * channel's copy is edited by the outbox, for everyone.
 */
export function registerStaffButtons(app: Application, deps: TeamsActionDeps): void {
  const { log, prisma } = deps;
  app.adaptiveCards.actionExecute(ALERT_VERB, async (context, _state, raw) => {
    const data = alertActionDataSchema.safeParse(raw);
    if (!data.success) return 'That button is no longer understood. Please use the latest alert.';
    const { alertId, action } = data.data;
    const from = context.activity.from;
    // Only the tenant's own clinic's alerts: a card naming another clinic's alert finds none.
    const tenantId = (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? context.activity.conversation?.tenantId;
    const organizationId = tenantId ? await deps.organizationFor(tenantId) : null;
    const ours = organizationId ? await prisma.alert.findFirst({ where: { id: alertId, organizationId }, select: { id: true } }) : null;
    const before = ours ? await loadAlertMessage(prisma, alertId) : null;
    if (!before || !organizationId) return 'That alert no longer exists.';
    if (data.data.cancel) return renderAlertCard(before);
    if (!from?.aadObjectId) return renderNoticeCard(before, NOT_STAFF);
    const outcome = await performStaffAction(deps, {
      alertId,
      action,
      actor: { platform: 'teams', userId: from.aadObjectId, label: cleanDisplayName(from.name ?? '') || from.aadObjectId },
      organizationId,
      ...(data.data.choice ? { choice: data.data.choice } : {}),
    });
    log.info({ alertId, action, outcome: outcome.type }, 'teams staff action');
    const after = (await loadAlertMessage(prisma, alertId)) ?? before;
    switch (outcome.type) {
      case 'done':
        return renderAlertCard(after);
      case 'choose':
        return renderChoiceCard(after, action, outcome);
      case 'refused':
        return renderNoticeCard(after, outcome.text);
    }
  });
}
