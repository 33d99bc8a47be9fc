import { describe, expect, it } from 'vitest';
import type { SessionFacts } from '../../../src/core/attendance-types.js';
import { resolvePolicy } from '../../../src/core/policy.js';
import type { PresenceEvent, PresenceKind } from '../../../src/core/presence-event.js';
import { buildPresence, effectiveWindow, type Presence } from '../../../src/core/presence.js';

/** `10:05` or `10:05:30` on the session's day, UTC. */
const at = (time: string) => new Date(`2026-03-02T${time.length === 5 ? `${time}:00` : time}Z`);
let seq = 0;
function ev(kind: PresenceKind, time: string, extra: Partial<PresenceEvent> & { key?: string } = {}): PresenceEvent {
  const { key = 'laptop', ...rest } = extra;
  return { platform: 'zoom', kind, occurredAt: at(time), meetingId: '8123', person: { key }, dedupeKey: `d${seq++}`, ...rest };
}
const session = (over: Partial<SessionFacts> = {}): SessionFacts => ({ startsAt: at('10:00'), endsAt: at('11:00'), final: false, ...over });
const policy = resolvePolicy();
const min = (n: number) => n * 60_000;

interface Case {
  name: string;
  events: PresenceEvent[];
  now: string;
  session?: Partial<SessionFacts>;
  expect: Partial<Omit<Presence, 'firstJoinAt' | 'lastLeaveAt'>> & { firstJoinAt?: string | null; lastLeaveAt?: string | null };
}

const reconnect = [ev('joined', '10:00'), ev('left', '10:20', { connectionLost: true }), ev('joined', '10:24'), ev('left', '10:50')];

const cases: Case[] = [
  {
    name: 'one stay inside the session',
    events: [ev('joined', '10:02'), ev('left', '10:40')],
    now: '11:30',
    expect: { msPresent: min(38), minutesPresent: 38, firstJoinAt: '10:02', lastLeaveAt: '10:40', presentNow: false, reconnected: false },
  },
  {
    name: 'a join before the scheduled start counts from the start, first join unclipped',
    events: [ev('joined', '09:50'), ev('left', '10:30')],
    now: '11:30',
    expect: { msPresent: min(30), firstJoinAt: '09:50', lastLeaveAt: '10:30' },
  },
  {
    name: 'time after the scheduled end does not count',
    events: [ev('joined', '10:30'), ev('left', '11:20')],
    now: '11:30',
    expect: { msPresent: min(30), lastLeaveAt: '11:20' },
  },
  {
    name: 'a join after the end is no join of this session',
    events: [ev('joined', '11:05')],
    now: '11:10',
    expect: { msPresent: 0, firstJoinAt: null, presentNow: false, stays: [] },
  },
  {
    name: 'a stay wholly before the start is no join of this session',
    events: [ev('joined', '09:40'), ev('left', '09:50')],
    now: '10:30',
    expect: { firstJoinAt: null, lastLeaveAt: null, msPresent: 0 },
  },
  {
    name: 'live: an open stay counts up to now',
    events: [ev('joined', '10:05')],
    now: '10:35',
    expect: { msPresent: min(30), presentNow: true, lastLeaveAt: null },
  },
  {
    name: 'live: a join before the start is present now with no minutes yet',
    events: [ev('joined', '09:55')],
    now: '09:58',
    expect: { msPresent: 0, presentNow: true, firstJoinAt: '09:55' },
  },
  {
    name: 'the meeting ended with the person in it: the stay closes at the end',
    events: [ev('joined', '10:05')],
    now: '11:30',
    session: { endedAt: at('10:45') },
    expect: { msPresent: min(40), presentNow: false, lastLeaveAt: '10:45' },
  },
  {
    name: 'the meeting runs over: still present, counting stops at the scheduled end',
    events: [ev('joined', '10:05')],
    now: '11:15',
    expect: { msPresent: min(55), presentNow: true, lastLeaveAt: null },
  },
  {
    name: 'a reconnect inside the rejoin window is one stay (the gap counts)',
    events: reconnect,
    now: '11:30',
    expect: { msPresent: min(50), reconnected: true, connectionLost: true, lastLeaveAt: '10:50' },
  },
  {
    name: 'events out of order give the same answer',
    events: [reconnect[3]!, reconnect[1]!, reconnect[2]!, reconnect[0]!],
    now: '11:30',
    expect: { msPresent: min(50), reconnected: true, connectionLost: true, firstJoinAt: '10:00', lastLeaveAt: '10:50' },
  },
  {
    name: 'a gap of exactly the rejoin window is bridged',
    events: [ev('joined', '10:00'), ev('left', '10:20'), ev('joined', '10:25'), ev('left', '10:50')],
    now: '11:30',
    expect: { msPresent: min(50), reconnected: true, connectionLost: false },
  },
  {
    name: 'a gap one second longer than the window is not',
    events: [ev('joined', '10:00'), ev('left', '10:20'), ev('joined', '10:25:01'), ev('left', '10:50')],
    now: '11:30',
    expect: { msPresent: min(50) - min(5) - 1000, reconnected: false },
  },
  {
    name: 'a gap one second shorter than the window is bridged',
    events: [ev('joined', '10:00'), ev('left', '10:20'), ev('joined', '10:24:59'), ev('left', '10:50')],
    now: '11:30',
    expect: { msPresent: min(50), reconnected: true },
  },
  {
    name: 'a leave and rejoin at the same instant is a reconnect, whatever order they are listed in',
    events: [ev('joined', '10:00'), ev('joined', '10:20'), ev('left', '10:20', { connectionLost: true })],
    now: '10:30',
    expect: { presentNow: true, msPresent: min(30), reconnected: true, connectionLost: true },
  },
  {
    name: 'a join and leave at the same instant from outside is a brief visit',
    events: [ev('left', '10:20'), ev('joined', '10:20')],
    now: '10:30',
    expect: { presentNow: false, msPresent: 0, firstJoinAt: '10:20', lastLeaveAt: '10:20', joinInferred: false },
  },
  {
    name: 'a dropped connection with no return is still reported',
    events: [ev('joined', '10:00'), ev('left', '10:30', { connectionLost: true })],
    now: '11:30',
    expect: { connectionLost: true, reconnected: false, msPresent: min(30) },
  },
  {
    name: 'two devices overlapping are counted once',
    events: [ev('joined', '10:00', { key: 'laptop' }), ev('joined', '10:30', { key: 'phone' }), ev('left', '10:40', { key: 'laptop' }), ev('left', '10:50', { key: 'phone' })],
    now: '11:30',
    expect: { msPresent: min(50), reconnected: false, lastLeaveAt: '10:50' },
  },
  {
    name: 'a second device still in keeps the person present',
    events: [ev('joined', '10:00', { key: 'laptop' }), ev('joined', '10:10', { key: 'phone' }), ev('left', '10:20', { key: 'laptop' })],
    now: '10:30',
    expect: { msPresent: min(30), presentNow: true, lastLeaveAt: null },
  },
  {
    name: 'switching devices within the window bridges the gap',
    events: [ev('joined', '10:00', { key: 'laptop' }), ev('left', '10:20', { key: 'laptop' }), ev('joined', '10:22', { key: 'phone' })],
    now: '10:30',
    expect: { msPresent: min(30), presentNow: true, reconnected: true },
  },
  {
    name: 'a leave with no join counts from the start (missed join event)',
    events: [ev('left', '10:30')],
    now: '11:30',
    expect: { msPresent: min(30), firstJoinAt: '10:00', joinInferred: true, lastLeaveAt: '10:30' },
  },
  {
    name: 'a leave with no join counts from the late start of the meeting',
    events: [ev('left', '10:30')],
    now: '11:30',
    session: { startedAt: at('10:10') },
    expect: { msPresent: min(20), firstJoinAt: '10:10', joinInferred: true },
  },
  {
    name: 'a repeated leave is a duplicate report, not a missed join',
    events: [ev('joined', '10:00'), ev('left', '10:20'), ev('left', '10:40')],
    now: '11:30',
    expect: { msPresent: min(20), lastLeaveAt: '10:20' },
  },
  {
    name: 'a breakout-room move is not leaving',
    events: [
      ev('joined', '10:00'),
      ev('left', '10:20', { breakout: true, leaveReason: 'left the meeting. Reason : left the meeting to join breakout room' }),
      ev('joined', '10:20:05', { breakout: true }),
      ev('left', '10:40', { breakout: true }),
    ],
    now: '10:45',
    expect: { msPresent: min(45), presentNow: true, reconnected: false },
  },
  {
    name: 'a breakout join whose main join was missed opens a stay',
    events: [ev('joined', '10:10', { breakout: true })],
    now: '10:20',
    expect: { msPresent: min(10), presentNow: true, firstJoinAt: '10:10' },
  },
  {
    name: 'meeting start and end events are not presence',
    events: [ev('meeting_started', '09:58'), ev('meeting_ended', '10:50')],
    now: '11:30',
    expect: { firstJoinAt: null, msPresent: 0 },
  },
  {
    name: 'milliseconds count; minutes are floored',
    events: [ev('joined', '10:00:00'), ev('left', '10:00:59')],
    now: '11:30',
    expect: { msPresent: 59_000, minutesPresent: 0 },
  },
];

const iso = (time: string | null | undefined) => (time ? at(time) : time);

describe('buildPresence', () => {
  it.each(cases)('$name', ({ events, now, session: over, expect: want }) => {
    const presence = buildPresence(events, session(over), policy, at(now));
    const { firstJoinAt, lastLeaveAt, ...rest } = want;
    expect(presence).toMatchObject(rest);
    if ('firstJoinAt' in want) expect(presence.firstJoinAt).toEqual(iso(firstJoinAt));
    if ('lastLeaveAt' in want) expect(presence.lastLeaveAt).toEqual(iso(lastLeaveAt));
  });

  it.each([
    { now: '10:22', pending: true },
    { now: '10:24:59', pending: true },
    { now: '10:25', pending: false },
  ])('a leave at 10:20 is pending until its window closes at 10:25 (now $now)', ({ now, pending }) => {
    const presence = buildPresence([ev('joined', '10:00'), ev('left', '10:20', { connectionLost: true })], session(), policy, at(now));
    expect(presence.lastDeparture).toEqual({ at: at('10:20'), connectionLost: true, rejoinWindowClosesAt: at('10:25') });
    expect(presence.pendingLeave !== undefined).toBe(pending);
  });

  it('the rejoin window never runs past the end of the session', () => {
    const presence = buildPresence([ev('joined', '10:00'), ev('left', '10:58')], session(), policy, at('10:59'));
    expect(presence.pendingLeave?.rejoinWindowClosesAt).toEqual(at('11:00'));
  });

  it('a leave caused by the meeting ending has no departure window', () => {
    const presence = buildPresence([ev('joined', '10:00')], session({ endedAt: at('10:40') }), policy, at('10:41'));
    expect(presence.lastDeparture).toBeUndefined();
    expect(presence.pendingLeave).toBeUndefined();
  });

  it('keeps the gaps it bridged', () => {
    const presence = buildPresence(reconnect, session(), policy, at('11:30'));
    expect(presence.stays).toEqual([
      { joinedAt: at('10:00'), leftAt: at('10:50'), joinInferred: false, connectionLost: false, gaps: [{ leftAt: at('10:20'), rejoinedAt: at('10:24'), connectionLost: true }] },
    ]);
  });

  it('does not flag a reconnect that happened before the session started', () => {
    const presence = buildPresence([ev('joined', '09:50'), ev('left', '09:55'), ev('joined', '09:57')], session(), policy, at('10:10'));
    expect(presence).toMatchObject({ reconnected: false, msPresent: min(10), presentNow: true });
  });
});

describe('buildPresence: waiting room', () => {
  it.each([
    { name: 'admitted ends a wait', events: [ev('waiting_room_entered', '10:01'), ev('admitted', '10:04'), ev('joined', '10:04')], now: '10:10', longest: min(3), current: undefined },
    { name: 'joined ends a wait too', events: [ev('waiting_room_entered', '10:01'), ev('joined', '10:03')], now: '10:10', longest: min(2), current: undefined },
    { name: 'leaving the waiting room ends a wait', events: [ev('waiting_room_entered', '10:01'), ev('waiting_room_left', '10:02')], now: '10:10', longest: min(1), current: undefined },
    { name: 'waiting before the scheduled start is not counted', events: [ev('waiting_room_entered', '09:55'), ev('admitted', '10:01')], now: '10:10', longest: min(1), current: undefined },
    { name: 'an open wait counts up to now', events: [ev('waiting_room_entered', '10:10')], now: '10:13', longest: min(3), current: '10:10' },
    { name: 'an open wait ends with the session', events: [ev('waiting_room_entered', '10:50')], now: '11:10', longest: min(10), current: undefined },
    { name: 'the longest of several waits', events: [ev('waiting_room_entered', '10:01'), ev('admitted', '10:02'), ev('waiting_room_entered', '10:20'), ev('admitted', '10:25')], now: '10:30', longest: min(5), current: undefined },
  ])('$name', ({ events, now, longest, current }) => {
    const { waitingRoom } = buildPresence(events, session(), policy, at(now));
    expect(waitingRoom.longest?.msWaited).toBe(longest);
    expect(waitingRoom.current?.enteredAt).toEqual(current ? at(current) : undefined);
  });

  it('records when each wait began and ended', () => {
    const { waitingRoom } = buildPresence([ev('admitted', '10:04'), ev('waiting_room_entered', '10:01')], session(), policy, at('10:10'));
    expect(waitingRoom.stays).toEqual([{ enteredAt: at('10:01'), endedAt: at('10:04'), msWaited: min(3), admitted: true }]);
  });

  it('tells an admission from leaving the waiting room', () => {
    const { waitingRoom } = buildPresence([ev('waiting_room_entered', '10:01'), ev('waiting_room_left', '10:03')], session(), policy, at('10:10'));
    expect(waitingRoom.stays).toEqual([{ enteredAt: at('10:01'), endedAt: at('10:03'), msWaited: min(2), admitted: false }]);
  });
});

describe('effectiveWindow', () => {
  it.each([
    { name: 'as scheduled', over: {}, start: '10:00', end: '11:00' },
    { name: 'host started late, ended early', over: { startedAt: at('10:10'), endedAt: at('10:40') }, start: '10:10', end: '10:40' },
    { name: 'host started early, meeting ran over', over: { startedAt: at('09:50'), endedAt: at('11:10') }, start: '10:00', end: '11:00' },
  ])('$name', ({ over, start, end }) => {
    expect(effectiveWindow(session(over))).toEqual({ start: at(start), end: at(end) });
  });
});
