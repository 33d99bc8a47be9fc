import { describe, expect, it } from 'vitest';
import { CRISIS_REPLY, decideReply, formatHoursMinutes, type ConversationInput, type ReplyType } from '../../../src/core/conversation.js';

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

describe('decideReply: table', () => {
  it.each<[string, Partial<ConversationInput>, ReplyType]>([
    ['i want to kill myself', {}, 'crisis'],
    ['I WANT TO KILL MYSELF', { participantChatEnabled: false }, 'crisis'],
    ['status', { participantChatEnabled: false }, 'chat_disabled'],
    ['help', { participantChatEnabled: false }, 'chat_disabled'],
    ['status', {}, 'status'],
    ['Status?', {}, 'status'],
    ['/status', {}, 'status'],
    ['my hours', {}, 'status'],
    ['PROGRESS', {}, 'status'],
    ['help', {}, 'help'],
    ['Help!', {}, 'help'],
    ['/help', {}, 'help'],
    ['?', {}, 'help'],
    ["can't make it tomorrow, my wifi is out", {}, 'confirm_absence'],
    ["can't make it", {}, 'confirm_absence'],
    ['sick today', {}, 'confirm_absence'],
    ["can't make it next week", {}, 'absence_unclear'],
    ["can't make it", { upcomingSessions: [] }, 'absence_unclear'],
    ['what time is group tomorrow?', {}, 'fallback'],
    ['status of my insurance claim', {}, 'fallback'],
    ['', {}, 'fallback'],
    ['hi', {}, 'fallback'],
  ])('%j %j → %s', (text, over, type) => {
    expect(reply(text, over).type).toBe(type);
  });

  it('sends the fixed crisis text, then the clinic\'s contacts, and term ids for the alert', () => {
    const answer = reply('thinking about ending it all', {
      crisisContacts: [{ label: 'Clinic on-call line', phone: '(555) 010-0199', text: '55510', url: 'https://example.org/crisis' }],
    });
    expect(answer).toEqual({
      type: 'crisis',
      alertStaff: true,
      termIds: ['suicide-end-it-all'],
      text: `${CRISIS_REPLY}\nYou can also reach:\n• Clinic on-call line: call (555) 010-0199, text 55510, https://example.org/crisis`,
    });
    expect(CRISIS_REPLY).toContain('call or text 988');
    expect(CRISIS_REPLY).toContain('911');
  });

  it('falls back to the clinic contact, or the fixed text alone, when the clinic lists no crisis contacts', () => {
    expect(reply('suicidal', { crisisContacts: [] }).text).toBe(`${CRISIS_REPLY}\nYou can also reach your clinic: the front desk at (555) 010-0000.`);
    expect(reply('suicidal', { crisisContacts: undefined, clinicContact: undefined }).text).toBe(CRISIS_REPLY);
  });

  it('checks crisis before anything else, even a command or a broken time zone', () => {
    expect(reply('help, I want to die', { timezone: 'Not/AZone' }).type).toBe('crisis');
  });

  it('names the exact session on the buttons: program, local day and time', () => {
    const answer = reply('I will miss group tomorrow, I have the flu');
    expect(answer).toMatchObject({
      type: 'confirm_absence',
      date: '2026-12-02',
      sessionIds: ['wed'],
      category: 'illness',
      options: [{ sessionId: 'wed', label: 'Adult IOP – Evening · Wed, Dec 2, 6:00 PM EST' }],
    });
    expect(answer.text).toBe(
      'Thanks for letting us know. Please confirm: you will miss Adult IOP – Evening on Wednesday, December 2 at 6:00 PM EST. Reason noted: illness.',
    );
  });

  it('shows times in the participant\'s zone', () => {
    const answer = reply("can't make it tomorrow", { timezone: 'America/Los_Angeles' });
    expect(answer.type === 'confirm_absence' && answer.options[0]!.label).toBe('Adult IOP – Evening · Wed, Dec 2, 3:00 PM PST');
  });

  it('offers each session when the day has several', () => {
    const morning = { id: 'wed-am', startsAt: new Date('2026-12-02T14:00:00Z'), endsAt: new Date('2026-12-02T17:00:00Z'), programName: 'Adult IOP – Morning' };
    const answer = reply("can't make it tomorrow", { upcomingSessions: [...base.upcomingSessions, morning] });
    expect(answer.type).toBe('confirm_absence');
    if (answer.type !== 'confirm_absence') return;
    expect(answer.sessionIds).toEqual(['wed-am', 'wed']);
    expect(answer.options.map((o) => o.label)).toEqual([
      'Adult IOP – Morning · Wed, Dec 2, 9:00 AM EST',
      'Adult IOP – Evening · Wed, Dec 2, 6:00 PM EST',
    ]);
    expect(answer.text).toBe('Thanks for letting us know. You have 2 sessions on Wednesday, December 2. Which will you miss?');
  });

  it('asks which day, naming the day it read when no session is on it', () => {
    expect(reply("can't make it on Saturday").text).toBe(
      'I don’t see a session for you on Saturday, December 5. Which day’s session will you miss? For example: “I can’t make it tomorrow” or “I’ll miss group on Thursday”.',
    );
    expect(reply("can't make it", { upcomingSessions: [] }).text).toContain('(555) 010-0000');
  });

  it.each([
    "can't make it tomorrow, my wifi is out",
    "won't be there thursday, my grandmother Rosalind is in hospice",
    "can't make it on Saturday, court date",
    "can't make it next week, rehab intake",
    'I sat in traffic and I cannot come, ugh Brenda',
    'zxqv blorp',
    'status',
  ])('never repeats the participant\'s words: %j', (text) => {
    const distinctive = text
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((word) => word.length >= 4 && !['make', 'status', 'tomorrow', 'thursday', 'saturday', 'come', 'there'].includes(word));
    for (const participantChatEnabled of [true, false]) {
      const answer = reply(text, { participantChatEnabled }).text.toLowerCase();
      for (const word of distinctive) expect(answer).not.toMatch(new RegExp(`\\b${word}\\b`));
    }
  });

  it.each([
    [{ weekly: { minutes: 330, requiredMinutes: 540 }, strikes: 1 },
      'This week: 5 h 30 min of 9 h (3 h 30 min to go).\nStrikes: 1.\nNext session: Adult IOP – Evening, Tuesday, December 1 at 6:00 PM EST.'],
    [{ weekly: { minutes: 555, requiredMinutes: 540 }, strikes: 0 },
      'This week: 9 h 15 min of 9 h (weekly requirement met).\nStrikes: none.\nNext session: Adult IOP – Evening, Tuesday, December 1 at 6:00 PM EST.'],
    [{ weekly: undefined, strikes: undefined, nextSession: undefined },
      'This week’s hours aren’t available yet.\nNext session: Adult IOP – Evening, Tuesday, December 1 at 6:00 PM EST.'],
    [{ nextSession: undefined, upcomingSessions: [], strikes: 2 },
      'This week: 5 h 30 min of 9 h (3 h 30 min to go).\nStrikes: 2.\nNo upcoming session is scheduled.'],
  ])('status %#', (over, text) => {
    expect(reply('status', over)).toEqual({ type: 'status', text });
  });

  it('says in help what the bot does, who to contact, and that nobody reads this chat', () => {
    const { text } = reply('help');
    expect(text).toMatch(/absence/);
    expect(text).toMatch(/status/);
    expect(text).toMatch(/not read by your care team/);
    expect(text).toContain('988');
    expect(reply('help', { clinicContact: undefined }).text).toContain('your clinic directly');
  });
});
