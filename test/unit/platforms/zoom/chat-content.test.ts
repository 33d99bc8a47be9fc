import { describe, expect, it } from 'vitest';
import { buildAlertMessage } from '../../../../src/core/alert-message.js';
import { parseStaffValue, renderAlertContent, renderParticipantContent } from '../../../../src/platforms/zoom/chat-content.js';
import { encodeMeetingUuid } from '../../../../src/platforms/zoom/past-participants.js';
import { rosterState } from '../../../../src/platforms/zoom/panel.js';

const alertId = '6f1c1a52-6d3c-4c55-9d8e-0d1d2a3b4c5d';
const sessionId = '7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d';
const participantId = '8b3c4d5e-6f7a-4b2c-9d0e-1f2a3b4c5d6e';

describe('Zoom chatbot content', () => {
  const message = buildAlertMessage({ alertId, kind: 'not_joined', state: 'active', participantLabel: 'Alex K.', sessionLabel: 'Evening IOP, Tue 1 Dec 18:00', sessionId, participantId });

  it('renders an alert with its actions as buttons whose values carry the action and the alert', () => {
    const content = renderAlertContent(message);
    expect(content.head.text).toContain('Not joined');
    const actions = content.body.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.items.map((i) => parseStaffValue(i.value)?.action)).toEqual(message.actions.map((a) => a.id));
    expect(actions?.type === 'actions' && parseStaffValue(actions.items[0]!.value)).toEqual({ action: message.actions[0]!.id, alertId, kind: 'not_joined', sessionId, participantId });
  });

  it('reads back only values it made', () => {
    expect(parseStaffValue('{"action":"delete_everything","alertId":"' + alertId + '","kind":"not_joined","sessionId":null,"participantId":null}')).toBeNull();
    expect(parseStaffValue('rc1:{"t":"absence_cancel"}')).toBeNull();
    expect(parseStaffValue('{not json')).toBeNull();
    expect(parseStaffValue(42)).toBeNull();
  });

  it('renders participant messages with their opaque choice values', () => {
    const content = renderParticipantContent({ text: 'Hi', choices: [{ label: 'Yes', value: 'rc1:x', style: 'primary' }] });
    expect(content.body).toEqual([{ type: 'message', text: 'Hi' }, { type: 'actions', limit: 8, items: [{ text: 'Yes', value: 'rc1:x', style: 'Primary' }] }]);
  });
});

describe('meeting UUIDs in paths', () => {
  it('encodes twice only when Zoom asks for it (a leading slash or a double slash)', () => {
    expect(encodeMeetingUuid('4444AAAiAAAAAiAiAiiAii==')).toBe('4444AAAiAAAAAiAiAiiAii%3D%3D');
    expect(encodeMeetingUuid('/ajXp112QmuoKj4854875==')).toBe('%252FajXp112QmuoKj4854875%253D%253D');
    expect(encodeMeetingUuid('ab//cd==')).toBe('ab%252F%252Fcd%253D%253D');
    expect(encodeMeetingUuid('ab/cd==')).toBe('ab%2Fcd%3D%3D');
  });
});

describe('roster states in the panel', () => {
  const base = { status: 'pending' as const, flags: [] as never[], presentNow: false, firstJoinAt: null };
  it('says where each person is now', () => {
    expect(rosterState({ ...base, presentNow: true, firstJoinAt: new Date() })).toBe('joined');
    expect(rosterState({ ...base, status: 'late', presentNow: true, firstJoinAt: new Date() })).toBe('late');
    expect(rosterState({ ...base, waitingSince: new Date() })).toBe('waiting_room');
    expect(rosterState({ ...base, firstJoinAt: new Date() })).toBe('left');
    expect(rosterState({ ...base, firstJoinAt: new Date(), flags: ['left_early'] as never[] })).toBe('left_early');
    expect(rosterState({ ...base, status: 'not_joined' })).toBe('not_joined');
    expect(rosterState({ ...base, status: 'excused' })).toBe('excused');
  });
});
