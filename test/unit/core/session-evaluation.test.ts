import { describe, expect, it } from 'vitest';
import type { ExpectedParticipant } from '../../../src/core/identity-match.js';
import { resolvePolicy } from '../../../src/core/policy.js';
import type { PresenceEvent, PresenceKind, PresencePerson } from '../../../src/core/presence-event.js';
import { evaluateSession, type SessionEvaluationInput } from '../../../src/core/session-evaluation.js';

const at = (time: string) => new Date(`2026-03-02T${time.length === 5 ? `${time}:00` : time}Z`);
let seq = 0;
function ev(kind: PresenceKind, time: string, person?: PresencePerson, extra: Partial<PresenceEvent> = {}): PresenceEvent {
  return { platform: 'zoom', kind, occurredAt: at(time), meetingId: '8123', ...(person ? { person } : {}), dedupeKey: `d${seq++}`, ...extra };
}
const start = (time = '09:58') => ev('meeting_started', time);

const jordan: ExpectedParticipant = { participantId: 'p-jordan', name: 'Jordan Alvarez', identities: [{ platform: 'zoom', kind: 'registrant_id', value: 'REG-J' }] };
const alex: ExpectedParticipant = { participantId: 'p-alex', name: 'Alex Kim', email: 'alex@example.org', identities: [] };

/** A 10:00–11:00 session with Jordan and Alex expected, evaluated live at `now` unless told. */
function evaluate(now: string, events: PresenceEvent[], over: Partial<SessionEvaluationInput> = {}) {
  return evaluateSession({
    platform: 'zoom',
    startsAt: at('10:00'),
    endsAt: at('11:00'),
    events,
    expected: [jordan, alex],
    excusedIds: new Set(),
    policy: resolvePolicy(),
    now: at(now),
    final: false,
    ...over,
  });
}
const statusOf = (evaluation: ReturnType<typeof evaluate>, participantId: string) => evaluation.participants.find((p) => p.participantId === participantId)?.result.status;
const alertKinds = (evaluation: ReturnType<typeof evaluate>) => evaluation.desired.map((a) => `${a.subjectKey}:${a.kind}`).sort();

describe('evaluateSession: the meeting', () => {
  it('takes the earliest start, and an end only when it follows the last start', () => {
    const ended = evaluate('10:40', [start('09:58'), start('09:59'), ev('meeting_ended', '10:30')]);
    expect(ended.facts).toMatchObject({ startedAt: at('09:58'), endedAt: at('10:30'), final: false });
    // Started again after it ended: the meeting is running, not over.
    const restarted = evaluate('10:40', [start('09:58'), ev('meeting_ended', '10:30'), start('10:35')]);
    expect(restarted.facts.startedAt).toEqual(at('09:58'));
    expect(restarted.facts.endedAt).toBeUndefined();
  });

  it('knows no start or end when the platform said nothing', () => {
    const quiet = evaluate('10:05', []);
    expect(quiet.facts).toEqual({ startsAt: at('10:00'), endsAt: at('11:00'), final: false });
  });
});

describe('evaluateSession: who is who', () => {
  it('routes every event of a person to the participant they match, and records how each was matched', () => {
    const laptop = { key: 'uuid-laptop', displayName: 'Jordan', registrantId: 'REG-J' };
    const phone = { key: 'uuid-phone', displayName: 'Alex phone', email: 'ALEX@example.org' };
    const evaluation = evaluate('10:30', [start(), ev('joined', '10:01', laptop), ev('left', '10:10', laptop), ev('joined', '10:11', laptop), ev('joined', '10:02', phone)]);
    const byId = new Map(evaluation.participants.map((p) => [p.participantId, p]));
    expect(byId.get('p-jordan')).toMatchObject({ matchedBy: ['registrant_id'], result: { status: 'present', firstJoinAt: at('10:01') } });
    expect(byId.get('p-alex')).toMatchObject({ matchedBy: ['email'], result: { status: 'present', firstJoinAt: at('10:02') } });
    expect(evaluation.unmatched).toEqual([]);
  });

  it('names a stranger who got in once, however many keys their reconnections carry', () => {
    const evaluation = evaluate('10:05', [
      start(),
      ev('joined', '10:01', { key: 'k1', displayName: 'Sam L' }),
      ev('left', '10:02', { key: 'k1', displayName: 'Sam L' }),
      ev('joined', '10:03', { key: 'k2', displayName: ' sam l ' }),
      ev('joined', '10:04', { key: 'k3' }),
      ev('joined', '10:04', { key: 'k4' }),
    ]);
    expect(evaluation.unmatched).toEqual([
      { personKey: 'k1', displayName: 'Sam L' },
      { personKey: 'k3', displayName: null },
      { personKey: 'k4', displayName: null },
    ]);
    expect(alertKinds(evaluation)).toEqual(['unmatched:k1:unrecognized_participant', 'unmatched:k3:unrecognized_participant', 'unmatched:k4:unrecognized_participant']);
  });

  it('does not name strangers who only waited to be admitted, or only moved between breakout rooms', () => {
    const evaluation = evaluate('10:05', [
      start(),
      ev('waiting_room_entered', '10:01', { key: 'waiter', displayName: 'Unknown Waiter' }),
      ev('joined', '10:02', { key: 'roomer', displayName: 'Breakout Person' }, { breakout: true }),
    ]);
    expect(evaluation.unmatched).toEqual([]);
  });
});

describe('evaluateSession: attendance and alerts', () => {
  it('is pending before the no-show threshold, then alerts for whoever has not joined', () => {
    const events = [start(), ev('joined', '10:01', { key: 'j', registrantId: 'REG-J' })];
    const early = evaluate('10:14:59', events);
    expect(statusOf(early, 'p-alex')).toBe('pending');
    expect(early.desired).toEqual([]);
    const late = evaluate('10:15', events);
    expect(statusOf(late, 'p-alex')).toBe('not_joined');
    expect(alertKinds(late)).toEqual(['p-alex:not_joined']);
  });

  it('marks an excused absence excused and a made-up session made_up, with no arrival alert for either', () => {
    const evaluation = evaluate('10:30', [start()], { excusedIds: new Set(['p-jordan']), madeUpIds: new Set(['p-alex']) });
    expect(statusOf(evaluation, 'p-jordan')).toBe('excused');
    expect(statusOf(evaluation, 'p-alex')).toBe('made_up');
    expect(evaluation.desired).toEqual([]);
  });

  it('turns "not joined" into a final no-show when evaluated as final', () => {
    const evaluation = evaluate('11:05', [start(), ev('joined', '10:01', { key: 'j', registrantId: 'REG-J' }), ev('left', '10:59', { key: 'j', registrantId: 'REG-J' })], { final: true });
    expect(statusOf(evaluation, 'p-alex')).toBe('no_show');
    expect(statusOf(evaluation, 'p-jordan')).toBe('present');
    expect(alertKinds(evaluation)).toEqual(['p-alex:no_show']);
  });

  it('gives the same answer for the same facts (level-triggered)', () => {
    const events = [start(), ev('joined', '10:20', { key: 'j', registrantId: 'REG-J' })];
    expect(evaluate('10:30', events)).toEqual(evaluate('10:30', events));
  });
});

describe('evaluateSession: when to look again', () => {
  it('wakes at the earliest future deadline of any participant', () => {
    // Nobody has joined: the no-show threshold (10:15) comes before the end.
    expect(evaluate('10:05', [start()]).nextWakeAt).toEqual(at('10:15'));
  });

  it('wakes at the end of a running session when no participant deadline is left', () => {
    const joined = (key: string, registrantId?: string, email?: string) => ev('joined', '10:01', { key, ...(registrantId ? { registrantId } : {}), ...(email ? { email } : {}) });
    expect(evaluate('10:30', [start(), joined('j', 'REG-J'), joined('a', undefined, 'alex@example.org')]).nextWakeAt).toEqual(at('11:00'));
  });

  it('does not wake a final session', () => {
    expect(evaluate('11:05', [start()], { final: true }).nextWakeAt).toBeNull();
  });
});
