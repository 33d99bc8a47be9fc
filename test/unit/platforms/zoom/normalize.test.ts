import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PresenceEvent } from '../../../../src/core/presence-event.js';
import { normalizeZoomEvent } from '../../../../src/platforms/zoom/normalize.js';
import { readZoomFixture } from '../../../support/zoom-signing.js';

const ACCOUNT = 'AbCdEfGhIjKlMnOpQr';
const MEETING_UUID = '4444AAAiAAAAAiAiAiiAii==';

function key(personKey: string, event: string, iso: string): string {
  return createHash('sha256').update(`zoom|${ACCOUNT}|${MEETING_UUID}|${personKey}|${event}|${iso}`).digest('hex');
}

function expected(
  event: string,
  fields: Omit<PresenceEvent, 'platform' | 'meetingId' | 'meetingInstanceId' | 'accountId' | 'dedupeKey'>,
): PresenceEvent {
  const iso = fields.occurredAt.toISOString();
  return {
    platform: 'zoom',
    meetingId: '85012345678',
    meetingInstanceId: MEETING_UUID,
    accountId: ACCOUNT,
    dedupeKey: key(fields.person?.key ?? '', event, iso),
    ...fields,
  };
}

const jordan = {
  key: '6F3A1C2E-0B7D-4E59-9A21-D4C8B1E07F35',
  displayName: 'Jordan Alvarez',
  email: 'jordan.alvarez@example.org',
  userId: 'Jx2mQp7RTaiWv0cLzN4eHg',
};
const sam = { key: 'A91E5D07-3C44-41B8-8F6A-27B0C9D3E512', displayName: 'Sam L' };
const riley = {
  key: '2D8B6F41-95CE-4A3B-B7E0-0C61A4F9D288',
  displayName: 'Riley Chen',
  email: 'riley.chen@example.org',
  registrantId: 'q7Wv3XyZRe2Kp9LmNb4TcA',
};
const taylor = { key: 'C4F0A2B9-7E13-4D6C-A58E-9B2D71E6F043', displayName: 'Taylor Brooks', email: 'taylor.brooks@example.org' };
const morgan = { key: 'E8D3B5A1-2F69-4C07-9E4B-6A1F0C7D2B98', displayName: 'Morgan Patel' };
const at = (iso: string) => new Date(iso);

const cases: Array<[fixture: string, event: string, PresenceEvent]> = [
  ['meeting-started', 'meeting.started', expected('meeting.started', { kind: 'meeting_started', occurredAt: at('2026-12-01T23:00:00Z') })],
  ['meeting-ended', 'meeting.ended', expected('meeting.ended', { kind: 'meeting_ended', occurredAt: at('2026-12-02T00:32:10Z') })],
  [
    'participant-joined',
    'meeting.participant_joined',
    expected('meeting.participant_joined', { kind: 'joined', occurredAt: at('2026-12-01T23:02:14Z'), person: jordan }),
  ],
  [
    'participant-joined-guest-no-email',
    'meeting.participant_joined',
    expected('meeting.participant_joined', { kind: 'joined', occurredAt: at('2026-12-01T23:06:51Z'), person: sam }),
  ],
  [
    'participant-joined-registrant',
    'meeting.participant_joined',
    expected('meeting.participant_joined', { kind: 'joined', occurredAt: at('2026-12-01T23:03:30Z'), person: riley }),
  ],
  [
    'participant-left',
    'meeting.participant_left',
    expected('meeting.participant_left', {
      kind: 'left',
      occurredAt: at('2026-12-02T00:28:40Z'),
      person: jordan,
      leaveReason: 'left the meeting. Reason : left the meeting',
    }),
  ],
  [
    'participant-left-connection-lost',
    'meeting.participant_left',
    expected('meeting.participant_left', {
      kind: 'left',
      occurredAt: at('2026-12-01T23:41:03Z'),
      person: sam,
      leaveReason: 'got disconnected from the meeting. Reason : Network connection error.',
      connectionLost: true,
    }),
  ],
  [
    'participant-left-breakout-room',
    'meeting.participant_left',
    expected('meeting.participant_left', {
      kind: 'left',
      occurredAt: at('2026-12-01T23:45:00Z'),
      person: riley,
      leaveReason: 'left the meeting. Reason : left the meeting to join breakout room',
      breakout: true,
    }),
  ],
  [
    'breakout-room-participant-joined',
    'meeting.participant_joined_breakout_room',
    expected('meeting.participant_joined_breakout_room', {
      kind: 'joined',
      occurredAt: at('2026-12-01T23:45:00Z'),
      person: { key: riley.key, displayName: 'Riley Chen', registrantId: riley.registrantId },
      breakout: true,
    }),
  ],
  [
    'breakout-room-participant-left',
    'meeting.participant_left_breakout_room',
    expected('meeting.participant_left_breakout_room', {
      kind: 'left',
      occurredAt: at('2026-12-02T00:05:02Z'),
      person: { key: riley.key, displayName: 'Riley Chen', registrantId: riley.registrantId },
      leaveReason: 'Leave breakout room.',
      breakout: true,
    }),
  ],
  [
    'participant-joined-waiting-room',
    'meeting.participant_joined_waiting_room',
    expected('meeting.participant_joined_waiting_room', {
      kind: 'waiting_room_entered',
      occurredAt: at('2026-12-01T23:00:42Z'),
      person: taylor,
    }),
  ],
  [
    'participant-admitted',
    'meeting.participant_admitted',
    expected('meeting.participant_admitted', { kind: 'admitted', occurredAt: at('2026-12-01T23:01:30Z'), person: taylor }),
  ],
  [
    'participant-put-in-waiting-room',
    'meeting.participant_put_in_waiting_room',
    expected('meeting.participant_put_in_waiting_room', {
      kind: 'waiting_room_entered',
      occurredAt: at('2026-12-01T23:20:12Z'),
      person: taylor,
    }),
  ],
  [
    'participant-left-waiting-room',
    'meeting.participant_left_waiting_room',
    expected('meeting.participant_left_waiting_room', {
      kind: 'waiting_room_left',
      occurredAt: at('2026-12-01T23:04:10Z'),
      person: morgan,
    }),
  ],
];

/** A deep copy of a fixture's JSON, to change a field without touching the file. */
function fixtureCopy(name: string): any {
  return structuredClone(readZoomFixture(name).json);
}

function onlyEvent(envelope: unknown): PresenceEvent {
  const result = normalizeZoomEvent(envelope);
  if (result.type !== 'presence') throw new Error(`expected presence, got ${JSON.stringify(result)}`);
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
}

describe('normalizeZoomEvent', () => {
  it.each(cases)('normalizes %s (%s)', (fixture, _event, presence) => {
    expect(normalizeZoomEvent(readZoomFixture(fixture).json)).toStrictEqual({ type: 'presence', events: [presence] });
  });

  it('gives a retry of the same delivery the same dedupe key', () => {
    const first = onlyEvent(readZoomFixture('participant-joined').json);
    const retry = fixtureCopy('participant-joined');
    retry.event_ts += 5 * 60_000; // were Zoom to restamp a retry, the fact is still the same
    expect(onlyEvent(retry).dedupeKey).toBe(first.dedupeKey);
  });

  it('gives another join of the same person another dedupe key', () => {
    const first = onlyEvent(readZoomFixture('participant-joined').json);
    const rejoin = fixtureCopy('participant-joined');
    rejoin.payload.object.participant.join_time = '2026-12-01T23:19:05Z';
    rejoin.payload.object.participant.user_id = '16789504';
    expect(onlyEvent(rejoin).dedupeKey).not.toBe(first.dedupeKey);
  });

  it('tells a join and a leave at the same second apart (a room move)', () => {
    const left = onlyEvent(readZoomFixture('participant-left-breakout-room').json);
    const joined = onlyEvent(readZoomFixture('breakout-room-participant-joined').json);
    expect(left.occurredAt).toEqual(joined.occurredAt);
    expect(left.person?.key).toBe(joined.person?.key);
    expect(left.dedupeKey).not.toBe(joined.dedupeKey);
  });

  it('turns a numeric meeting id into the same string', () => {
    const numeric = fixtureCopy('participant-joined');
    numeric.payload.object.id = 85012345678;
    expect(onlyEvent(numeric).meetingId).toBe('85012345678');
  });

  it('accepts numeric participant ids and passes unknown fields through', () => {
    const odd = fixtureCopy('participant-joined-guest-no-email');
    odd.payload.object.participant.user_id = 16842752;
    odd.payload.object.participant.participant_uuid = '';
    odd.payload.object.participant.some_future_field = { nested: true };
    odd.payload.object.future_meeting_field = 'x';
    expect(onlyEvent(odd).person).toEqual({ key: '16842752', displayName: 'Sam L' });
  });

  it.each([
    ['participant_uuid first', { participant_uuid: 'PU', participant_user_id: 'PUID', id: 'ID', user_id: 'U' }, 'PU'],
    ['then the account user id', { participant_uuid: '', participant_user_id: 'PUID', id: 'ID', user_id: 'U' }, 'PUID'],
    ['then id', { participant_uuid: '', participant_user_id: '', id: 'ID', user_id: 'U' }, 'ID'],
    ['then the main-room user id of a breakout event', { parent_user_id: 'PARENT', user_id: 'U2026-12-01' }, 'PARENT'],
    ['user_id last', { participant_uuid: ' ', user_id: 'U' }, 'U'],
  ])('keys a person by %s', (_label, participant, personKey) => {
    const envelope = fixtureCopy('participant-joined');
    envelope.payload.object.participant = { user_name: 'Jordan Alvarez', join_time: '2026-12-01T23:02:14Z', ...participant };
    expect(onlyEvent(envelope).person?.key).toBe(personKey);
  });

  it.each([
    ['a real Zoom disconnect', 'got disconnected from the meeting. Reason : Client Close.', { connectionLost: true }],
    ['the older wording', 'Connection Lost', { connectionLost: true }],
    ['a return from a breakout room', 'left the meeting. Reason : left the meeting leave breakout room to join main meeting', { breakout: true }],
    ['the host ending the meeting', 'left the meeting. Reason : Host ended the meeting.', {}],
  ])('reads %s from leave_reason as a hint', (_label, leaveReason, flags) => {
    const envelope = fixtureCopy('participant-left');
    envelope.payload.object.participant.leave_reason = leaveReason;
    const event = onlyEvent(envelope);
    expect({ connectionLost: event.connectionLost, breakout: event.breakout }).toEqual({
      connectionLost: undefined,
      breakout: undefined,
      ...flags,
    });
    expect(event.leaveReason).toBe(leaveReason);
  });

  it('dates a waiting-room event by event_ts when Zoom leaves out date_time', () => {
    const envelope = fixtureCopy('participant-admitted');
    delete envelope.payload.object.participant.date_time;
    expect(onlyEvent(envelope).occurredAt).toEqual(new Date(envelope.event_ts));
  });

  it.each([
    ['the URL validation handshake', 'url-validation', /endpoint\.url_validation/],
  ])('ignores %s', (_label, fixture, reason) => {
    const result = normalizeZoomEvent(readZoomFixture(fixture).json);
    expect(result).toEqual({ type: 'ignored', reason: expect.stringMatching(reason) });
  });

  it('ignores an event that says nothing about presence, whatever its shape', () => {
    const result = normalizeZoomEvent({ event: 'recording.completed', event_ts: 1, payload: { download_token: 'x' } });
    expect(result).toEqual({ type: 'ignored', reason: 'not a presence event: recording.completed' });
  });

  it.each([
    ['not an object', 'meeting.participant_joined', ''],
    ['no event name', { payload: {} }, 'event'],
    ['no meeting uuid', (e: any) => delete e.payload.object.uuid, 'payload.object.uuid'],
    ['no meeting id', (e: any) => delete e.payload.object.id, 'payload.object.id'],
    ['no account id', (e: any) => delete e.payload.account_id, 'payload.account_id'],
    ['a join time that is not ISO', (e: any) => (e.payload.object.participant.join_time = '12/01/2026 6:02 PM'), 'payload.object.participant.join_time'],
    ['no join time', (e: any) => delete e.payload.object.participant.join_time, 'payload.object.participant.join_time'],
    ['no participant', (e: any) => delete e.payload.object.participant, 'payload.object.participant'],
    ['a participant with no identifier', (e: any) => (e.payload.object.participant = { user_name: 'Jordan', join_time: '2026-12-01T23:02:14Z', user_id: '' }), 'payload.object.participant'],
    ['event_ts as text', (e: any) => (e.event_ts = '1796166134688'), 'event_ts'],
  ])('finds %s invalid and says where', (_label, change, path) => {
    let envelope: unknown;
    if (typeof change === 'function') {
      envelope = fixtureCopy('participant-joined');
      change(envelope);
    } else {
      envelope = change;
    }
    const result = normalizeZoomEvent(envelope);
    expect(result.type).toBe('invalid');
    if (result.type !== 'invalid') return;
    expect(result.issues.map((issue) => issue.path)).toContain(path);
    for (const issue of result.issues) expect(issue.message).toEqual(expect.any(String));
  });

  it('finds a meeting.ended without end_time invalid', () => {
    const envelope = fixtureCopy('meeting-ended');
    delete envelope.payload.object.end_time;
    expect(normalizeZoomEvent(envelope)).toEqual({
      type: 'invalid',
      issues: [{ path: 'payload.object.end_time', message: 'meeting.ended needs end_time' }],
    });
  });
});
