import type { AttendanceFlag, AttendanceStatus, ParticipantFacts, SessionFacts } from './attendance-types.js';
import type { Policy } from './policy.js';
import { buildPresence, effectiveWindow, MINUTE_MS, type Presence } from './presence.js';

export interface AttendanceResult {
  status: AttendanceStatus;
  /** In a fixed order: late, left_early, short_stay, reconnected, connection_lost, waiting_room. */
  flags: AttendanceFlag[];
  /** Whole minutes present so far (live) or in all (final). */
  minutesPresent: number;
  /** The same at millisecond precision, so weekly totals do not lose a minute per session. */
  msPresent: number;
  firstJoinAt: Date | null;
  lastLeaveAt: Date | null;
  presentNow: boolean;
  /** In the waiting room now, since this instant (as the platform reported it). */
  waitingSince?: Date;
  /** The latest wait in the waiting room ended with admission. */
  admittedFromWaitingRoom: boolean;
  /** Future instants at which evaluating again could change the outcome, earliest first. */
  wakeAt: Date[];
}

/**
 * One participant's attendance for one session, as it stands at `now`. Pure and level-triggered:
 * evaluating the same facts again gives the same answer.
 */
export function evaluateAttendance(session: SessionFacts, participant: ParticipantFacts, policy: Policy, now: Date): AttendanceResult {
  const presence = buildPresence(participant.events, session, policy, now);
  const status = decideStatus(session, participant, policy, presence, now);
  // An excuse or a make-up covers the session: judgments of it (late, left early, short) would only
  // feed strikes it has already answered. Descriptive flags stay.
  const judged = status === 'present' || status === 'late';
  const flags = new Set<AttendanceFlag>();
  if (status === 'late') flags.add('late');
  if (judged && isLeftEarly(session, policy, presence, now)) flags.add('left_early');
  if (judged && session.final && presence.msPresent < requiredMs(session, policy)) flags.add('short_stay');
  if (presence.reconnected) flags.add('reconnected');
  if (presence.connectionLost) flags.add('connection_lost');
  const longestWait = presence.waitingRoom.longest?.msWaited ?? 0;
  // At exactly the threshold the wait counts, as a no-show does at exactly its threshold.
  if (longestWait > 0 && longestWait >= policy.waitingRoomAlertMinutes * MINUTE_MS) flags.add('waiting_room');

  const result: AttendanceResult = {
    status,
    flags: FLAG_ORDER.filter((flag) => flags.has(flag)),
    minutesPresent: presence.minutesPresent,
    msPresent: presence.msPresent,
    firstJoinAt: presence.firstJoinAt,
    lastLeaveAt: presence.lastLeaveAt,
    presentNow: presence.presentNow,
    admittedFromWaitingRoom: presence.waitingRoom.stays.at(-1)?.admitted ?? false,
    wakeAt: wakeTimes(session, participant, policy, presence, now),
  };
  const waiting = presence.waitingRoom.current;
  if (waiting) result.waitingSince = waiting.enteredAt;
  return result;
}

/** When a wait that began at `waitingSince` becomes one facilitators should hear about. */
export function waitingAlertDueAt(waitingSince: Date, session: SessionFacts, policy: Policy): Date {
  const countedFrom = Math.max(waitingSince.getTime(), session.startsAt.getTime());
  return new Date(countedFrom + policy.waitingRoomAlertMinutes * MINUTE_MS);
}

const FLAG_ORDER: AttendanceFlag[] = ['late', 'left_early', 'short_stay', 'reconnected', 'connection_lost', 'waiting_room', 'unmatched_identity'];

function decideStatus(session: SessionFacts, participant: ParticipantFacts, policy: Policy, presence: Presence, now: Date): AttendanceStatus {
  if (participant.excused) return 'excused';
  if (participant.madeUp) return 'made_up';
  const { start } = effectiveWindow(session);
  if (!session.final && now < start) return 'pending';
  if (!presence.firstJoinAt) {
    if (session.final) return 'no_show';
    return now.getTime() >= start.getTime() + policy.noShowAfterMinutes * MINUTE_MS ? 'not_joined' : 'pending';
  }
  // Exactly at the threshold is on time.
  return presence.firstJoinAt.getTime() > start.getTime() + policy.lateAfterMinutes * MINUTE_MS ? 'late' : 'present';
}

/**
 * Only the last departure counts: someone who left and came back later, even after the rejoin
 * window, is not leaving early (the time away shows as a short stay instead). Live, a leave is
 * judged once its rejoin window has closed; at the end the session itself has closed it.
 */
function isLeftEarly(session: SessionFacts, policy: Policy, presence: Presence, now: Date): boolean {
  const departure = presence.lastDeparture;
  if (!departure) return false;
  const { end } = effectiveWindow(session);
  if (departure.at.getTime() >= end.getTime() - policy.leftEarlyMinutes * MINUTE_MS) return false;
  return session.final || now >= departure.rejoinWindowClosesAt;
}

/** The presence a session asks for: `minAttendancePercent` of the time it could actually be attended. */
export function requiredMs(session: SessionFacts, policy: Policy): number {
  const { start, end } = effectiveWindow(session);
  return (Math.max(0, end.getTime() - start.getTime()) * policy.minAttendancePercent) / 100;
}

function wakeTimes(session: SessionFacts, participant: ParticipantFacts, policy: Policy, presence: Presence, now: Date): Date[] {
  if (session.final) return [];
  const { start, end } = effectiveWindow(session);
  const times: number[] = [end.getTime()];
  if (!participant.excused && !participant.madeUp) {
    // Someone already in before the start becomes present at the start; someone absent, not joined at the threshold.
    if (presence.firstJoinAt) times.push(start.getTime());
    else times.push(start.getTime() + policy.noShowAfterMinutes * MINUTE_MS);
    const pending = presence.pendingLeave;
    if (pending && pending.at.getTime() < end.getTime() - policy.leftEarlyMinutes * MINUTE_MS) {
      times.push(pending.rejoinWindowClosesAt.getTime());
    }
  }
  const waiting = presence.waitingRoom.current;
  if (waiting) times.push(waitingAlertDueAt(waiting.enteredAt, session, policy).getTime());
  return [...new Set(times.filter((t) => t > now.getTime()))].sort((a, b) => a - b).map((t) => new Date(t));
}
