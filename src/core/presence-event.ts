/**
 * One normalized fact about presence in a meeting. Every platform adapter (Zoom webhooks, Teams
 * meeting activities, Slack huddles) turns its own payloads into this shape; nothing downstream
 * knows which platform a fact came from except through `platform`.
 */
export type Platform = 'zoom' | 'teams' | 'slack' | 'sms';

export type PresenceKind =
  | 'meeting_started'
  | 'meeting_ended'
  | 'joined'
  | 'left'
  | 'waiting_room_entered'
  | 'waiting_room_left'
  | 'admitted';

/** How a platform names the person behind an event; every field may be missing. */
export interface PresencePerson {
  /** Stable for this person within one meeting instance (Zoom participant_uuid, else user_id). */
  key: string;
  displayName?: string;
  email?: string;
  /** The platform account's user id (Zoom `id`/`participant_user_id`, Teams AAD object id, Slack user id). */
  userId?: string;
  registrantId?: string;
  customerKey?: string;
  /** Set only on facts staff entered for a participant (a back-filled session's presence): who, without matching. */
  participantId?: string;
}

export interface PresenceEvent {
  platform: Platform;
  kind: PresenceKind;
  /** The time the platform says the fact happened (join_time, leave_time, date_time), never arrival time. */
  occurredAt: Date;
  /** The meeting as a schedule knows it: Zoom meeting number, Teams meeting id, Slack channel id. */
  meetingId: string;
  /** This occurrence of the meeting (Zoom meeting UUID). */
  meetingInstanceId?: string;
  /** The platform account the event came from (Zoom account_id, Teams tenant, Slack team). */
  accountId?: string;
  person?: PresencePerson;
  /** The platform's free-text reason for a leave, kept as a hint. */
  leaveReason?: string;
  /** The platform says the connection dropped rather than the person leaving. */
  connectionLost?: boolean;
  /** A move into or between breakout rooms: the person is still in the session. */
  breakout?: boolean;
  /** Unique per fact across retries of the same delivery: duplicates share it. */
  dedupeKey: string;
}
