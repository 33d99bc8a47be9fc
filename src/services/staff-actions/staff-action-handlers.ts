import type { AlertActionId } from '../../core/alert-kinds.js';
import { followUpAction } from './follow-up-action.js';
import { linkParticipant } from './link-participant.js';
import { markExcused } from './mark-excused.js';
import { reachOut } from './reach-out.js';
import { sendOutreach } from './send-outreach.js';
import type { StaffActionHandler } from './staff-action-types.js';

/** What each facilitator button does, one handler per button: a new button is a new row here. */
export const STAFF_ACTION_HANDLERS: Record<AlertActionId, StaffActionHandler> = {
  reach_out: reachOut,
  excuse: markExcused,
  link_participant: linkParticipant,
  offer_makeup: sendOutreach,
  send_checkin: sendOutreach,
  open_review: followUpAction,
  schedule_review: followUpAction,
  add_note: followUpAction,
  mark_done: followUpAction,
  dismiss: followUpAction,
};
