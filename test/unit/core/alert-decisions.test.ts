import { describe, expect, it } from 'vitest';
import { decideAlerts, explainResolution, reconcileAlerts, type DecideAlertsInput, type DesiredAlert, type ExistingAlert } from '../../../src/core/alert-decisions.js';
import { evaluateAttendance } from '../../../src/core/attendance.js';
import type { SessionFacts } from '../../../src/core/attendance-types.js';
import { resolvePolicy } from '../../../src/core/policy.js';
import type { PresenceEvent, PresenceKind } from '../../../src/core/presence-event.js';

const at = (time: string) => new Date(`2026-03-02T${time.length === 5 ? `${time}:00` : time}Z`);
let seq = 0;
function ev(kind: PresenceKind, time: string, extra: Partial<PresenceEvent> = {}): PresenceEvent {
  return { platform: 'zoom', kind, occurredAt: at(time), meetingId: '8123', person: { key: 'laptop' }, dedupeKey: `d${seq++}`, ...extra };
}
const policy = resolvePolicy();
const started = { startedAt: at('09:58') };

interface Person {
  id: string;
  events?: PresenceEvent[];
  excused?: boolean;
  madeUp?: boolean;
}

/** The input as the evaluate service would build it: everyone evaluated at `now`. */
function input(now: string, people: Person[], over: Partial<SessionFacts> = {}, unmatched: DecideAlertsInput['unmatched'] = []): DecideAlertsInput {
  const session: SessionFacts = { startsAt: at('10:00'), endsAt: at('11:00'), final: false, ...started, ...over };
  const participants = people.map((p) => ({
    participantId: p.id,
    result: evaluateAttendance(session, { participantId: p.id, events: p.events ?? [], excused: p.excused ?? false, madeUp: p.madeUp ?? false }, policy, at(now)),
  }));
  return { session, policy, now: at(now), participants, unmatched };
}

/** Stores what reconcile asked for, as the service would. */
function apply(stored: ExistingAlert[], desired: DesiredAlert[]): ExistingAlert[] {
  const plan = reconcileAlerts(desired, stored);
  const next = stored.map((alert) => {
    const changed = [...plan.update, ...plan.reopen].find((u) => u.existing === alert);
    if (changed) return { ...alert, kind: changed.desired.kind, detail: changed.desired.detail, state: 'active' };
    return plan.resolve.includes(alert) ? { ...alert, state: 'resolved' } : alert;
  });
  return [...next, ...plan.create.map((d) => ({ topic: d.topic, subjectKey: d.subjectKey, kind: d.kind, detail: d.detail, state: 'active' }))];
}

const kinds = (alerts: DesiredAlert[]) => alerts.map((a) => `${a.topic}:${a.subjectKey}:${a.kind}`);

describe('decideAlerts', () => {
  it.each([
    { name: 'pending: nothing', now: '10:14:59', person: { id: 'p1' }, want: [] },
    { name: 'not joined at the threshold', now: '10:15', person: { id: 'p1' }, want: ['arrival:p1:not_joined'] },
    { name: 'arrived late', now: '10:30', person: { id: 'p1', events: [ev('joined', '10:20')] }, want: ['arrival:p1:late_join'] },
    { name: 'a late join before the no-show threshold still alerts', now: '10:30', person: { id: 'p1', events: [ev('joined', '10:07')] }, want: ['arrival:p1:late_join'] },
    { name: 'on time: nothing', now: '10:30', person: { id: 'p1', events: [ev('joined', '10:05')] }, want: [] },
    { name: 'excused: no arrival alert', now: '10:30', person: { id: 'p1', excused: true }, want: [] },
    { name: 'made up: no arrival alert', now: '10:30', person: { id: 'p1', madeUp: true }, want: [] },
    { name: 'left early once the window closed', now: '10:35', person: { id: 'p1', events: [ev('joined', '10:00'), ev('left', '10:30')] }, want: ['departure:p1:left_early'] },
    { name: 'waiting 1 s under the threshold', now: '10:12:59', person: { id: 'p1', events: [ev('waiting_room_entered', '10:11')] }, want: [] },
    { name: 'waiting at the threshold', now: '10:13', person: { id: 'p1', events: [ev('waiting_room_entered', '10:11')] }, want: ['waiting_room:p1:waiting_room'] },
    { name: 'excused people waiting still need admitting', now: '10:13', person: { id: 'p1', excused: true, events: [ev('waiting_room_entered', '10:11')] }, want: ['waiting_room:p1:waiting_room'] },
  ])('$name', ({ now, person, want }) => {
    expect(kinds(decideAlerts(input(now, [person])))).toEqual(want);
  });

  it('at the end: no-show, short stay, left early', () => {
    const people = [{ id: 'p1' }, { id: 'p2', events: [ev('joined', '10:00'), ev('left', '10:30')] }];
    expect(kinds(decideAlerts(input('11:05', people, { final: true })))).toEqual(['arrival:p1:no_show', 'departure:p2:left_early', 'short_stay:p2:short_stay']);
  });

  it('holds arrival alerts while the meeting shows no sign of running', () => {
    const alone = input('10:30', [{ id: 'p1' }, { id: 'p2' }], { startedAt: undefined });
    expect(decideAlerts(alone)).toEqual([]);
    const someoneIn = input('10:30', [{ id: 'p1' }, { id: 'p2', events: [ev('joined', '10:01')] }], { startedAt: undefined });
    expect(kinds(decideAlerts(someoneIn))).toEqual(['arrival:p1:not_joined']);
  });

  it('carries the facts each kind shows', () => {
    const alerts = decideAlerts(
      input(
        '11:05',
        [
          { id: 'late', events: [ev('joined', '10:20'), ev('left', '10:40')] },
          { id: 'gone', events: [ev('joined', '10:00'), ev('left', '10:30')] },
        ],
        { final: true },
      ),
    );
    expect(alerts).toEqual([
      { topic: 'arrival', subjectKey: 'late', participantId: 'late', kind: 'late_join', detail: { joinedAt: '2026-03-02T10:20:00.000Z', minutesLate: 20 } },
      { topic: 'departure', subjectKey: 'late', participantId: 'late', kind: 'left_early', detail: { leftAt: '2026-03-02T10:40:00.000Z' } },
      { topic: 'short_stay', subjectKey: 'late', participantId: 'late', kind: 'short_stay', detail: { minutesPresent: 20, requiredMinutes: 45, sessionMinutes: 60 } },
      { topic: 'departure', subjectKey: 'gone', participantId: 'gone', kind: 'left_early', detail: { leftAt: '2026-03-02T10:30:00.000Z' } },
      { topic: 'short_stay', subjectKey: 'gone', participantId: 'gone', kind: 'short_stay', detail: { minutesPresent: 30, requiredMinutes: 45, sessionMinutes: 60 } },
    ]);
  });

  it('names a not-joined alert by its threshold and a waiting one by when it began', () => {
    const alerts = decideAlerts(input('10:20', [{ id: 'p1' }, { id: 'p2', events: [ev('waiting_room_entered', '10:05')] }]));
    expect(alerts.map((a) => a.detail)).toEqual([{ noJoinBy: '2026-03-02T10:15:00.000Z' }, { noJoinBy: '2026-03-02T10:15:00.000Z' }, { waitingSince: '2026-03-02T10:05:00.000Z' }]);
  });

  it('alerts on each unmatched joiner, with the expected participants who never joined as candidates', () => {
    const base = input(
      '10:20',
      [{ id: 'in', events: [ev('joined', '10:00')] }, { id: 'left', events: [ev('joined', '10:00'), ev('left', '10:10')] }, { id: 'away' }, { id: 'sick', excused: true }],
      {},
      [{ personKey: 'zu-1', displayName: 'iPhone (2)' }],
    );
    expect(decideAlerts(base).filter((a) => a.topic === 'identity')).toEqual([
      { topic: 'identity', subjectKey: 'unmatched:zu-1', kind: 'unrecognized_participant', detail: { displayName: 'iPhone (2)', candidateParticipantIds: ['away'] } },
    ]);
    const given = decideAlerts({ ...base, absentParticipantIds: ['away', 'sick'] }).find((a) => a.topic === 'identity');
    expect(given?.detail).toEqual({ displayName: 'iPhone (2)', candidateParticipantIds: ['away', 'sick'] });
  });
});

describe('reconcileAlerts', () => {
  it('not joined → late join is one alert updated in place, and a rerun changes nothing', () => {
    let stored = apply([], decideAlerts(input('10:15', [{ id: 'p1' }])));
    expect(stored).toMatchObject([{ topic: 'arrival', kind: 'not_joined', state: 'active' }]);

    const later = input('10:30', [{ id: 'p1', events: [ev('joined', '10:20')] }]);
    const plan = reconcileAlerts(decideAlerts(later), stored);
    expect(plan.create).toEqual([]);
    expect(plan.update.map((u) => [u.existing.kind, u.desired.kind])).toEqual([['not_joined', 'late_join']]);
    stored = apply(stored, decideAlerts(later));
    expect(reconcileAlerts(decideAlerts(later), stored)).toEqual({ create: [], update: [], reopen: [], resolve: [] });
  });

  it('not joined → no-show at the end', () => {
    const stored = apply([], decideAlerts(input('10:15', [{ id: 'p1' }])));
    const plan = reconcileAlerts(decideAlerts(input('11:05', [{ id: 'p1' }], { final: true })), stored);
    expect(plan.update.map((u) => u.desired.kind)).toEqual(['no_show']);
  });

  it('a waiting-room alert is resolved when the person is admitted', () => {
    const waiting = [ev('waiting_room_entered', '10:05')];
    const stored = apply([], decideAlerts(input('10:08', [{ id: 'p1', events: waiting }])));
    const admitted = input('10:10', [{ id: 'p1', events: [...waiting, ev('admitted', '10:09'), ev('joined', '10:09')] }]);
    const plan = reconcileAlerts(decideAlerts(admitted), stored);
    expect(plan.resolve).toMatchObject([{ topic: 'waiting_room', subjectKey: 'p1' }]);
    expect(explainResolution(plan.resolve[0]!, admitted)).toBe('admitted');
  });

  it('a left-early alert is resolved when the person comes back', () => {
    const left = [ev('joined', '10:00'), ev('left', '10:20')];
    const stored = apply([], decideAlerts(input('10:26', [{ id: 'p1', events: left }])));
    expect(stored).toMatchObject([{ kind: 'left_early' }]);
    const back = input('10:40', [{ id: 'p1', events: [...left, ev('joined', '10:35')] }]);
    const plan = reconcileAlerts(decideAlerts(back), stored);
    expect(plan.resolve).toMatchObject([{ kind: 'left_early' }]);
    expect(explainResolution(plan.resolve[0]!, back)).toBe('returned');
  });

  it('a not-joined alert is resolved when the absence is excused', () => {
    const stored = apply([], decideAlerts(input('10:15', [{ id: 'p1' }])));
    const excused = input('10:20', [{ id: 'p1', excused: true }]);
    const plan = reconcileAlerts(decideAlerts(excused), stored);
    expect(plan.resolve).toHaveLength(1);
    expect(explainResolution(plan.resolve[0]!, excused)).toBe('excused');
  });

  it('does not resolve what is already resolved, and reopens it when wanted again', () => {
    const desired = decideAlerts(input('10:08', [{ id: 'p1', events: [ev('waiting_room_entered', '10:05')] }]));
    const resolved: ExistingAlert = { ...desired[0]!, state: 'resolved' };
    expect(reconcileAlerts([], [resolved]).resolve).toEqual([]);
    const again = decideAlerts(input('10:30', [{ id: 'p1', events: [ev('waiting_room_entered', '10:05'), ev('admitted', '10:09'), ev('waiting_room_entered', '10:20')] }])).filter(
      (a) => a.topic === 'waiting_room',
    );
    expect(reconcileAlerts(again, [resolved])).toMatchObject({ create: [], update: [], resolve: [], reopen: [{ existing: resolved, desired: again[0] }] });
  });

  it('compares details as JSON, whatever the key order, and creates nothing twice', () => {
    const desired: DesiredAlert[] = [
      { topic: 'short_stay', subjectKey: 'p1', participantId: 'p1', kind: 'short_stay', detail: { minutesPresent: 20, requiredMinutes: 45, sessionMinutes: 60 } },
      { topic: 'short_stay', subjectKey: 'p1', participantId: 'p1', kind: 'short_stay', detail: { minutesPresent: 20, requiredMinutes: 45, sessionMinutes: 60 } },
    ];
    expect(reconcileAlerts(desired, []).create).toHaveLength(1);
    const stored = [{ id: 'a1', topic: 'short_stay', subjectKey: 'p1', kind: 'short_stay', state: 'active', detail: { sessionMinutes: 60, requiredMinutes: 45, minutesPresent: 20 } }];
    expect(reconcileAlerts(desired, stored)).toEqual({ create: [], update: [], reopen: [], resolve: [] });
    const changed = reconcileAlerts([{ ...desired[0]!, detail: { ...desired[0]!.detail, minutesPresent: 21 } }], stored);
    expect(changed.update[0]?.existing.id).toBe('a1');
  });

  it('an unmatched joiner identified later resolves their alert', () => {
    const withGuest = input('10:20', [{ id: 'p1' }], {}, [{ personKey: 'zu-1', displayName: 'Guest' }]);
    const stored = apply([], decideAlerts(withGuest));
    const plan = reconcileAlerts(decideAlerts({ ...withGuest, unmatched: [] }), stored);
    expect(plan.resolve).toMatchObject([{ subjectKey: 'unmatched:zu-1' }]);
    expect(explainResolution(plan.resolve[0]!, withGuest)).toBe('identified');
  });
});

describe('explainResolution', () => {
  it.each([
    { name: 'arrival of someone who joined at the threshold instant', topic: 'arrival', person: { id: 'p1', events: [ev('joined', '10:05')] }, now: '10:20', over: {}, want: 'arrived' },
    { name: 'made up', topic: 'arrival', person: { id: 'p1', madeUp: true }, now: '10:20', over: {}, want: 'made_up' },
    { name: 'a wait that ended without admission', topic: 'waiting_room', person: { id: 'p1', events: [ev('waiting_room_entered', '10:05'), ev('waiting_room_left', '10:09')] }, now: '10:20', over: {}, want: 'left_waiting_room' },
    { name: 'an admission reported before the join', topic: 'waiting_room', person: { id: 'p1', events: [ev('waiting_room_entered', '10:05'), ev('admitted', '10:09')] }, now: '10:09', over: {}, want: 'admitted' },
    { name: 'a wait the end of the session ended', topic: 'waiting_room', person: { id: 'p1', events: [ev('waiting_room_entered', '10:50')] }, now: '11:05', over: { final: true }, want: 'session_ended' },
    { name: 'someone no longer expected', topic: 'arrival', person: { id: 'other' }, now: '10:20', over: {}, want: 'no_longer_applies' },
  ])('$name', ({ topic, person, now, over, want }) => {
    expect(explainResolution({ topic, subjectKey: 'p1' }, input(now, [person], over))).toBe(want);
  });
});
