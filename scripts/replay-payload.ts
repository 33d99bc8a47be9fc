import { createHmac } from 'node:crypto';
import { signZoomRequest } from '../src/platforms/zoom/verify.js';
import { ZOOM_EVENT_TIME_FIELDS } from '../test/support/zoom-events.js';

/** A saved platform payload made ready to send: the route it goes to and how it is signed. */
export interface ReplayDelivery {
  platform: 'zoom' | 'slack' | 'teams';
  route: string;
  /** What the payload says happened (Zoom's event name, Slack's event type, Teams' activity type). */
  event: string;
  /** When the payload says it happened; sessions open then are the ones watched. */
  occurredAt: Date;
  rawBody: string;
}

export interface ReplaySecrets {
  zoomSecret?: string;
  slackSigningSecret?: string;
}

type Json = Record<string, any>;


/**
 * Reads a saved payload and says where it goes. `at` moves a Zoom meeting event to another time
 * and `meetingId` to another meeting (so a fixture can land in a session of a local instance);
 * other payloads are sent as saved.
 */
export function prepareDelivery(payload: unknown, options: { at?: Date; meetingId?: string } = {}): ReplayDelivery {
  const body = structuredClone(payload) as Json;
  if (typeof body?.event === 'string' && typeof body.payload === 'object') return prepareZoom(body, options);
  if (body?.type === 'event_callback' || body?.type === 'url_verification') {
    const seconds = Number(body.event?.event_ts ?? body.event_time);
    return { platform: 'slack', route: '/slack/events', event: String(body.event?.type ?? body.type), occurredAt: Number.isFinite(seconds) ? new Date(seconds * 1000) : new Date(), rawBody: JSON.stringify(body) };
  }
  if (typeof body?.type === 'string' && typeof body.channelData === 'object') {
    const at = new Date(body.timestamp ?? Date.now());
    return { platform: 'teams', route: '/api/messages', event: `${body.type}${body.name ? `:${body.name}` : ''}`, occurredAt: Number.isNaN(at.getTime()) ? new Date() : at, rawBody: JSON.stringify(body) };
  }
  throw new Error('not a payload replay knows: expected a Zoom event notification, a Slack Events API delivery or a Teams activity');
}

function prepareZoom(body: Json, options: { at?: Date; meetingId?: string }): ReplayDelivery {
  const object = (body.payload.object ?? {}) as Json;
  if (options.meetingId) object.id = options.meetingId;
  const time = ZOOM_EVENT_TIME_FIELDS[body.event as string];
  const holder = time ? (time.where === 'object' ? object : object.participant) : undefined;
  if (options.at && holder && time) {
    // Zoom sends times to the second.
    holder[time.field] = `${options.at.toISOString().slice(0, 19)}Z`;
    body.event_ts = options.at.getTime();
  }
  const said = holder && time ? new Date(holder[time.field]) : new Date(Number(body.event_ts) || Date.now());
  return { platform: 'zoom', route: '/zoom/webhook', event: body.event, occurredAt: Number.isNaN(said.getTime()) ? new Date() : said, rawBody: JSON.stringify(body) };
}

/** The headers the platform would send: signed with this instance's secret, now. Teams is sent unsigned (ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS=1 only). */
export function signDelivery(delivery: ReplayDelivery, secrets: ReplaySecrets, nowMs = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (delivery.platform === 'zoom') {
    if (!secrets.zoomSecret) throw new Error('ZOOM_WEBHOOK_SECRET_TOKEN is not set: set it to the instance\'s secret so the delivery can be signed');
    return { ...headers, 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signZoomRequest(secrets.zoomSecret, timestamp, delivery.rawBody) };
  }
  if (delivery.platform === 'slack') {
    if (!secrets.slackSigningSecret) throw new Error('SLACK_SIGNING_SECRET is not set: set it to the instance\'s secret so the delivery can be signed');
    const signature = `v0=${createHmac('sha256', secrets.slackSigningSecret).update(`v0:${timestamp}:${delivery.rawBody}`).digest('hex')}`;
    return { ...headers, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
  }
  return headers;
}
