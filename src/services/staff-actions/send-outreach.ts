import { prepareOutreach } from '../outreach.js';
import { sendToParticipant } from '../participant-outbox.js';
import { refuse, type StaffActionHandler } from './staff-action-types.js';

/** "Offer make-up" and "Send check-in": a message to the participant, through the participant outbox (retried, recorded). */
export const sendOutreach: StaffActionHandler = async (deps, { alert }, request) => {
  const kind = request.action === 'offer_makeup' ? 'offer_makeup' : 'send_checkin';
  const prepared = await prepareOutreach(deps, { alertId: alert.id, actor: request.actor, kind, platform: request.actor.platform });
  if (!prepared.ok) return refuse(prepared.reason);
  // A double press within a minute sends once.
  const sent = await sendToParticipant(deps, {
    organizationId: prepared.target.organizationId,
    participantId: alert.participantId!,
    dedupeKey: `${kind}:${alert.id}:${deps.clock.now().toISOString().slice(0, 16)}`,
    purpose: kind,
    message: prepared.message,
    preferred: prepared.target.platform,
  });
  return sent.state === 'skipped' ? refuse(sent.reason) : { type: 'done' };
};
