import type { PresenceEvent } from './presence-event.js';

export type AttendanceStatus = 'present' | 'late' | 'not_joined' | 'no_show' | 'excused' | 'made_up' | 'pending';

export type AttendanceFlag =
  | 'late'
  | 'left_early'
  | 'short_stay'
  | 'reconnected'
  | 'connection_lost'
  | 'waiting_room'
  | 'unmatched_identity';

/** What is known of one session when it is evaluated. */
export interface SessionFacts {
  startsAt: Date;
  endsAt: Date;
  /** When the platform said the meeting started (host started it), if it did. */
  startedAt?: Date;
  /** When the platform said the meeting ended, if it did. */
  endedAt?: Date;
  /** True once the session is being finalized: live statuses become final ones. */
  final: boolean;
}

/** One expected participant's facts: their own presence events (any order, any device) and absences. */
export interface ParticipantFacts {
  participantId: string;
  events: PresenceEvent[];
  /** An absence was reported and accepted, or staff marked the session excused. */
  excused: boolean;
  /** The participant attended a make-up session that stands for this one. */
  madeUp: boolean;
}
