/**
 * The platform-neutral participant chat: what the bot answers to a participant's direct message.
 * Slack, Teams and Zoom render the Reply; none of them decides it. Pure: time, zone and the
 * participant's facts are arguments.
 *
 * Order (DESIGN.md, "Care and safety"):
 *   1. crisis word list: always first, even when participant chat is off, whatever else the message
 *      says. A fixed reply with crisis resources and an urgent staff alert; nothing else is done with
 *      the message (no absence is read from it: people take over from here).
 *   2. participant chat off (Slack unless the organization turned it on): a polite pointer elsewhere.
 *   3. commands: `status` (also `progress`, `hours`), `help`.
 *   4. an absence report: confirm the exact session(s) with buttons, or ask which day.
 *   5. anything else: a short pointer to `help`.
 *
 * Every reply is built from fixed text and facts the bot holds (program names, session times,
 * contacts): no reply repeats the participant's words, and none counsels or infers feelings.
 */
import { DateTime } from 'luxon';
import { isAbsenceReport, parseAbsenceReport, type AbsenceReport, type UpcomingSession } from './absence-parsing.js';
import type { AbsenceCategory } from './absence-category.js';
import { detectCrisis, type CrisisTermList } from './crisis.js';

export interface ConversationSession extends UpcomingSession {
  /** Shown on the confirmation buttons; "Group session" when absent. */
  programName?: string;
}

export interface CrisisContact {
  label: string;
  phone?: string;
  /** A number (or short code) to text. */
  text?: string;
  url?: string;
}

export interface ConversationInput {
  text: string;
  now: Date;
  /** The participant's IANA zone: dates in the message are read, and times shown, in it. */
  timezone: string;
  participantChatEnabled: boolean;
  upcomingSessions: ConversationSession[];
  /** This week's hours; `text` in words ("on track (2 sessions left)"). */
  weekly?: { minutes: number; requiredMinutes: number; text?: string };
  strikes?: number;
  nextSession?: { startsAt: Date; programName: string };
  /** How to reach the clinic, e.g. "the front desk at (555) 010-0000". */
  clinicContact?: string;
  /** The clinic's own crisis contacts, listed after 988 and 911. */
  crisisContacts?: CrisisContact[];
  /** The crisis word list; the clinic-reviewed default when absent. */
  crisisTerms?: CrisisTermList;
}

export interface AbsenceOption {
  sessionId: string;
  /** Program and local date and time, e.g. `Adult IOP – Evening · Thu, Mar 5, 6:00 PM PST`. */
  label: string;
}

export type Reply =
  /** Send `text` at once and raise an urgent `Crisis` alert naming no words of the message. */
  | { type: 'crisis'; text: string; alertStaff: true; termIds: string[] }
  | { type: 'chat_disabled'; text: string }
  /**
   * One button per option confirms that session's absence; renderers add a "No, that's not right"
   * button that asks again. `sessionIds` are all the sessions named, `date` their local date.
   */
  | { type: 'confirm_absence'; text: string; sessionIds: string[]; date: string; category: AbsenceCategory; options: AbsenceOption[] }
  | { type: 'absence_unclear'; text: string }
  | { type: 'status'; text: string }
  | { type: 'help'; text: string }
  | { type: 'fallback'; text: string };

export type ReplyType = Reply['type'];

/** Fixed text; reviewed with the clinic, not generated. */
export const CRISIS_REPLY =
  'If you are in danger or thinking about hurting yourself, please call or text 988 (Suicide & Crisis Lifeline) now, ' +
  'or call 911 in an emergency. I’ve let your care team know.';

const LOCALE = 'en-US';
const STATUS_COMMANDS = new Set(['status', 'progress', 'hours', 'my status', 'my progress', 'my hours']);
const HELP_COMMANDS = new Set(['help', 'menu', 'commands', '?']);

const CATEGORY_TEXT: Record<AbsenceCategory, string | null> = {
  technical: 'a technical problem',
  illness: 'illness',
  family_emergency: 'a family or personal emergency',
  work_school: 'work or school',
  transport: 'transport',
  other: null,
};

export function decideReply(input: ConversationInput): Reply {
  const crisis = detectCrisis(input.text, input.crisisTerms);
  if (crisis.matched) return { type: 'crisis', text: crisisText(input), alertStaff: true, termIds: crisis.termIds };

  if (!input.participantChatEnabled) {
    return {
      type: 'chat_disabled',
      text:
        'Sorry, this chat can’t be used for messages with your care team. ' +
        `Please contact ${input.clinicContact ?? 'your clinic directly'}. ` +
        'If you are in danger, call or text 988, or call 911 in an emergency.',
    };
  }

  const command = asCommand(input.text);
  if (command !== null && STATUS_COMMANDS.has(command)) return { type: 'status', text: statusText(input) };
  if (command !== null && HELP_COMMANDS.has(command)) return { type: 'help', text: helpText(input) };

  // Only a message that reads as an absence: "what time is group tomorrow?" names a day but reports nothing.
  if (isAbsenceReport(input.text)) return absenceReply(input, parseAbsenceReport(input.text, input));

  return { type: 'fallback', text: 'I’m an automated attendance assistant and can’t reply to messages. Send “help” to see what I can do.' };
}

/** Formats minutes as `9 h`, `6 h 30 min` or `45 min`. */
export function formatHoursMinutes(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  const [hours, rest] = [Math.floor(total / 60), total % 60];
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function absenceReply(input: ConversationInput, report: AbsenceReport): Reply {
  const reason = CATEGORY_TEXT[report.category];
  const reasonText = reason ? ` Reason noted: ${reason}.` : '';
  if (report.date !== null && report.sessionIds.length > 0) {
    const sessions = report.sessionIds
      .map((id) => input.upcomingSessions.find((session) => session.id === id))
      .filter((session): session is ConversationSession => session !== undefined);
    const options = sessions.map((session) => ({ sessionId: session.id, label: optionLabel(session, input.timezone) }));
    const [only] = sessions;
    const text =
      sessions.length === 1 && only
        ? `Thanks for letting us know. Please confirm: you will miss ${programOf(only)} on ${longTime(only.startsAt, input.timezone)}.${reasonText}`
        : `Thanks for letting us know. You have ${sessions.length} sessions on ${longDate(report.date, input.timezone)}. ` +
          `Which will you miss?${reasonText}`;
    return { type: 'confirm_absence', text, sessionIds: sessions.map((s) => s.id), date: report.date, category: report.category, options };
  }
  const pending = input.upcomingSessions.some((session) => session.endsAt.getTime() > input.now.getTime());
  if (!pending) {
    return {
      type: 'absence_unclear',
      text: `Thanks for letting us know. I don’t see any upcoming sessions for you, so please contact ${input.clinicContact ?? 'your clinic directly'}.`,
    };
  }
  const example = 'For example: “I can’t make it tomorrow” or “I’ll miss group on Thursday”.';
  if (report.date !== null) {
    return {
      type: 'absence_unclear',
      text: `I don’t see a session for you on ${longDate(report.date, input.timezone)}. Which day’s session will you miss? ${example}`,
    };
  }
  return { type: 'absence_unclear', text: `Thanks for letting us know. Which day’s session will you miss? ${example}` };
}

function crisisText(input: ConversationInput): string {
  const contacts = (input.crisisContacts ?? []).map((contact) => {
    const ways = [
      contact.phone ? `call ${contact.phone}` : null,
      contact.text ? `text ${contact.text}` : null,
      contact.url ?? null,
    ].filter((way): way is string => way !== null);
    return ways.length > 0 ? `${contact.label}: ${ways.join(', ')}` : contact.label;
  });
  if (contacts.length > 0) return `${CRISIS_REPLY}\nYou can also reach:\n${contacts.map((line) => `• ${line}`).join('\n')}`;
  if (input.clinicContact) return `${CRISIS_REPLY}\nYou can also reach your clinic: ${input.clinicContact}.`;
  return CRISIS_REPLY;
}

function statusText(input: ConversationInput): string {
  const lines: string[] = [];
  if (input.weekly) {
    const { minutes, requiredMinutes, text } = input.weekly;
    const left = requiredMinutes - minutes;
    const words = text ?? (left > 0 ? `${formatHoursMinutes(left)} to go` : 'weekly requirement met');
    lines.push(`This week: ${formatHoursMinutes(minutes)} of ${formatHoursMinutes(requiredMinutes)} (${words}).`);
  } else {
    lines.push('This week’s hours aren’t available yet.');
  }
  if (input.strikes !== undefined) lines.push(`Strikes: ${input.strikes === 0 ? 'none' : input.strikes}.`);
  const next = input.nextSession ?? nextFromUpcoming(input);
  lines.push(next ? `Next session: ${next.programName}, ${longTime(next.startsAt, input.timezone)}.` : 'No upcoming session is scheduled.');
  return lines.join('\n');
}

function nextFromUpcoming(input: ConversationInput): { startsAt: Date; programName: string } | undefined {
  const next = input.upcomingSessions
    .filter((session) => session.startsAt.getTime() > input.now.getTime())
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];
  return next ? { startsAt: next.startsAt, programName: programOf(next) } : undefined;
}

function helpText(input: ConversationInput): string {
  return [
    'I’m Rollcall, an automated attendance assistant. I can:',
    '• record an absence: tell me which day and why, e.g. “I can’t make it tomorrow, I’m sick”',
    '• show this week’s hours, your strikes and your next session: send “status”',
    `For anything else, please contact ${input.clinicContact ?? 'your clinic directly'}; messages here are not read by your care team.`,
    'If you are in danger, call or text 988, or call 911 in an emergency.',
  ].join('\n');
}

function asCommand(text: string): string | null {
  const normalized = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  if (normalized === '?') return '?';
  const command = normalized.replace(/^[/!]+/, '').replace(/[.!?\s]+$/, '');
  return STATUS_COMMANDS.has(command) || HELP_COMMANDS.has(command) ? command : null;
}

const programOf = (session: ConversationSession) => session.programName ?? 'Group session';
const local = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).setLocale(LOCALE);
/** `Thursday, March 5 at 6:00 PM PST` */
const longTime = (at: Date, zone: string) => local(at, zone).toFormat("cccc, LLLL d 'at' h:mm a ZZZZ");
/** `Thursday, March 5` */
const longDate = (date: string, zone: string) => DateTime.fromISO(date, { zone }).setLocale(LOCALE).toFormat('cccc, LLLL d');
/** `Adult IOP – Evening · Thu, Mar 5, 6:00 PM PST` */
const optionLabel = (session: ConversationSession, zone: string) =>
  `${programOf(session)} · ${local(session.startsAt, zone).toFormat('ccc, LLL d, h:mm a ZZZZ')}`;
