import { decodeChoice, type ParticipantChoiceButton, type ParticipantMessage } from '../../core/participant-message.js';

/** Reply words that take back all texts, and those that resume them (the carriers' standard keywords). */
export const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
export const START_WORDS = new Set(['START', 'UNSTOP', 'YES START', 'OPTIN']);
export const HELP_WORDS = new Set(['HELP', 'INFO']);
const YES_WORDS = new Set(['YES', 'Y', 'YEP', 'YEAH', 'CONFIRM', 'OK']);
const NO_WORDS = new Set(['NO', 'N', 'NOPE']);

/** A reply reduced to a keyword: upper case, single spaces, no surrounding punctuation. */
export function keywordOf(text: string): string {
  return text.normalize('NFKC').toUpperCase().replace(/\s+/g, ' ').replace(/^[\s.!?]+|[\s.!?]+$/g, '');
}

/**
 * A ParticipantMessage as one text: buttons become numbered lines ("Reply 1 …"). A confirmation
 * with one option and "No, that's not right" reads "Reply YES …, or NO": people answer in words.
 */
export function renderSms(message: ParticipantMessage, rename: (text: string) => string = (t) => t): string {
  const text = rename(message.text);
  if (message.choices.length === 0) return text;
  if (isYesNo(message.choices)) return `${text}\nReply YES to confirm, or NO if that's not right.`;
  const lines = message.choices.map((choice, i) => `${i + 1}: ${rename(choice.label)}`);
  return `${text}\n${lines.join('\n')}\nReply with a number.`;
}

function isYesNo(choices: ParticipantChoiceButton[]): boolean {
  return choices.length === 2 && decodeChoice(choices[1]!.value)?.t === 'absence_cancel';
}

/** The button a reply picks from the last choices sent: a number, or YES/NO on a confirmation. */
export function pickChoice(choices: ParticipantChoiceButton[], text: string): ParticipantChoiceButton | null {
  const word = keywordOf(text);
  const number = /^\d{1,2}$/.test(word) ? Number(word) : null;
  if (number !== null) return choices[number - 1] ?? null;
  if (YES_WORDS.has(word)) return choices[0] ?? null;
  if (NO_WORDS.has(word)) return choices.find((c) => decodeChoice(c.value)?.t === 'absence_cancel') ?? null;
  return null;
}
