import { describe, expect, it } from 'vitest';
import { hoursText, intakeMessage, noShowFollowUpMessage, reminderMessage, techHelpText, weeklyProgressMessage } from '../../../src/core/care-messages.js';
import { decodeChoice } from '../../../src/core/participant-message.js';
import { resolvePolicy } from '../../../src/core/policy.js';

const PROGRAM = '00000000-0000-4000-8000-00000000000a';
const SESSION = '00000000-0000-4000-8000-00000000000b';

describe('care messages', () => {
  it('intake names the weekly hours, lateness, how to report, make-ups and that people decide, with "I understand"', () => {
    const message = intakeMessage({ participantName: 'Alex Kim', programId: PROGRAM, programName: 'Adult IOP', policy: resolvePolicy({}) });
    expect(message.text).toContain('Hi Alex');
    expect(message.text).toContain('9 h of group time each week');
    expect(message.text).toContain('more than 5 minutes after the start counts as late');
    expect(message.text).toContain('"I can\'t make it Thursday"');
    expect(message.text).toContain('within 14 days');
    expect(message.text).toContain('never by this bot');
    expect(message.choices.map((c) => [c.label, decodeChoice(c.value)])).toEqual([['I understand', { t: 'ack', p: PROGRAM }]]);
  });

  it('the no-show follow-up asks kindly, offers four replies and the library, which never counts', () => {
    const message = noShowFollowUpMessage({ sessionId: SESSION, materials: [{ title: 'Grounding worksheet', url: 'https://example.org/g.pdf' }] });
    expect(message.text.startsWith('We missed you today — is everything OK?')).toBe(true);
    expect(message.text).toContain("don't count as attendance");
    expect(message.text).toContain('• Grounding worksheet: https://example.org/g.pdf');
    expect(message.choices.map((c) => decodeChoice(c.value))).toEqual(['technical', 'came_up', 'reschedule', 'talk'].map((r) => ({ t: 'noshow', s: SESSION, r })));
  });

  it('a reminder carries the join link and the local start', () => {
    const message = reminderMessage({ participantName: 'Alex Kim', programName: 'Adult IOP', startsAt: new Date('2026-03-02T23:00:00Z'), zone: 'America/New_York', joinUrl: 'https://zoom.us/j/1', minutesBefore: 30 });
    expect(message.text).toContain('starts at 18:00 (in 30 minutes)');
    expect(message.text).toContain('Join here: https://zoom.us/j/1');
  });

  it('tech help has the fixed steps and the clinic contact', () => {
    const text = techHelpText({ joinUrl: 'https://zoom.us/j/1', techContact: 'the IT line (555) 010-0100' });
    expect(text).toMatch(/internet connection[\s\S]*Rejoin with your link: https:\/\/zoom.us\/j\/1[\s\S]*phone dial-in[\s\S]*Update the meeting app/);
    expect(text).toContain('contact the IT line (555) 010-0100');
  });

  it('weekly progress: hours against the requirement and what is ahead; without a requirement, just the hours', () => {
    const zone = 'America/New_York';
    const ahead = weeklyProgressMessage({ participantName: 'Alex Kim', programName: 'Adult IOP', minutes: 180, requiredMinutes: 540, sessionsAhead: 2, nextSession: { startsAt: new Date('2026-03-04T23:00:00Z'), zone } });
    expect(ahead.text).toContain('here is your week in Adult IOP: 3 h of 9 h so far. That\'s 6 h to go.');
    expect(ahead.text).toContain('2 sessions ahead this week; the next is Wed 4 Mar at 18:00.');
    const onTrack = weeklyProgressMessage({ participantName: 'Alex Kim', programName: 'Adult IOP', minutes: 180, requiredMinutes: 540, sessionsAhead: 2, weekText: 'on track (2 sessions left)' });
    expect(onTrack.text).toContain("3 h of 9 h so far. That's 6 h to go, and you're on track.");
    expect(weeklyProgressMessage({ participantName: 'Alex Kim', programName: 'Adult IOP', minutes: 540, requiredMinutes: 540, sessionsAhead: 0 }).text).toContain("You've met this week's hours. Well done!");
    expect(weeklyProgressMessage({ participantName: 'Alex Kim', programName: 'Adult IOP', minutes: 60, requiredMinutes: 0, sessionsAhead: 0 }).text).toContain('1 h of group time so far.');
  });

  it('hours read naturally', () => {
    expect([hoursText(45), hoursText(180), hoursText(545)]).toEqual(['45 min', '3 h', '9 h 5 min']);
  });
});
