import { decodeChoice, type ParticipantChoiceButton } from '../../core/participant-message.js';
import type { Db } from '../../db/database.js';
import { isYesNo, keywordOf, NO_WORDS, YES_WORDS } from './sms-text.js';

/** A numbered reply refers to choices of a text sent within this long. */
const CHOICES_VALID_MS = 3 * 86_400_000;

/**
 * Two kinds of question can wait for a text reply at once, one of each: an absence confirmation
 * (the participant's own "can't come Thursday": YES/NO, or numbered when several sessions match)
 * and a menu the bot sent (intake "I understand", the no-show follow-up's four replies, make-up
 * sessions). A new question replaces only its own kind, so a follow-up menu arriving while a
 * confirmation waits does not turn the participant's YES into "technical trouble".
 */
export type PendingKind = 'confirm' | 'menu';
interface PendingEntry {
  choices: ParticipantChoiceButton[];
  at: string;
}
export type PendingChoices = Partial<Record<PendingKind, PendingEntry>>;

export function kindOf(choices: ParticipantChoiceButton[]): PendingKind {
  return choices.some((c) => decodeChoice(c.value)?.t === 'absence_cancel') ? 'confirm' : 'menu';
}

/** What is stored on the participant, read defensively (a list is the single-menu form stored before kinds). */
export function readPendingChoices(stored: unknown, storedAt: Date | null, now: Date): PendingChoices {
  const raw: PendingChoices = Array.isArray(stored)
    ? storedAt
      ? { [kindOf(stored as ParticipantChoiceButton[])]: { choices: stored as ParticipantChoiceButton[], at: storedAt.toISOString() } }
      : {}
    : stored && typeof stored === 'object'
      ? (stored as PendingChoices)
      : {};
  const fresh: PendingChoices = {};
  for (const kind of ['confirm', 'menu'] as const) {
    const entry = raw[kind];
    if (entry && Array.isArray(entry.choices) && now.getTime() - Date.parse(entry.at) < CHOICES_VALID_MS) fresh[kind] = entry;
  }
  return fresh;
}

/**
 * The button a reply picks. A number goes to the latest list shown with numbers (a YES/NO
 * confirmation is shown without, so it takes a number only when nothing numbered waits: "1" is
 * yes). YES goes to the YES/NO confirmation, or to a menu of one ("I understand"); NO cancels the
 * confirmation.
 */
export function pickPendingChoice(pending: PendingChoices, text: string): { kind: PendingKind; button: ParticipantChoiceButton } | null {
  const word = keywordOf(text);
  const { confirm, menu } = pending;
  const yesNo = confirm && isYesNo(confirm.choices) ? confirm : undefined;
  if (/^\d{1,2}$/.test(word)) {
    const numbered = (['confirm', 'menu'] as const)
      .filter((kind) => pending[kind] && pending[kind] !== yesNo)
      .sort((a, b) => Date.parse(pending[b]!.at) - Date.parse(pending[a]!.at));
    const kind = numbered[0] ?? (yesNo ? 'confirm' : undefined);
    const button = kind ? pending[kind]!.choices[Number(word) - 1] : undefined;
    return kind && button ? { kind, button } : null;
  }
  if (YES_WORDS.has(word)) {
    if (yesNo) return { kind: 'confirm', button: yesNo.choices[0]! };
    if (menu?.choices.length === 1) return { kind: 'menu', button: menu.choices[0]! };
    return null;
  }
  if (NO_WORDS.has(word) && confirm) {
    const cancel = confirm.choices.find((c) => decodeChoice(c.value)?.t === 'absence_cancel');
    return cancel ? { kind: 'confirm', button: cancel } : null;
  }
  return null;
}

/** Keeps `choices` as the participant's pending question of their kind (the other kind stays). One statement: a concurrent send cannot lose the other kind. */
export async function storePendingChoices(prisma: Db, participantId: string, choices: ParticipantChoiceButton[], now: Date): Promise<void> {
  if (choices.length === 0) return;
  const entry: PendingEntry = { choices, at: now.toISOString() };
  await prisma.$executeRaw`
    UPDATE "Participant"
    SET "smsChoices" = (CASE WHEN jsonb_typeof("smsChoices") = 'object' THEN "smsChoices" ELSE '{}'::jsonb END) || jsonb_build_object(${kindOf(choices)}::text, ${JSON.stringify(entry)}::jsonb),
        "smsChoicesAt" = ${now}
    WHERE id = ${participantId}::uuid`;
}

/** The question of this kind was answered: its numbers mean nothing any more. */
export async function clearPendingChoices(prisma: Db, participantId: string, kind: PendingKind): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "Participant"
    SET "smsChoices" = CASE WHEN jsonb_typeof("smsChoices") = 'object' THEN "smsChoices" - ${kind}::text ELSE NULL END
    WHERE id = ${participantId}::uuid`;
}
