/**
 * The words of the care workflows (docs/care.md quotes them): fixed, plain and kind, built only
 * from facts the bot holds (program names, times, links, hours). Nothing here counsels, diagnoses
 * or guesses at feelings; anything beyond logistics goes to a person.
 */
import { DateTime } from 'luxon';
import { choiceButton, type ParticipantMessage } from './participant-message.js';
import type { AbsenceCategory, Policy } from './policy.js';

const REASON_WORDS: Record<AbsenceCategory, string> = {
  technical: 'technical problems',
  illness: 'illness',
  family_emergency: 'family or personal emergencies',
  work_school: 'work or school',
  transport: 'transport problems',
  other: 'other reasons',
};

const when = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat("ccc d LLL 'at' HH:mm");
const clock = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('HH:mm');
const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? '';

export function hoursText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Intake: what the program expects, with one button to say it was read. */
export function intakeMessage(input: { participantName: string; programId: string; programName: string; policy: Policy }): ParticipantMessage {
  const { policy } = input;
  const excused = policy.excusedReasons.map((r) => REASON_WORDS[r]);
  const lines = [
    `Hi ${firstName(input.participantName)}, welcome to ${input.programName}. We're glad you're here. Here is how attendance works, so nothing comes as a surprise:`,
    ...(policy.weeklyHoursRequired > 0 ? [`• The program asks for ${hoursText(Math.round(policy.weeklyHoursRequired * 60))} of group time each week.`] : []),
    `• Joining more than ${policy.lateAfterMinutes} minutes after the start counts as late. Not joining within ${policy.noShowAfterMinutes} minutes counts as a missed session.`,
    `• If you can't make a session, just tell me here, for example "I can't make it Thursday"${policy.absenceNoticeHours > 0 ? `, ideally at least ${policy.absenceNoticeHours} hours before it starts` : ''}.${excused.length ? ` Absences for ${list(excused)} are excused.` : ''}`,
    `• If you miss a session, you can make it up in another session within ${policy.makeUpWindowDays} days. I'll offer you the ones with room.`,
    '• If absences add up, a person from your care team talks it through with you. Decisions are always made by people, never by this bot.',
    `When you've read this, please press "I understand". If anything is unclear, your care team is happy to help.`,
  ];
  return { text: lines.join('\n'), choices: [choiceButton('I understand', { t: 'ack', p: input.programId }, 'primary')] };
}

export function intakeAcknowledged(): ParticipantMessage {
  return { text: "Thank you! I've let your care team know you've read the attendance expectations. See you in group.", choices: [] };
}

/** The DM before a session, with the way in. */
export function reminderMessage(input: { participantName: string; programName: string; startsAt: Date; zone: string; joinUrl: string | null; minutesBefore: number }): ParticipantMessage {
  return {
    text: [
      `Hi ${firstName(input.participantName)}, a friendly reminder: ${input.programName} starts at ${clock(input.startsAt, input.zone)} (in ${input.minutesBefore} minutes).`,
      input.joinUrl ? `Join here: ${input.joinUrl}` : 'Join with your usual link.',
      "If you can't make it, just tell me here.",
    ].join('\n'),
    choices: [],
  };
}

/** The weekly progress message: hours so far against the requirement, sessions ahead. */
export function weeklyProgressMessage(input: {
  participantName: string;
  programName: string;
  minutes: number;
  requiredMinutes: number;
  sessionsAhead: number;
  /** The week in words (core/weekly-credit.ts): "met", "short by 2 h", "on track (2 sessions left)". */
  weekText?: string;
  nextSession?: { startsAt: Date; zone: string };
}): ParticipantMessage {
  const { minutes, requiredMinutes, sessionsAhead } = input;
  const ahead = sessionsAhead === 0 ? 'No more sessions are scheduled this week.' : `${sessionsAhead} session${sessionsAhead === 1 ? '' : 's'} ahead this week${input.nextSession ? `; the next is ${when(input.nextSession.startsAt, input.nextSession.zone)}` : ''}.`;
  const standing =
    requiredMinutes <= 0
      ? ''
      : minutes >= requiredMinutes
        ? " You've met this week's hours. Well done!"
        : ` That's ${hoursText(requiredMinutes - minutes)} to go${input.weekText?.startsWith('on track') ? ", and you're on track" : ''}.`;
  return {
    text: [
      requiredMinutes > 0
        ? `Hi ${firstName(input.participantName)}, here is your week in ${input.programName}: ${hoursText(minutes)} of ${hoursText(requiredMinutes)} so far.${standing}`
        : `Hi ${firstName(input.participantName)}, here is your week in ${input.programName}: ${hoursText(minutes)} of group time so far.`,
      ahead,
      'Type "status" any time to see this again.',
    ].join('\n'),
    choices: [],
  };
}

/** The early warning to the participant: the week can no longer be met with the sessions left. */
export function hoursAtRiskMessage(input: { participantName: string; programName: string; minutes: number; requiredMinutes: number }): ParticipantMessage {
  return {
    text: [
      `Hi ${firstName(input.participantName)}, a heads-up about ${input.programName}: this week you have ${hoursText(input.minutes)} of the ${hoursText(input.requiredMinutes)}, and the sessions left this week can't quite make up the difference.`,
      "That's okay, and it happens. Your care team knows and will help you find a plan, such as a make-up session. You can also reply here any time.",
    ].join('\n'),
    choices: [],
  };
}

export const NO_SHOW_REPLIES = ['technical', 'came_up', 'reschedule', 'talk'] as const;
export type NoShowReply = (typeof NO_SHOW_REPLIES)[number];

/** After a missed session: a caring check with reply buttons, and the library (which never counts as attendance). */
export function noShowFollowUpMessage(input: { sessionId: string; materials: { title: string; url: string }[] }): ParticipantMessage {
  const library = input.materials.slice(0, 5);
  return {
    text: [
      'We missed you today — is everything OK?',
      'If you like, let us know what happened with one of the buttons below.',
      ...(library.length
        ? ["If you'd like to catch up, these are from your program's library (they're for you to read or watch, and don't count as attendance):", ...library.map((m) => `• ${m.title}: ${m.url}`)]
        : []),
    ].join('\n'),
    choices: [
      choiceButton('I had technical trouble', { t: 'noshow', s: input.sessionId, r: 'technical' }),
      choiceButton('Something came up', { t: 'noshow', s: input.sessionId, r: 'came_up' }),
      choiceButton("I'd like to reschedule", { t: 'noshow', s: input.sessionId, r: 'reschedule' }, 'primary'),
      choiceButton("I'd like to talk to someone", { t: 'noshow', s: input.sessionId, r: 'talk' }),
    ],
  };
}

/** Troubleshooting steps (fixed) and the clinic's tech contact. */
export function techHelpText(input: { joinUrl: string | null; techContact?: string; lead?: string }): string {
  return [
    input.lead ?? 'Sorry about the technical trouble. A few things that usually help:',
    '1. Check your internet connection: move closer to your Wi-Fi router, or switch between Wi-Fi and mobile data.',
    `2. Rejoin with your link${input.joinUrl ? `: ${input.joinUrl}` : ' (the same one you used to join)'}.`,
    '3. If your clinic offers phone dial-in, you can call in instead; the dial-in number is in your meeting invitation.',
    '4. Update the meeting app (or restart your device) before the next session.',
    input.techContact ? `If it still doesn't work, contact ${input.techContact}.` : "If it still doesn't work, please contact your clinic and they'll help.",
  ].join('\n');
}

export function techHelpMessage(input: { joinUrl: string | null; techContact?: string }): ParticipantMessage {
  return {
    text: techHelpText({ ...input, lead: 'It looks like your connection dropped a few times in group today. Sorry about that! A few things that usually help:' }),
    choices: [],
  };
}

export interface MakeUpOption {
  sessionId: string;
  programName: string;
  startsAt: Date;
}

/** Bookable make-ups as buttons; the press books one (participant-choices.ts). */
export function makeUpChoices(missedSessionId: string, options: MakeUpOption[], zone: string): ParticipantMessage['choices'] {
  return options.slice(0, 4).map((o) => choiceButton(`${o.programName}, ${DateTime.fromJSDate(o.startsAt, { zone }).toFormat('ccc d LLL HH:mm')}`, { t: 'makeup', m: missedSessionId, s: o.sessionId }));
}

export function makeUpOfferMessage(input: { greeting?: string; missedSessionId: string; options: MakeUpOption[]; zone: string }): ParticipantMessage {
  if (input.options.length === 0) {
    return { text: `${input.greeting ?? ''}There's no make-up session with room in the next few days. Please contact your clinic and they'll help you find one.`.trim(), choices: [] };
  }
  return { text: `${input.greeting ?? ''}If you'd like to make up the session, pick one of these. Each has room for you:`.trim(), choices: makeUpChoices(input.missedSessionId, input.options, input.zone) };
}

export function makeUpBooked(input: { programName: string; startsAt: Date; zone: string; reminders: boolean }): ParticipantMessage {
  return {
    text: `You're booked for ${input.programName}, ${when(input.startsAt, input.zone)}. Attending it makes up the session you missed${input.reminders ? ", and I'll remind you before it starts" : ''}.`,
    choices: [],
  };
}
