import { describe, expect, it } from 'vitest';
import { decideReply, formatHoursMinutes, type ConversationInput } from '../../../src/core/conversation.js';

const base: ConversationInput = {
  text: '',
  now: new Date('2026-12-01T15:00:00Z'), // 10:00 in New York, Tuesday
  timezone: 'America/New_York',
  participantChatEnabled: true,
  upcomingSessions: [
    { id: 'tue', startsAt: new Date('2026-12-01T23:00:00Z'), endsAt: new Date('2026-12-02T02:00:00Z'), programName: 'Adult IOP – Evening' },
    { id: 'wed', startsAt: new Date('2026-12-02T23:00:00Z'), endsAt: new Date('2026-12-03T02:00:00Z'), programName: 'Adult IOP – Evening' },
  ],
  weekly: { minutes: 330, requiredMinutes: 540 },
  strikes: 1,
  nextSession: { startsAt: new Date('2026-12-01T23:00:00Z'), programName: 'Adult IOP – Evening' },
  clinicContact: 'the front desk at (555) 010-0000',
  crisisContacts: [{ label: 'Clinic on-call line', phone: '(555) 010-0199' }],
};
const reply = (text: string, over: Partial<ConversationInput> = {}) => decideReply({ ...base, ...over, text });

describe('decideReply', () => {
  it('answers a crisis first, with 988, 911 and the clinic\'s own contacts, even with chat off, and no counselling', () => {
    for (const participantChatEnabled of [true, false]) {
      const answer = reply("can't make it tomorrow, honestly I want to die", { participantChatEnabled });
      expect(answer.type).toBe('crisis');
      if (answer.type !== 'crisis') return;
      expect(answer.alertStaff).toBe(true);
      expect(answer.text).toContain('988');
      expect(answer.text).toContain('911');
      expect(answer.text).toContain('Clinic on-call line');
      expect(answer.text).not.toMatch(/feel|sounds like|understand how/i);
    }
  });

  it('points elsewhere when participant chat is off on this platform, without repeating the message', () => {
    const answer = reply("can't make it tomorrow, my wifi is out", { participantChatEnabled: false });
    expect(answer.type).toBe('chat_disabled');
    expect(answer.text).toContain('(555) 010-0000');
    expect(answer.text).not.toContain('wifi');
  });

  it('confirms an absence naming the exact session, and the category only', () => {
    const answer = reply("can't make it tomorrow, my wifi is out");
    expect(answer.type).toBe('confirm_absence');
    if (answer.type !== 'confirm_absence') return;
    expect(answer.sessionIds).toEqual(['wed']);
    expect(answer.category).toBe('technical');
    expect(answer.options).toHaveLength(1);
    expect(answer.options[0]!.label).toContain('Adult IOP – Evening');
    expect(answer.options[0]!.label).toMatch(/Wed/);
    expect(answer.text).not.toContain('wifi');
  });

  it('asks which day when the day named has no session', () => {
    expect(reply("I can't make it on Saturday").type).toBe('absence_unclear');
  });

  it.each(['status', 'STATUS', 'progress', 'hours'])('answers %j with this week\'s minutes, strikes and the next session', (text) => {
    const answer = reply(text);
    expect(answer.type).toBe('status');
    expect(answer.text).toContain('5 h 30 min');
    expect(answer.text).toContain('9 h');
  });

  it('answers help and points anything else to help', () => {
    expect(reply('help').type).toBe('help');
    expect(reply('help').text).toContain('(555) 010-0000');
    const other = reply('what did we talk about last week?');
    expect(other.type).toBe('fallback');
    expect(other.text).toContain('help');
  });
});

describe('formatHoursMinutes', () => {
  it.each([
    [540, '9 h'],
    [390, '6 h 30 min'],
    [45, '45 min'],
    [-5, '0 min'],
  ])('%d → %s', (minutes, text) => {
    expect(formatHoursMinutes(minutes)).toBe(text);
  });
});
