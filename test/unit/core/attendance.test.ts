import { describe, expect, it } from 'vitest';
import { evaluateAttendance, waitingAlertDueAt } from '../../../src/core/attendance.js';
import type { AttendanceFlag, AttendanceStatus, ParticipantFacts, SessionFacts } from '../../../src/core/attendance-types.js';
import { resolvePolicy } from '../../../src/core/policy.js';
import type { PresenceEvent, PresenceKind } from '../../../src/core/presence-event.js';

/** `10:05` or `10:05:30` on the session's day, UTC. */
const at = (time: string) => new Date(`2026-03-02T${time.length === 5 ? `${time}:00` : time}Z`);
let seq = 0;
function ev(kind: PresenceKind, time: string, extra: Partial<PresenceEvent> & { key?: string } = {}): PresenceEvent {
  const { key = 'laptop', ...rest } = extra;
  return { platform: 'zoom', kind, occurredAt: at(time), meetingId: '8123', person: { key }, dedupeKey: `d${seq++}`, ...rest };
}
const policy = resolvePolicy();

interface Case {
  name: string;
  events?: PresenceEvent[];
  now: string;
  session?: Partial<SessionFacts>;
  participant?: Partial<ParticipantFacts>;
  status: AttendanceStatus;
  flags?: AttendanceFlag[];
}

function evaluate({ events = [], now, session, participant }: Omit<Case, 'name' | 'status'>) {
  const facts: SessionFacts = { startsAt: at('10:00'), endsAt: at('11:00'), final: false, ...session };
  return evaluateAttendance(facts, { participantId: 'p1', events, excused: false, madeUp: false, ...participant }, policy, at(now));
}

const stay = (from: string, to?: string) => [ev('joined', from), ...(to ? [ev('left', to)] : [])];
const final = { final: true };

const statusCases: Case[] = [
  // late: first join strictly after S + 5 min
  { name: 'join 1 s before the late threshold is on time', events: stay('10:04:59'), now: '10:30', status: 'present', flags: [] },
  { name: 'join exactly at the late threshold is on time', events: stay('10:05'), now: '10:30', status: 'present', flags: [] },
  { name: 'join 1 s after the late threshold is late', events: stay('10:05:01'), now: '10:30', status: 'late', flags: ['late'] },
  { name: 'join after the no-show threshold is late, not not_joined', events: stay('10:20'), now: '10:30', status: 'late', flags: ['late'] },
  { name: 'join before the scheduled start is on time', events: stay('09:50'), now: '10:30', status: 'present' },
  // not_joined: no join by S + 15 min (at exactly that instant it is not_joined)
  { name: 'no join 1 s before the no-show threshold is pending', now: '10:14:59', status: 'pending', flags: [] },
  { name: 'no join exactly at the no-show threshold is not_joined', now: '10:15', status: 'not_joined', flags: [] },
  { name: 'no join 1 s after the no-show threshold is not_joined', now: '10:15:01', status: 'not_joined' },
  { name: 'a join after the end is no join', events: stay('11:05'), now: '11:10', status: 'not_joined' },
  // before S'
  { name: 'before the start: pending even if already in', events: stay('09:55'), now: '09:58', status: 'pending' },
  { name: 'before the start: excused stays excused', now: '09:58', participant: { excused: true }, status: 'excused' },
  { name: 'before the start: a make-up stands', now: '09:58', participant: { madeUp: true }, status: 'made_up' },
  // host started late: S' = 10:10
  { name: 'host late: join at S\' + 5 is on time', events: stay('10:15'), now: '10:30', session: { startedAt: at('10:10') }, status: 'present' },
  { name: 'host late: join at S\' + 5 min + 1 s is late', events: stay('10:15:01'), now: '10:30', session: { startedAt: at('10:10') }, status: 'late', flags: ['late'] },
  { name: 'host late: no join at S + 15 is still pending', now: '10:20', session: { startedAt: at('10:10') }, status: 'pending' },
  { name: 'host late: no join at S\' + 15 is not_joined', now: '10:25', session: { startedAt: at('10:10') }, status: 'not_joined' },
  { name: 'host late: before the host starts it is pending', now: '10:05', session: { startedAt: at('10:10') }, status: 'pending' },
  { name: 'host started early: thresholds stay on the schedule', events: stay('10:05:01'), now: '10:30', session: { startedAt: at('09:50') }, status: 'late' },
  // final
  { name: 'final: never joined is no_show', now: '11:05', session: final, status: 'no_show', flags: [] },
  { name: 'final: joined after the end is no_show', events: stay('11:01', '11:10'), now: '11:15', session: final, status: 'no_show' },
  { name: 'final: a stay before the start only is no_show', events: stay('09:40', '09:50'), now: '11:05', session: final, status: 'no_show' },
  { name: 'final: a leave with no join is attendance from the start', events: [ev('left', '10:50')], now: '11:05', session: final, status: 'present', flags: [] },
  // precedence: excused > made_up > no_show/not_joined > late > present
  { name: 'excused beats no_show', now: '11:05', session: final, participant: { excused: true }, status: 'excused', flags: [] },
  { name: 'made_up beats no_show', now: '11:05', session: final, participant: { madeUp: true }, status: 'made_up' },
  { name: 'excused beats made_up', now: '11:05', session: final, participant: { excused: true, madeUp: true }, status: 'excused' },
  { name: 'made_up beats not_joined', now: '10:30', participant: { madeUp: true }, status: 'made_up' },
  { name: 'excused beats late, and drops the late flag', events: stay('10:20'), now: '10:30', participant: { excused: true }, status: 'excused', flags: [] },
  { name: 'excused keeps descriptive flags', events: [ev('joined', '10:20'), ev('left', '10:30', { connectionLost: true }), ev('joined', '10:31')], now: '10:40', participant: { excused: true }, status: 'excused', flags: ['reconnected', 'connection_lost'] },
];

describe('evaluateAttendance: status', () => {
  it.each(statusCases)('$name', (c) => {
    const result = evaluate(c);
    expect(result.status).toBe(c.status);
    if (c.flags) expect(result.flags).toEqual(c.flags);
  });
});

// E' − leftEarlyMinutes is 10:50 for a session ending 11:00.
const flagCases: Omit<Case, 'status'>[] = [
  { name: 'left 1 s before E − 10 is left early (final)', events: stay('10:00', '10:49:59'), now: '11:05', session: final, flags: ['left_early'] },
  { name: 'left exactly at E − 10 is not left early', events: stay('10:00', '10:50'), now: '11:05', session: final, flags: [] },
  { name: 'left 1 s after E − 10 is not left early', events: stay('10:00', '10:50:01'), now: '11:05', session: final, flags: [] },
  { name: 'live: not yet left early while the rejoin window is open', events: stay('10:00', '10:30'), now: '10:34:59', flags: [] },
  { name: 'live: left early once the rejoin window has closed', events: stay('10:00', '10:30'), now: '10:35', flags: ['left_early'] },
  { name: 'back within the window: one stay, reconnected', events: [...stay('10:00', '10:30'), ev('joined', '10:35')], now: '10:40', flags: ['reconnected'] },
  { name: 'back after the window: not left early (came back)', events: [...stay('10:00', '10:30'), ev('joined', '10:35:01')], now: '10:40', flags: [] },
  { name: 'a dropped connection with no return: left early, connection lost', events: [ev('joined', '10:00'), ev('left', '10:30', { connectionLost: true })], now: '10:40', flags: ['left_early', 'connection_lost'] },
  { name: 'reconnect after a dropped connection', events: [ev('joined', '10:00'), ev('left', '10:30', { connectionLost: true }), ev('joined', '10:32')], now: '10:40', flags: ['reconnected', 'connection_lost'] },
  { name: 'host ended early: leaving with the meeting\'s end is not left early', events: stay('10:00', '10:40'), now: '10:45', session: { endedAt: at('10:40') }, flags: [] },
  { name: 'host ended early: no leave event, the meeting ended with them in it', events: stay('10:00'), now: '10:45', session: { endedAt: at('10:40'), final: true }, flags: [] },
  { name: 'host ended early: left 1 s before E\' − 10', events: stay('10:00', '10:29:59'), now: '10:45', session: { endedAt: at('10:40'), final: true }, flags: ['left_early', 'short_stay'] },
  { name: 'a breakout move is not leaving', events: [ev('joined', '10:00'), ev('left', '10:20', { breakout: true })], now: '10:40', flags: [] },
  // short_stay: < 75 % of 60 min = 45 min, final only
  { name: 'present 45 min exactly is not a short stay', events: stay('10:15', '11:00'), now: '11:05', session: final, flags: ['late'] },
  { name: 'present 1 s under 45 min is a short stay', events: stay('10:15:01', '11:00'), now: '11:05', session: final, flags: ['late', 'short_stay'] },
  { name: 'present 1 s over 45 min is not', events: stay('10:14:59', '11:00'), now: '11:05', session: final, flags: ['late'] },
  { name: 'a short stay is only judged at the end', events: stay('10:15:01', '10:55'), now: '10:56', flags: ['late'] },
  { name: 'host ended early: 75 % of the 40 min it ran', events: stay('10:00', '10:30'), now: '10:45', session: { endedAt: at('10:40'), final: true }, flags: [] },
  { name: 'host started late: 75 % of the 50 min it ran', events: stay('10:10', '10:47:29'), now: '11:05', session: { startedAt: at('10:10'), final: true }, flags: ['left_early', 'short_stay'] },
  // waiting_room: waited 2 min or more
  { name: 'waited 1 s under 2 min', events: [ev('waiting_room_entered', '10:01'), ev('admitted', '10:02:59'), ev('joined', '10:03')], now: '10:30', flags: [] },
  { name: 'waited exactly 2 min', events: [ev('waiting_room_entered', '10:01'), ev('admitted', '10:03'), ev('joined', '10:03')], now: '10:30', flags: ['waiting_room'] },
  { name: 'waited 1 s over 2 min', events: [ev('waiting_room_entered', '10:01'), ev('admitted', '10:03:01'), ev('joined', '10:03:01')], now: '10:30', flags: ['waiting_room'] },
  { name: 'still waiting over the threshold', events: [ev('waiting_room_entered', '10:01')], now: '10:04', flags: ['waiting_room'] },
];

describe('evaluateAttendance: flags', () => {
  it.each(flagCases)('$name', (c) => {
    expect(evaluate(c).flags).toEqual(c.flags);
  });
});

describe('evaluateAttendance: minutes and times', () => {
  it('reports live minutes so far', () => {
    expect(evaluate({ events: stay('10:02'), now: '10:32:30' })).toMatchObject({ minutesPresent: 30, msPresent: 30.5 * 60_000, presentNow: true, firstJoinAt: at('10:02'), lastLeaveAt: null });
  });

  it('reports the meeting\'s end as the last leave of people still in it', () => {
    expect(evaluate({ events: stay('10:02'), now: '11:30', session: { endedAt: at('10:58'), final: true } })).toMatchObject({ minutesPresent: 56, presentNow: false, lastLeaveAt: at('10:58') });
  });

  it('reports when a wait began', () => {
    expect(evaluate({ events: [ev('waiting_room_entered', '10:01')], now: '10:02' }).waitingSince).toEqual(at('10:01'));
    expect(evaluate({ events: [ev('waiting_room_entered', '10:01'), ev('admitted', '10:02')], now: '10:03' }).waitingSince).toBeUndefined();
  });

  it('counts a wait from the scheduled start', () => {
    const facts: SessionFacts = { startsAt: at('10:00'), endsAt: at('11:00'), final: false };
    expect(waitingAlertDueAt(at('09:55'), facts, policy)).toEqual(at('10:02'));
    expect(waitingAlertDueAt(at('10:10'), facts, policy)).toEqual(at('10:12'));
  });
});

describe('evaluateAttendance: wakeAt', () => {
  it.each([
    { name: 'before the start, nobody in: the no-show threshold and the end', now: '09:50', wake: ['10:15', '11:00'] },
    { name: 'before the start, already in: the start and the end', events: stay('09:55'), now: '09:58', wake: ['10:00', '11:00'] },
    { name: 'exactly at the no-show threshold it is no longer in the future', now: '10:15', wake: ['11:00'] },
    { name: 'host late: the threshold moves with the start', now: '10:12', session: { startedAt: at('10:10') }, wake: ['10:25', '11:00'] },
    { name: 'a pending leave: its window\'s close', events: stay('10:00', '10:30'), now: '10:31', wake: ['10:35', '11:00'] },
    { name: 'a leave near the end cannot be left early: no window wake', events: stay('10:00', '10:52'), now: '10:53', wake: ['11:00'] },
    { name: 'waiting: the waiting-room threshold', events: [ev('waiting_room_entered', '10:10')], now: '10:11', wake: ['10:12', '10:15', '11:00'] },
    { name: 'excused: nothing but the end', now: '09:50', participant: { excused: true }, wake: ['11:00'] },
    { name: 'final: nothing', now: '11:05', session: final, wake: [] },
    { name: 'host ended early: nothing is in the future', events: stay('10:00'), now: '10:45', session: { endedAt: at('10:40') }, wake: [] },
  ])('$name', ({ wake, ...c }) => {
    expect(evaluate(c).wakeAt).toEqual(wake.map(at));
  });
});
