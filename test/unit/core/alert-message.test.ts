import { describe, expect, it } from 'vitest';
import { ALERT_KINDS, buildAlertMessage, isAlertKind, type AlertKind, type AlertMessageInput } from '../../../src/core/alert-message.js';

const SESSION = 'Adult IOP – Evening, Mon 2 Mar 18:00';

function message(kind: AlertKind, over: Partial<AlertMessageInput> = {}) {
  return buildAlertMessage({ kind, state: 'active', participantLabel: 'Jordan A.', sessionLabel: SESSION, alertId: 'a1', sessionId: 's1', participantId: 'p1', ...over });
}

const LABELS: [AlertKind, string, string[]][] = [
  ['not_joined', 'Not joined', ['reach_out', 'excuse', 'send_checkin']],
  ['late_join', 'Late join', ['excuse']],
  ['left_early', 'Left early', ['reach_out', 'excuse']],
  ['short_stay', 'Short stay', ['reach_out', 'excuse', 'offer_makeup']],
  ['waiting_room', 'Waiting room', []],
  ['no_show', 'No-show', ['reach_out', 'excuse', 'offer_makeup', 'send_checkin']],
  ['unrecognized_participant', 'Unrecognized participant', ['link_participant']],
  ['strike', 'Strike', ['reach_out', 'send_checkin', 'add_note', 'mark_done', 'dismiss']],
  ['review_due', 'Review due', ['schedule_review', 'add_note', 'mark_done', 'dismiss']],
  ['absence_reported', 'Absence reported', ['excuse', 'offer_makeup']],
  ['crisis', 'Crisis', ['reach_out']],
  ['session_summary', 'Session summary', []],
  ['hours_at_risk', 'Hours at risk', ['reach_out', 'send_checkin']],
  ['contact_requested', 'Asked to talk', ['reach_out']],
  ['tech_trouble', 'Technical trouble', ['reach_out']],
  ['history_summary', 'Imported record', []],
];

describe('buildAlertMessage', () => {
  it('covers every kind', () => {
    expect(LABELS.map(([kind]) => kind).sort()).toEqual([...ALERT_KINDS].sort());
  });

  it.each(LABELS)('%s: text begins with "%s", then the participant and the session', (kind, label, actions) => {
    const built = message(kind);
    expect(built.text).toBe(`${label}: Jordan A. · ${SESSION}`);
    expect(built.text.startsWith(label)).toBe(true);
    expect(built.label).toBe(label);
    expect(built.metadata).toEqual({ kind, sessionId: 's1', participantId: 'p1' });
    expect(built.actions.map((a) => a.id)).toEqual(actions);
  });

  it.each(LABELS)('%s resolved: keeps the label "%s", says what resolved it, offers nothing', (kind, label) => {
    const built = message(kind, { state: 'resolved', detail: { resolution: 'excused' } });
    expect(built.text).toBe(`${label}: Jordan A. · ${SESSION} · resolved: marked excused`);
    expect(built.lines[0]).toBe('Resolved: marked excused.');
    expect(built.title).toBe(`${label}: Jordan A. (resolved)`);
    expect(built.actions).toEqual([]);
    expect(built.severity).toBe('info');
  });

  it('labels actions as staff see them, the first one primary', () => {
    expect(message('no_show').actions).toEqual([
      { id: 'reach_out', label: "I'll reach out", style: 'primary' },
      { id: 'excuse', label: 'Mark excused' },
      { id: 'offer_makeup', label: 'Offer make-up' },
      { id: 'send_checkin', label: 'Send check-in' },
    ]);
    expect(message('unrecognized_participant').actions).toEqual([{ id: 'link_participant', label: 'Link to participant', style: 'primary' }]);
    expect(message('review_due').actions[0]).toMatchObject({ id: 'schedule_review', label: 'Schedule review' });
    expect(message('strike').actions[1]).toMatchObject({ id: 'send_checkin', label: 'Send check-in' });
  });

  it.each([
    ['crisis', 'urgent'],
    ['not_joined', 'warning'],
    ['waiting_room', 'warning'],
    ['late_join', 'info'],
    ['session_summary', 'info'],
  ] as const)('%s is %s', (kind, severity) => {
    expect(message(kind).severity).toBe(severity);
  });

  it.each([
    ['not_joined', { noJoinBy: '2026-03-02T23:15:00.000Z' }, ['No join by 18:15.']],
    ['late_join', { joinedAt: '2026-03-02T23:20:00.000Z', minutesLate: 20 }, ['Joined at 18:20, 20 min after the start.']],
    ['left_early', { leftAt: '2026-03-02T23:40:00.000Z' }, ['Left at 18:40.']],
    ['short_stay', { minutesPresent: 20, requiredMinutes: 45, sessionMinutes: 60 }, ['Present 20 min; 45 of 60 min needed.']],
    ['waiting_room', { waitingSince: '2026-03-02T23:05:00.000Z' }, ['Waiting to be admitted since 18:05.']],
    ['no_show', {}, ['Did not join the session.']],
    ['unrecognized_participant', { displayName: 'iPhone', candidateParticipantIds: ['p1', 'p2'] }, ['Joined under a name that matches no expected participant.', 'Could be one of 2 expected participants not in the session.']],
    ['strike', { strikes: 2, windowDays: 30, action: 'checkin' }, ['Strike 2 in the last 30 days.', 'Suggested next step: a facilitator check-in. A person decides.']],
    ['absence_reported', { excused: true }, ['The reason is on the program’s excused list.']],
  ] as const)('%s lines in the program\'s time zone', (kind, detail, lines) => {
    expect(message(kind, { detail, timezone: 'America/New_York' }).lines).toEqual(lines);
  });

  it('drops a line whose fact is missing or malformed, and falls back to UTC for an unknown zone', () => {
    expect(message('left_early', { detail: { leftAt: 'yesterday' } }).lines).toEqual([]);
    expect(message('left_early', { detail: null }).lines).toEqual([]);
    expect(message('left_early', { detail: { leftAt: '2026-03-02T23:40:00.000Z' }, timezone: 'Mars/Olympus' }).lines).toEqual(['Left at 23:40.']);
  });

  it('a resolution it does not know reads as plainly resolved', () => {
    const built = message('not_joined', { state: 'resolved', detail: { resolution: 'toString' } });
    expect(built.text).toBe(`Not joined: Jordan A. · ${SESSION} · resolved`);
    expect(built.lines[0]).toBe('Resolved.');
  });

  it('shows the participant label and session label only: nothing else from the detail reaches the text', () => {
    const built = message('crisis', { detail: { email: 'jordan@example.org', words: 'I want to hurt myself', displayName: 'Jordan Alvarez' } });
    const everything = JSON.stringify(built);
    expect(built.text).toBe(`Crisis: Jordan A. · ${SESSION}`);
    expect(everything).not.toContain('example.org');
    expect(everything).not.toContain('hurt');
    expect(everything).not.toContain('Alvarez');
  });

  it('the Imported record says what was added and what was proposed, in counts only', () => {
    const built = message('history_summary', { participantLabel: undefined, participantId: undefined, detail: { sessions: 10, present: 61, noShow: 12, followUpsOpened: 3, openFollowUps: 3 } });
    expect(built.lines).toEqual([
      '10 past sessions were added to the record. No alerts were raised about them.',
      'Strikes were recounted: 3 follow-ups proposed, each for the rung the person is on now (see Follow-ups). A person decides.',
    ]);
    expect(built.fields).toEqual(expect.arrayContaining([{ label: 'Present', value: '61' }, { label: 'No-shows', value: '12' }, { label: 'Open follow-ups', value: '3' }]));
    expect(message('history_summary', { detail: { sessions: 1, followUpsOpened: 0 } }).lines).toEqual([
      '1 past session was added to the record. No alerts were raised about them.',
      'Strikes were recounted: no follow-up is needed.',
    ]);
  });

  it('session-wide alerts have no participant', () => {
    const built = message('session_summary', { participantLabel: undefined, participantId: undefined, detail: { present: 6, late: 1, absent: 1, excused: 0 } });
    expect(built.text).toBe(`Session summary: ${SESSION}`);
    expect(built.metadata).toEqual({ kind: 'session_summary', sessionId: 's1', participantId: null });
    expect(built.fields).toEqual([
      { label: 'Session', value: SESSION },
      { label: 'Present', value: '6' },
      { label: 'Late', value: '1' },
      { label: 'Absent', value: '1' },
      { label: 'Excused', value: '0' },
    ]);
  });

  it('carries the alert id and state for the renderers', () => {
    expect(message('not_joined')).toMatchObject({ alertId: 'a1', state: 'active', fields: [{ label: 'Participant', value: 'Jordan A.' }, { label: 'Session', value: SESSION }] });
  });
});

describe('isAlertKind', () => {
  it.each([
    ['not_joined', true],
    ['no_show', true],
    ['No-show', false],
    ['toString', false],
  ])('%s → %s', (value, known) => {
    expect(isAlertKind(value)).toBe(known);
  });
});

describe('staff actions on an alert', () => {
  it('say who did what and when, in the program zone', () => {
    const message = buildAlertMessage({
      kind: 'not_joined',
      state: 'active',
      participantLabel: 'Alex K.',
      sessionLabel: 'Adult IOP, Tue 1 Dec 18:00',
      alertId: 'a1',
      timezone: 'America/New_York',
      detail: { noJoinBy: '2026-12-01T23:15:00Z', staffActions: [{ action: 'reach_out', by: 'Dana (facilitator)', at: '2026-12-01T23:20:00Z' }, { action: 'bogus', by: 'x', at: 'y' }] },
    });
    expect(message.lines).toContain('Outreach taken on by Dana (facilitator) at 18:20.');
    expect(message.lines.filter((line) => line.includes('bogus'))).toEqual([]);
  });
});

describe('strikes, reviews and the session summary', () => {
  const build = (kind: AlertKind, detail: Record<string, unknown>, state: 'active' | 'resolved' = 'active') =>
    buildAlertMessage({ kind, state, participantLabel: 'Alex K.', sessionLabel: 'Adult IOP', detail, alertId: 'a1', participantId: 'p1', timezone: 'America/New_York' });

  it('a Strike names the count, the window and the suggested step', () => {
    expect(build('strike', { strikes: 2, windowDays: 30, action: 'checkin' }).lines).toEqual([
      'Strike 2 in the last 30 days.',
      'Suggested next step: a facilitator check-in. A person decides.',
    ]);
  });

  it('a presumed drop-out says how many sessions in a row', () => {
    expect(build('review_due', { misses: 3, action: 'formal_review', rule: 'dropout' }).lines[0]).toBe('3 sessions missed in a row with no contact: presumed drop-out.');
  });

  it('a proposal that no longer applies says the count now', () => {
    const built = build('strike', { strikes: 2, windowDays: 30, action: 'checkin', resolution: 'no_longer_applies', strikesNow: 1 }, 'resolved');
    expect(built.lines).toContain('Strikes now: 1 (an absence was excused or a status changed).');
    expect(built.text).toBe('Strike: Alex K. · Adult IOP · resolved: no longer applies');
  });

  it('shows what staff decided, from fixed options only', () => {
    const built = build('review_due', {
      staffActions: [
        { action: 'schedule_review', by: 'dana', at: '2026-12-01T15:00:00Z', what: 'Thu 3 Dec' },
        { action: 'dismiss', by: 'dana', at: '2026-12-01T15:05:00Z', what: 'Already being handled' },
      ],
    });
    expect(built.lines).toContain('Review scheduled (Thu 3 Dec) by dana at 10:00.');
    expect(built.lines).toContain('Dismissed (Already being handled) by dana at 10:05.');
  });

  it('the session summary shows every count it is given', () => {
    const built = buildAlertMessage({
      kind: 'session_summary',
      state: 'active',
      sessionLabel: 'Adult IOP',
      alertId: 'a1',
      detail: { present: 5, late: 1, leftEarly: 1, noShow: 2, excused: 1, madeUp: 0, openFollowUps: 3 },
    });
    expect(built.fields.map((f) => `${f.label}=${f.value}`)).toEqual([
      'Session=Adult IOP',
      'Present=5',
      'Late=1',
      'Left early=1',
      'No-shows=2',
      'Excused=1',
      'Made up=0',
      'Open follow-ups=3',
    ]);
  });
});
