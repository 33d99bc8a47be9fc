import { loadAlertContext } from './alert-context.js';
import { STAFF_ACTION_HANDLERS } from './staff-actions/staff-action-handlers.js';
import { refuse, type StaffActionDeps, type StaffActionOutcome, type StaffActionRequest } from './staff-actions/staff-action-types.js';

export { CATEGORY_LABELS } from './staff-actions/mark-excused.js';
export {
  NOT_STAFF,
  type StaffActionDeps,
  type StaffActionOutcome,
  type StaffActionRequest,
  type StaffActor,
  type StaffChoiceOption,
} from './staff-actions/staff-action-types.js';

/**
 * Every facilitator button on an alert, for every chat platform: the staff check, then the
 * button's handler (services/staff-actions/: the change through a service, audited, the alert
 * edited in place) and what to show the presser. Platforms only render the outcome.
 */
export async function performStaffAction(deps: StaffActionDeps, request: StaffActionRequest): Promise<StaffActionOutcome> {
  const context = await loadAlertContext(deps.prisma, request.alertId);
  if (!context || (request.organizationId !== undefined && context.alert.organizationId !== request.organizationId)) return refuse('gone');
  if (!context.program.staffUserIds.includes(request.actor.userId)) return refuse('not_staff');
  return STAFF_ACTION_HANDLERS[request.action](deps, context, request);
}
