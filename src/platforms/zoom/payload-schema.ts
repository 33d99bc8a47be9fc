import { z } from 'zod';

/*
 * Zoom's meeting webhooks, in Zoom's own field names. Lenient where Zoom is inconsistent (ids are
 * strings in most events and numbers in some; identity fields are often empty; fields come and go,
 * so unknown ones pass through), strict where our logic depends on a value (event name, times).
 */

/** An identifier Zoom sends as a string or a number; always a string after parsing. */
const zoomId = z.union([z.string(), z.number().int().nonnegative()]).transform(String);

/** Free text or an id Zoom may leave empty, omit or (rarely) null. */
const optionalText = z.string().nullish();
const optionalId = zoomId.nullish();

/** ISO-8601 as Zoom writes it (`2026-12-01T23:00:00Z`); offsets accepted, empty treated as absent. */
export const zoomTime = z.iso.datetime({ offset: true });
const optionalTime = z.union([zoomTime, z.literal('')]).nullish();

export const zoomParticipantSchema = z.looseObject({
  /** Per meeting; changes on every rejoin and every breakout-room move. */
  user_id: optionalId,
  user_name: optionalText,
  /** Zoom user id of a signed-in user; empty for everyone else. */
  id: optionalId,
  participant_user_id: optionalId,
  /** Per connection: survives breakout moves, but a full leave and rejoin gets a new one. */
  participant_uuid: optionalId,
  /** Breakout-room events only: the `user_id` this person has in the main room. */
  parent_user_id: optionalId,
  email: optionalText,
  join_time: optionalTime,
  leave_time: optionalTime,
  /** Free text, e.g. `left the meeting. Reason : left the meeting to join breakout room`. */
  leave_reason: optionalText,
  /** Waiting-room events carry this instead of join/leave times. */
  date_time: optionalTime,
  registrant_id: optionalId,
  customer_key: optionalText,
  phone_number: optionalText,
});

export const zoomMeetingObjectSchema = z.looseObject({
  /** The meeting number a schedule knows; repeats for every occurrence of a recurring meeting. */
  id: zoomId.refine((id) => id !== '', 'must not be empty'),
  /** This occurrence of the meeting. */
  uuid: z.string().min(1),
  host_id: optionalText,
  topic: optionalText,
  type: z.number().int().nullish(),
  start_time: optionalTime,
  end_time: optionalTime,
  duration: z.number().nullish(),
  timezone: optionalText,
  /** Breakout-room events only; `uuid` stays the main meeting's. */
  breakout_room_uuid: optionalText,
  participant: zoomParticipantSchema.optional(),
});

export const zoomEnvelopeSchema = z.looseObject({
  event: z.string().min(1),
  /** Milliseconds since the epoch. */
  event_ts: z.number().int().nonnegative(),
  payload: z.looseObject({
    account_id: z.string(),
    object: zoomMeetingObjectSchema,
  }),
});

export const zoomUrlValidationSchema = z.looseObject({
  event: z.literal('endpoint.url_validation'),
  event_ts: z.number().int().nonnegative().optional(),
  payload: z.looseObject({ plainToken: z.string().min(1) }),
});

/** Just enough to route a delivery: every Zoom webhook has an event name. */
export const zoomEventNameSchema = z.looseObject({ event: z.string().min(1) });

export type ZoomParticipant = z.output<typeof zoomParticipantSchema>;
export type ZoomMeetingObject = z.output<typeof zoomMeetingObjectSchema>;
export type ZoomEnvelope = z.output<typeof zoomEnvelopeSchema>;
export type ZoomUrlValidationRequest = z.output<typeof zoomUrlValidationSchema>;
