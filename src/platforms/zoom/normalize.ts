import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { cleanDisplayName, cleanPlatformText } from '../../core/platform-text.js';
import type { PresenceEvent, PresenceKind, PresencePerson } from '../../core/presence-event.js';
import { cleanPayloadStrings } from './clean-payload.js';
import {
  zoomEnvelopeSchema,
  zoomEventNameSchema,
  type ZoomEnvelope,
  type ZoomParticipant,
} from './payload-schema.js';

export interface ZoomPayloadIssue {
  /** Dotted path into the delivery, e.g. `payload.object.participant.join_time`. */
  path: string;
  message: string;
}

export type ZoomNormalizeResult =
  | { type: 'presence'; events: PresenceEvent[] }
  | { type: 'ignored'; reason: string }
  | { type: 'invalid'; issues: ZoomPayloadIssue[] };

type ParticipantTimeField = 'join_time' | 'leave_time' | 'date_time';

interface ZoomEventRule {
  kind: PresenceKind;
  /** Where the time the fact happened is; waiting-room events may fall back to `event_ts`. */
  time:
    | { from: 'object'; field: 'start_time' | 'end_time' }
    | { from: 'participant'; field: ParticipantTimeField; orEventTs?: true };
  breakout?: true;
}

/** The one table of Zoom events we turn into presence. */
const ZOOM_EVENT_RULES: Readonly<Record<string, ZoomEventRule>> = {
  'meeting.started': { kind: 'meeting_started', time: { from: 'object', field: 'start_time' } },
  'meeting.ended': { kind: 'meeting_ended', time: { from: 'object', field: 'end_time' } },
  'meeting.participant_joined': { kind: 'joined', time: { from: 'participant', field: 'join_time' } },
  'meeting.participant_left': { kind: 'left', time: { from: 'participant', field: 'leave_time' } },
  'meeting.participant_joined_waiting_room': {
    kind: 'waiting_room_entered',
    time: { from: 'participant', field: 'date_time', orEventTs: true },
  },
  'meeting.participant_put_in_waiting_room': {
    kind: 'waiting_room_entered',
    time: { from: 'participant', field: 'date_time', orEventTs: true },
  },
  'meeting.participant_left_waiting_room': {
    kind: 'waiting_room_left',
    time: { from: 'participant', field: 'date_time', orEventTs: true },
  },
  'meeting.participant_admitted': {
    kind: 'admitted',
    time: { from: 'participant', field: 'date_time', orEventTs: true },
  },
  'meeting.participant_joined_breakout_room': {
    kind: 'joined',
    time: { from: 'participant', field: 'join_time' },
    breakout: true,
  },
  'meeting.participant_left_breakout_room': {
    kind: 'left',
    time: { from: 'participant', field: 'leave_time' },
    breakout: true,
  },
};

/*
 * leave_reason is free text shaped `<what happened>. Reason : <why>`. Seen in real deliveries:
 * `got disconnected from the meeting. Reason : Client Close.`; Zoom documents `Network connection
 * error.`; older text says `Connection lost`. Matched by substring, as a hint only.
 */
const CONNECTION_LOST = /connection lost|got disconnected|network connection error/i;
// Covers `to join breakout room`, `leave breakout room to join main meeting`, `Leave breakout room.`
const BREAKOUT_ROOM = /breakout room/i;

/** Leave reasons are a line of Zoom's text; more is not a reason. */
const LEAVE_REASON_MAX_LENGTH = 500;
/** RFC 5321's longest address. */
const EMAIL_MAX_LENGTH = 320;

/**
 * Turns one Zoom webhook (parsed JSON) into presence facts, or says why it does not. Every string
 * is cleaned first (no NUL or control characters reach the database), names are capped.
 * `accountId` is Zoom's id as sent: the webhook replaces it by its keyed hash before storing.
 */
export function normalizeZoomEvent(delivered: unknown): ZoomNormalizeResult {
  const envelope = cleanPayloadStrings(delivered);
  const head = zoomEventNameSchema.safeParse(envelope);
  if (!head.success) return invalid(head.error);
  const rule = ZOOM_EVENT_RULES[head.data.event];
  if (!rule) return { type: 'ignored', reason: `not a presence event: ${head.data.event}` };

  const parsed = zoomEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) return invalid(parsed.error);
  const delivery = parsed.data;
  const { object } = delivery.payload;
  const participant = object.participant;

  const issues: ZoomPayloadIssue[] = [];
  const occurredAt = pickTime(rule, delivery);
  if (!occurredAt) issues.push(missingTimeIssue(rule, delivery.event));
  const needsPerson = rule.time.from === 'participant';
  const person = needsPerson && participant ? toPerson(participant) : undefined;
  if (needsPerson && !person) {
    issues.push({ path: 'payload.object.participant', message: `${delivery.event} needs a participant with an identifier` });
  }
  if (!occurredAt || issues.length > 0) return { type: 'invalid', issues };

  const event: PresenceEvent = {
    platform: 'zoom',
    kind: rule.kind,
    occurredAt,
    meetingId: object.id,
    meetingInstanceId: object.uuid,
    accountId: delivery.payload.account_id,
    dedupeKey: dedupeKey(delivery, person?.key ?? '', occurredAt),
  };
  if (person) event.person = person;
  if (rule.kind === 'left') Object.assign(event, describeLeave(nonEmpty(participant?.leave_reason && cleanPlatformText(participant.leave_reason, LEAVE_REASON_MAX_LENGTH))));
  if (rule.breakout) event.breakout = true;
  return { type: 'presence', events: [event] };
}

function pickTime(rule: ZoomEventRule, delivery: ZoomEnvelope): Date | undefined {
  const { object } = delivery.payload;
  const text = rule.time.from === 'object' ? object[rule.time.field] : object.participant?.[rule.time.field];
  if (text) return new Date(text);
  if (rule.time.from === 'participant' && rule.time.orEventTs) return new Date(delivery.event_ts);
  return undefined;
}

function missingTimeIssue(rule: ZoomEventRule, event: string): ZoomPayloadIssue {
  const path = rule.time.from === 'object' ? `payload.object.${rule.time.field}` : `payload.object.participant.${rule.time.field}`;
  return { path, message: `${event} needs ${rule.time.field}` };
}

function toPerson(participant: ZoomParticipant): PresencePerson | undefined {
  const userId = nonEmpty(participant.id) ?? nonEmpty(participant.participant_user_id);
  // user_id is last: Zoom issues a new one on every rejoin and breakout-room move.
  const key =
    nonEmpty(participant.participant_uuid) ??
    nonEmpty(participant.participant_user_id) ??
    nonEmpty(participant.id) ??
    nonEmpty(participant.parent_user_id) ??
    nonEmpty(participant.user_id);
  if (!key) return undefined;
  return withoutUndefined({
    key,
    displayName: nonEmpty(participant.user_name && cleanDisplayName(participant.user_name)),
    email: nonEmpty(participant.email && cleanPlatformText(participant.email, EMAIL_MAX_LENGTH)),
    userId,
    registrantId: nonEmpty(participant.registrant_id),
    customerKey: nonEmpty(participant.customer_key),
  });
}

function describeLeave(leaveReason: string | undefined): Partial<PresenceEvent> {
  if (!leaveReason) return {};
  return withoutUndefined({
    leaveReason,
    connectionLost: CONNECTION_LOST.test(leaveReason) ? true : undefined,
    breakout: BREAKOUT_ROOM.test(leaveReason) ? true : undefined,
  });
}

/** Zoom gives no event id that survives a retry, so a fact is named by what it says. */
function dedupeKey(delivery: ZoomEnvelope, personKey: string, occurredAt: Date): string {
  const { account_id: accountId, object } = delivery.payload;
  const parts = ['zoom', accountId, object.uuid, personKey, delivery.event, occurredAt.toISOString()];
  return createHash('sha256').update(parts.join('|'), 'utf8').digest('hex');
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value.trim() === '' ? undefined : value;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function invalid(error: z.ZodError): ZoomNormalizeResult {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return { type: 'invalid', issues };
}
