import { decodeChoice, type ParticipantChoiceButton, type ParticipantMessage } from '../../core/participant-message.js';

/** Reply words that take back all texts, and those that resume them (the carriers' standard keywords). */
export const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
export const START_WORDS = new Set(['START', 'UNSTOP', 'YES START', 'OPTIN']);
export const HELP_WORDS = new Set(['HELP', 'INFO']);
export const YES_WORDS = new Set(['YES', 'Y', 'YEP', 'YEAH', 'CONFIRM', 'OK']);
export const NO_WORDS = new Set(['NO', 'N', 'NOPE']);

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

/** A confirmation of one session: asked as YES/NO rather than numbered. */
export function isYesNo(choices: ParticipantChoiceButton[]): boolean {
  return choices.length === 2 && decodeChoice(choices[1]!.value)?.t === 'absence_cancel';
}
