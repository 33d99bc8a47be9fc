import type { AlertDetail, AlertResolution } from './alert-detail.js';
import type { AlertKind } from './alert-kinds.js';
import { requiredMs, waitingAlertDueAt, type AttendanceResult } from './attendance.js';
import type { SessionFacts } from './attendance-types.js';
import type { Policy } from './policy.js';
import { effectiveWindow, MINUTE_MS } from './presence.js';

/** Kinds on one topic replace each other in ONE chat message, edited in place. */
export type AlertTopic = 'arrival' | 'departure' | 'short_stay' | 'waiting_room' | 'identity';
export type SessionAlertKind = Extract<AlertKind, 'not_joined' | 'late_join' | 'no_show' | 'left_early' | 'short_stay' | 'waiting_room' | 'unrecognized_participant'>;

export interface DesiredAlert {
  topic: AlertTopic;
  /** The participant id, or `unmatched:<personKey>` for someone not recognized. */
  subjectKey: string;
  kind: SessionAlertKind;
  participantId?: string;
  detail: AlertDetail;
}

/** An alert as stored: (session, subjectKey, topic) is unique. */
export interface ExistingAlert {
  topic: string;
  subjectKey: string;
  kind: string;
  detail: unknown;
  /** `active` or `resolved`. */
  state: string;
}

export interface DecideAlertsInput {
  session: SessionFacts;
  policy: Policy;
  now: Date;
  participants: { participantId: string; result: AttendanceResult }[];
  unmatched: { personKey: string; displayName?: string | null }[];
  /** Candidates for an unmatched joiner; by default the expected participants who have not joined. */
  absentParticipantIds?: string[];
}

export interface ReconcileResult<E extends ExistingAlert> {
  create: DesiredAlert[];
  /** Active alerts whose kind or detail changed: edit the message in place. */
  update: { existing: E; desired: DesiredAlert }[];
  /**
   * Resolved alerts wanted again (a second wait in the waiting room): the row is reused, since the
   * key is unique, but the old message sits far up the channel, so a fresh post is better than an edit.
   */
  reopen: { existing: E; desired: DesiredAlert }[];
  /** Active alerts no longer wanted. */
  resolve: E[];
}

/** The alerts that should exist for a session at `now`, one per (subject, topic). */
export function decideAlerts(input: DecideAlertsInput): DesiredAlert[] {
  const { session, participants, unmatched } = input;
  // A meeting nobody is in and the platform never reported starting is the host's or the
  // schedule's problem: one "Not joined" per participant would bury the channel.
  const meetingRan =
    session.startedAt !== undefined || session.endedAt !== undefined || unmatched.length > 0 || participants.some((p) => p.result.firstJoinAt !== null);
  const alerts = participants.flatMap(({ participantId, result }) => participantAlerts(input, participantId, result, meetingRan));
  const candidates =
    input.absentParticipantIds ??
    // Those who never joined: stable while people come and go, and still right once the session is over.
    participants.filter((p) => p.result.firstJoinAt === null && p.result.status !== 'excused' && p.result.status !== 'made_up').map((p) => p.participantId);
  for (const person of unmatched) {
    alerts.push({
      topic: 'identity',
      subjectKey: `unmatched:${person.personKey}`,
      kind: 'unrecognized_participant',
      detail: { displayName: person.displayName ?? null, candidateParticipantIds: [...candidates] },
    });
  }
  return alerts;
}

function participantAlerts(input: DecideAlertsInput, participantId: string, result: AttendanceResult, meetingRan: boolean): DesiredAlert[] {
  const { session, policy, now } = input;
  const { start } = effectiveWindow(session);
  const alerts: DesiredAlert[] = [];
  const add = (topic: AlertTopic, kind: SessionAlertKind, detail: AlertDetail) => alerts.push({ topic, subjectKey: participantId, kind, participantId, detail });

  if (result.status === 'not_joined' && meetingRan) {
    add('arrival', 'not_joined', { noJoinBy: iso(start.getTime() + policy.noShowAfterMinutes * MINUTE_MS) });
  } else if (result.status === 'no_show' && meetingRan) {
    add('arrival', 'no_show', {});
  } else if (result.status === 'late' && result.firstJoinAt) {
    const minutesLate = Math.floor((result.firstJoinAt.getTime() - start.getTime()) / MINUTE_MS);
    add('arrival', 'late_join', { joinedAt: result.firstJoinAt.toISOString(), minutesLate });
  }
  if (result.flags.includes('left_early') && result.lastLeaveAt) {
    add('departure', 'left_early', { leftAt: result.lastLeaveAt.toISOString() });
  }
  if (result.flags.includes('short_stay')) {
    const { start: from, end } = effectiveWindow(session);
    add('short_stay', 'short_stay', {
      minutesPresent: result.minutesPresent,
      requiredMinutes: Math.ceil(requiredMs(session, policy) / MINUTE_MS),
      sessionMinutes: Math.floor(Math.max(0, end.getTime() - from.getTime()) / MINUTE_MS),
    });
  }
  // Only a wait going on now: once admitted, the alert has done its job.
  if (!session.final && result.waitingSince && now >= waitingAlertDueAt(result.waitingSince, session, policy)) {
    add('waiting_room', 'waiting_room', { waitingSince: result.waitingSince.toISOString() });
  }
  return alerts;
}

/** Why an alert that is no longer wanted went away, for its resolved message. */
export function explainResolution(alert: Pick<ExistingAlert, 'topic' | 'subjectKey'>, input: DecideAlertsInput): AlertResolution {
  if (alert.topic === 'identity') return 'identified';
  const result = input.participants.find((p) => p.participantId === alert.subjectKey)?.result;
  if (!result) return 'no_longer_applies';
  if (result.status === 'excused') return 'excused';
  if (result.status === 'made_up') return 'made_up';
  switch (alert.topic) {
    case 'arrival':
      return result.firstJoinAt ? 'arrived' : 'no_longer_applies';
    case 'departure':
      return result.presentNow ? 'returned' : 'no_longer_applies';
    case 'waiting_room': {
      if (result.presentNow || result.admittedFromWaitingRoom) return 'admitted';
      const { end } = effectiveWindow(input.session);
      return input.session.final || input.now >= end ? 'session_ended' : 'left_waiting_room';
    }
    default:
      return 'no_longer_applies';
  }
}

/** What to create, edit, reopen and resolve so that the stored alerts match the desired ones. Running it on its own output finds nothing to do. */
export function reconcileAlerts<E extends ExistingAlert>(desired: DesiredAlert[], existing: E[]): ReconcileResult<E> {
  const key = (a: { topic: string; subjectKey: string }) => `${a.topic}\u0000${a.subjectKey}`;
  const stored = new Map(existing.map((alert) => [key(alert), alert]));
  const wanted = new Map<string, DesiredAlert>();
  for (const alert of desired) if (!wanted.has(key(alert))) wanted.set(key(alert), alert);

  const result: ReconcileResult<E> = { create: [], update: [], reopen: [], resolve: [] };
  for (const [k, alert] of wanted) {
    const current = stored.get(k);
    if (!current) result.create.push(alert);
    else if (current.state === 'resolved') result.reopen.push({ existing: current, desired: alert });
    else if (current.kind !== alert.kind || !sameJson(current.detail, alert.detail)) result.update.push({ existing: current, desired: alert });
  }
  for (const [k, alert] of stored) {
    if (!wanted.has(k) && alert.state !== 'resolved') result.resolve.push(alert);
  }
  return result;
}

/** Equal as JSON, whatever the key order: PostgreSQL's jsonb does not keep it. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((k) => left[k] !== undefined);
  return keys.length === Object.keys(right).filter((k) => right[k] !== undefined).length && keys.every((k) => sameJson(left[k], right[k]));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
