import type { NameDisplay } from './policy.js';

const UNKNOWN = 'Unknown participant';
// Generational suffixes are not surnames: "Jordan Alvarez Jr." is Jordan A.
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * How a participant is named in a staff channel: the least that lets staff know who is meant
 * (DESIGN.md, "Care and safety"). Names are typed by people, so spacing, punctuation, emoji and
 * "Last, First" order are all expected.
 */
export function displayLabel(fullName: string, nameDisplay: NameDisplay): string {
  const tidy = fullName.normalize('NFC').trim().replace(/\s+/g, ' ');
  const words = nameWords(tidy);
  const first = words[0];
  // No letters at all (a phone number, an emoji): nothing that names a person safely.
  if (!first) return nameDisplay === 'full' && tidy ? tidy : UNKNOWN;
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  switch (nameDisplay) {
    case 'full':
      return tidy;
    case 'initials':
      return last ? `${initial(first)}.${initial(last)}.` : `${initial(first)}.`;
    case 'first_last_initial':
      return last ? `${first} ${initial(last)}.` : first;
  }
}

/** The words of a name that carry letters, given name first, without generational suffixes. */
function nameWords(name: string): string[] {
  const split = (part: string) =>
    part
      .split(' ')
      // Strip wrapping punctuation ("(Jo)", "Alvarez,"); keep marks that belong to the last letter.
      .map((word) => word.replace(/^[^\p{L}]+|[^\p{L}\p{M}]+$/gu, ''))
      .filter((word) => word !== '');
  const comma = name.indexOf(',');
  let words = split(name);
  if (comma > 0) {
    const before = split(name.slice(0, comma));
    const after = split(name.slice(comma + 1));
    // "Alvarez, Jordan" is surname first; "Jordan Alvarez, Jr." is not.
    if (after.length > 0 && !after.every(isSuffix)) words = [...after, ...before];
  }
  while (words.length > 2 && isSuffix(words[words.length - 1]!)) words = words.slice(0, -1);
  return words;
}

function isSuffix(word: string): boolean {
  return SUFFIXES.has(word.toLowerCase());
}

/** The first letter as a reader sees it (a whole grapheme, so "Ørsted" gives "Ø" and "Zoë" stays intact). */
function initial(word: string): string {
  for (const { segment } of graphemes.segment(word)) {
    if (/\p{L}/u.test(segment)) return segment.toUpperCase();
  }
  return word;
}
