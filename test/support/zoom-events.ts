import { scenarioZoomAccounts } from './scenario.js';
import { readZoomFixture, signedZoomHeaders } from './zoom-signing.js';

type Json = Record<string, any>;

/** Where each Zoom meeting event keeps its time (the fields normalize.ts reads); the replay script uses it too. */
export const ZOOM_EVENT_TIME_FIELDS: Record<string, { where: 'object' | 'participant'; field: string }> = {
  'meeting.started': { where: 'object', field: 'start_time' },
  'meeting.ended': { where: 'object', field: 'end_time' },
  'meeting.participant_joined': { where: 'participant', field: 'join_time' },
  'meeting.participant_left': { where: 'participant', field: 'leave_time' },
  'meeting.participant_joined_waiting_room': { where: 'participant', field: 'date_time' },
  'meeting.participant_admitted': { where: 'participant', field: 'date_time' },
  'meeting.participant_left_waiting_room': { where: 'participant', field: 'date_time' },
  'meeting.participant_joined_breakout_room': { where: 'participant', field: 'join_time' },
  'meeting.participant_left_breakout_room': { where: 'participant', field: 'leave_time' },
};

/** Zoom sends times to the second. */
const zoomTime = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;

export interface ZoomPerson {
  user_name: string;
  participant_uuid: string;
  email?: string;
  registrant_id?: string;
  /** The Zoom account user id (`id` and `participant_user_id`). */
  id?: string;
}

/**
 * A delivery shaped exactly like the saved fixture, for another meeting, person and time: only
 * values change, never field names. It comes from `accountId`, else from the Zoom account of the
 * scenario clinic that scheduled the meeting (scenario.ts), else from the fixture's account.
 */
export function zoomDelivery(fixture: string, options: { meetingId: string; uuid?: string; at: Date; person?: ZoomPerson; leaveReason?: string; accountId?: string }): string {
  const body = structuredClone(readZoomFixture(fixture).json) as Json;
  const account = options.accountId ?? scenarioZoomAccounts.get(options.meetingId);
  if (account) body.payload.account_id = account;
  const object = body.payload.object as Json;
  object.id = options.meetingId;
  object.uuid = options.uuid ?? `${options.meetingId}-instance==`;
  const timeField = ZOOM_EVENT_TIME_FIELDS[body.event as string];
  if (!timeField) throw new Error(`no time field known for ${body.event}`);
  if (options.person && object.participant) {
    const p = object.participant as Json;
    p.user_name = options.person.user_name;
    p.participant_uuid = options.person.participant_uuid;
    p.user_id = String(Math.floor(Math.random() * 1e8));
    if ('email' in p || options.person.email) p.email = options.person.email ?? '';
    if ('id' in p || options.person.id) p.id = options.person.id ?? '';
    if ('participant_user_id' in p || options.person.id) p.participant_user_id = options.person.id ?? '';
    if ('registrant_id' in p || options.person.registrant_id) p.registrant_id = options.person.registrant_id ?? '';
  }
  if (options.leaveReason && object.participant) object.participant.leave_reason = options.leaveReason;
  (timeField.where === 'object' ? object : object.participant)[timeField.field] = zoomTime(options.at);
  body.event_ts = options.at.getTime();
  return JSON.stringify(body);
}

/** POSTs a body to /zoom/webhook signed as Zoom signs it now. */
export async function postZoom(baseUrl: string, rawBody: string, options: { secret?: string; nowMs?: number; headers?: Record<string, string> } = {}) {
  const headers = signedZoomHeaders(rawBody, { secret: options.secret, nowMs: options.nowMs ?? Date.now() });
  const response = await fetch(`${baseUrl}/zoom/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, ...options.headers },
    body: rawBody,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
}
