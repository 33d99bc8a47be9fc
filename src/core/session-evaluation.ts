import { evaluateAttendance, type AttendanceResult } from './attendance.js';
import type { SessionFacts } from './attendance-types.js';
import { decideAlerts, type DesiredAlert } from './alert-decisions.js';
import { matchIdentity, type ExpectedParticipant, type MatchedBy } from './identity-match.js';
import type { Policy } from './policy.js';
import type { Platform, PresenceEvent } from './presence-event.js';

export interface SessionEvaluationInput {
  platform: Platform;
  startsAt: Date;
  endsAt: Date;
  events: PresenceEvent[];
  expected: ExpectedParticipant[];
  excusedIds: ReadonlySet<string>;
  madeUpIds?: ReadonlySet<string>;
  policy: Policy;
  now: Date;
  /** Evaluate as final (the session is over): no_show, short_stay. */
  final: boolean;
  /**
   * `history`: entered after it ended (a back-filled record): no live alert (Not joined, Late join,
   * Left early, Waiting room, Unrecognized participant), only what a record says afterwards.
   * `imported`: created from an imported report: no alert at all (the import posts one summary).
   */
  recorded?: 'history' | 'imported';
}

export interface SessionEvaluation {
  facts: SessionFacts;
  participants: { participantId: string; result: AttendanceResult; matchedBy: MatchedBy[] }[];
  unmatched: { personKey: string; displayName: string | null }[];
  desired: DesiredAlert[];
  /** The earliest future instant at which evaluating again could change something, if any. */
  nextWakeAt: Date | null;
}

/** Entered after it ended (back-filled, imported): its record is kept, nothing live is said about it. */
export const isHistory = (session: { createdAt: Date; endsAt: Date }) => session.createdAt.getTime() >= session.endsAt.getTime();

/** How a session was entered, for the rules above: live, history, or imported from a report. */
export function recordedAs(session: { createdAt: Date; endsAt: Date; importedAt: Date | null }): SessionEvaluationInput['recorded'] {
  return session.importedAt ? 'imported' : isHistory(session) ? 'history' : undefined;
}

/** Alerts that only make sense while a session runs: staff could still act in the meeting. */
const LIVE_KINDS = new Set<string>(['not_joined', 'late_join', 'left_early', 'waiting_room', 'unrecognized_participant']);

/**
 * A whole session at `now`: who each platform person is, each expected participant's attendance,
 * and which alerts should exist. Pure; the services load the facts and store the answer.
 */
export function evaluateSession(input: SessionEvaluationInput): SessionEvaluation {
  const { events, expected, policy, now } = input;
  const started = events.filter((e) => e.kind === 'meeting_started').map((e) => e.occurredAt.getTime());
  const ended = events.filter((e) => e.kind === 'meeting_ended').map((e) => e.occurredAt.getTime());
  const facts: SessionFacts = { startsAt: input.startsAt, endsAt: input.endsAt, final: input.final };
  if (started.length > 0) facts.startedAt = new Date(Math.min(...started));
  // A meeting can be started again after it ended; only an end after the last start counts.
  const lastEnd = ended.length > 0 ? Math.max(...ended) : undefined;
  if (lastEnd !== undefined && (started.length === 0 || lastEnd >= Math.max(...started))) facts.endedAt = new Date(lastEnd);

  // Match each platform person once (by their key) and route all their events to one participant.
  const eventsByParticipant = new Map<string, PresenceEvent[]>();
  const matchedBy = new Map<string, Set<MatchedBy>>();
  const unmatched = new Map<string, { personKey: string; displayName: string | null }>();
  // Each distinct way a person is named is matched once, not once per event (hundreds per session).
  const matches = new Map<string, ReturnType<typeof matchIdentity>>();
  for (const event of events) {
    if (!event.person) continue;
    const naming = JSON.stringify(event.person);
    if (!matches.has(naming)) matches.set(naming, matchIdentity(input.platform, event.person, expected));
    const match = matches.get(naming)!;
    if (match) {
      eventsByParticipant.set(match.participantId, [...(eventsByParticipant.get(match.participantId) ?? []), event]);
      matchedBy.set(match.participantId, (matchedBy.get(match.participantId) ?? new Set()).add(match.by));
    } else if (event.kind === 'joined' && !event.breakout) {
      // Only someone who got into the meeting needs naming; waiting-room-only strangers are the host's to admit.
      unmatched.set(event.person.key, { personKey: event.person.key, displayName: event.person.displayName ?? null });
    }
  }
  // One person reconnecting arrives under a new key each time: name them once.
  const seenNames = new Set<string>();
  const unmatchedPeople = [...unmatched.values()].filter((person) => {
    const name = person.displayName?.trim().toLowerCase();
    if (!name) return true;
    if (seenNames.has(name)) return false;
    seenNames.add(name);
    return true;
  });

  const participants = expected.map((participant) => ({
    participantId: participant.participantId,
    result: evaluateAttendance(
      facts,
      {
        participantId: participant.participantId,
        events: eventsByParticipant.get(participant.participantId) ?? [],
        excused: input.excusedIds.has(participant.participantId),
        madeUp: input.madeUpIds?.has(participant.participantId) ?? false,
      },
      policy,
      now,
    ),
    matchedBy: [...(matchedBy.get(participant.participantId) ?? [])],
  }));
  const all = input.recorded === 'imported' ? [] : decideAlerts({ session: facts, policy, now, participants, unmatched: unmatchedPeople });
  const desired = input.recorded === 'history' ? all.filter((a) => !LIVE_KINDS.has(a.kind)) : all;
  const wakeTimes = participants.flatMap((p) => p.result.wakeAt.map((d) => d.getTime())).filter((t) => t > now.getTime());
  if (!input.final && input.endsAt > now) wakeTimes.push(input.endsAt.getTime());
  return {
    facts,
    participants,
    unmatched: unmatchedPeople,
    desired,
    nextWakeAt: wakeTimes.length > 0 ? new Date(Math.min(...wakeTimes)) : null,
  };
}
