import { z } from 'zod';
import { absenceCategorySchema } from './policy.js';

/**
 * A message to one participant, on any chat platform: fixed, kind text built from facts the bot
 * holds, and buttons. Slack, Teams and Zoom render it; a button press comes back as its `value`
 * and is handled by services/participant-choices.ts, whose answer replaces the message.
 */
export interface ParticipantMessage {
  text: string;
  choices: ParticipantChoiceButton[];
}

export interface ParticipantChoiceButton {
  label: string;
  /** An encoded ParticipantChoice (encodeChoice); opaque to platforms. */
  value: string;
  style?: 'primary' | 'danger';
}

/**
 * What a participant's button means. Values travel through the chat platform and come back from
 * the participant's own client, so they are parsed as untrusted input: every id is checked again
 * against the participant who pressed it.
 */
export const participantChoiceSchema = z.discriminatedUnion('t', [
  /** "I'll miss <session>": report an absence for that session with the category the message named. */
  z.object({ t: z.literal('absence'), s: z.uuid(), c: absenceCategorySchema }),
  /** "No, that's not right" on an absence confirmation. */
  z.object({ t: z.literal('absence_cancel') }),
  /** A reply to a facilitator's check-in about an alert. */
  z.object({ t: z.literal('checkin'), a: z.uuid(), r: z.enum(['ok', 'help']) }),
  /** "I understand" on the intake message of a program. */
  z.object({ t: z.literal('ack'), p: z.uuid() }),
  /** A reply to "We missed you today": technical trouble, something came up, reschedule, talk to someone. */
  z.object({ t: z.literal('noshow'), s: z.uuid(), r: z.enum(['technical', 'came_up', 'reschedule', 'talk']) }),
  /** Book session `s` as the make-up of missed session `m`. */
  z.object({ t: z.literal('makeup'), m: z.uuid(), s: z.uuid() }),
]);
export type ParticipantChoice = z.infer<typeof participantChoiceSchema>;

const PREFIX = 'rc1:';

export function encodeChoice(choice: ParticipantChoice): string {
  return PREFIX + JSON.stringify(choice);
}

/** The choice a button value holds, or null for anything not made by encodeChoice. */
export function decodeChoice(value: unknown): ParticipantChoice | null {
  if (typeof value !== 'string' || !value.startsWith(PREFIX)) return null;
  try {
    const parsed = participantChoiceSchema.safeParse(JSON.parse(value.slice(PREFIX.length)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function choiceButton(label: string, choice: ParticipantChoice, style?: ParticipantChoiceButton['style']): ParticipantChoiceButton {
  return { label, value: encodeChoice(choice), ...(style ? { style } : {}) };
}
