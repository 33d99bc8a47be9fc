import { describe, expect, it } from 'vitest';
import { normalizeMeetingActivity } from '../../../../src/platforms/teams/normalize.js';
import { readTeamsFixture } from '../../../support/teams-activities.js';

const received = new Date('2026-11-28T15:30:00Z');
const meetingId = 'MCMxOTptZWV0aW5nX056WTBNelF5TURBeUB0aHJlYWQudjIjMA==';

describe('Teams meeting activities as presence facts', () => {
  it('reads meeting start from its PascalCase value, keyed by the meeting id in channelData', () => {
    const result = normalizeMeetingActivity(readTeamsFixture('meeting-start'), received);
    expect(result.type).toBe('presence');
    const [event] = result.type === 'presence' ? result.events : [];
    expect(event).toMatchObject({ platform: 'teams', kind: 'meeting_started', meetingId, accountId: '8a1c2b3d-0000-4e5f-8a9b-0000000000f1', occurredAt: new Date('2026-11-28T15:00:01.993Z') });
    const end = normalizeMeetingActivity(readTeamsFixture('meeting-end'), received);
    expect(end.type === 'presence' && end.events[0]).toMatchObject({ kind: 'meeting_ended', occurredAt: new Date('2026-11-28T16:00:02.881Z') });
  });

  it('turns one join activity into one fact per member, named by AAD object id, at the activity\'s time', () => {
    const activity = readTeamsFixture('meeting-participant-join');
    activity.value.members.push({ user: { id: '29:1Guest', name: 'Pixel 8' }, meeting: { inMeeting: true, role: 'Attendee' } });
    const result = normalizeMeetingActivity(activity, received);
    if (result.type !== 'presence') throw new Error(JSON.stringify(result));
    expect(result.events).toHaveLength(2);
    expect(result.events[0]).toMatchObject({ kind: 'joined', occurredAt: new Date('2026-11-28T15:03:10.440Z'), person: { key: '7e8f9a0b-0000-4c1d-8e2f-00000000c001', userId: '7e8f9a0b-0000-4c1d-8e2f-00000000c001', displayName: 'Alex Kim' } });
    // A guest has no AAD id: only a Teams id and the name they gave, for the unrecognized-joiner path.
    expect(result.events[1]!.person).toEqual({ key: '29:1Guest', displayName: 'Pixel 8' });
    expect(new Set(result.events.map((e) => e.dedupeKey)).size).toBe(2);
    // Teams' retry of the same activity gives the same keys.
    const again = normalizeMeetingActivity(structuredClone(activity), received);
    expect(again.type === 'presence' && again.events.map((e) => e.dedupeKey)).toEqual(result.events.map((e) => e.dedupeKey));
  });

  it('reads the singular leave event name Teams sends', () => {
    const result = normalizeMeetingActivity(readTeamsFixture('meeting-participant-leave'), received);
    expect(result.type === 'presence' && result.events[0]!.kind).toBe('left');
    const plural = { ...readTeamsFixture('meeting-participant-leave'), name: 'application/vnd.microsoft.meetingParticipantsLeave' };
    expect(normalizeMeetingActivity(plural, received).type).toBe('invalid');
  });

  it('takes the activity time from a Date (as botbuilder hands it over) and falls back to arrival time', () => {
    const activity = readTeamsFixture('meeting-participant-join');
    activity.timestamp = new Date('2026-11-28T15:04:00Z');
    expect(normalizeMeetingActivity(activity, received).type === 'presence' && (normalizeMeetingActivity(activity, received) as { events: { occurredAt: Date }[] }).events[0]!.occurredAt).toEqual(new Date('2026-11-28T15:04:00Z'));
    delete activity.timestamp;
    const result = normalizeMeetingActivity(activity, received);
    expect(result.type === 'presence' && result.events[0]!.occurredAt).toEqual(received);
  });

  it('says what is wrong with an activity it cannot read', () => {
    const activity = readTeamsFixture('meeting-participant-join');
    delete activity.channelData.meeting;
    expect(normalizeMeetingActivity(activity, received)).toMatchObject({ type: 'invalid', issues: [expect.stringContaining('channelData.meeting')] });
    const empty = readTeamsFixture('meeting-participant-join');
    empty.value.members = [];
    expect(normalizeMeetingActivity(empty, received)).toMatchObject({ type: 'invalid' });
  });
});

describe('the meeting thread in a join URL', () => {
  it('is found in an encoded join URL, a conversation id and a decoded meeting id alike', async () => {
    const { meetingThreadOf } = await import('../../../../src/platforms/teams/meeting-ids.js');
    const thread = '19:meeting_nzy0mzqymday@thread.v2';
    expect(meetingThreadOf('https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzY0MzQyMDAy%40thread.v2/0?context=%7b%7d')).toBe(thread);
    expect(meetingThreadOf('19:meeting_NzY0MzQyMDAy@thread.v2')).toBe(thread);
    expect(meetingThreadOf('https://teams.microsoft.com/l/meetup-join/%E0%A4%A')).toBeUndefined();
    expect(meetingThreadOf(null)).toBeUndefined();
  });
});
