/**
 * Crisis word list matching (DESIGN.md, "Care and safety").
 *
 * A participant message that matches the clinic-reviewed word list (crisis-terms.json) gets a fixed
 * reply with crisis resources and an urgent alert to staff. This is a fixed-rule hand-off to
 * people, not an assessment: nothing here scores, weighs or interprets the message, and a mention
 * is enough (see the list's `_about` for the false-positive policy).
 *
 * The message's words never leave `detectCrisis`: it returns term ids only, and nothing here logs.
 */
import { z } from 'zod';
import crisisTermsData from './crisis-terms.json' with { type: 'json' };

export const CRISIS_CATEGORIES = ['suicide', 'self_harm', 'overdose'] as const;
export type CrisisCategory = (typeof CRISIS_CATEGORIES)[number];

export interface CrisisTerm {
  /** Stable id, safe to store and show to staff (it is not the participant's words). */
  id: string;
  /** A phrase in the list's syntax (see crisis-terms.json `_about`). */
  pattern: string;
  category: CrisisCategory;
}

/** A non-crisis idiom blanked out before matching; a term elsewhere in the message still matches. */
export interface CrisisExclusion {
  id: string;
  pattern: string;
}

export interface CrisisTermList {
  version?: number;
  terms: CrisisTerm[];
  exclusions: CrisisExclusion[];
}

export interface CrisisDetection {
  matched: boolean;
  /** Ids of the matched terms, in list order; never the message's words. */
  termIds: string[];
}

const entry = z.object({ id: z.string().trim().min(1), pattern: z.string().trim().min(1) });
const listSchema = z.object({
  version: z.number().int().optional(),
  terms: z.array(entry.extend({ category: z.enum(CRISIS_CATEGORIES) })).min(1),
  exclusions: z.array(entry).default([]),
});

/**
 * Validates a word list (e.g. the clinic-reviewed JSON) and checks every pattern compiles. Throws
 * with the offending id: a broken list must stop the app at start-up, never silently match nothing.
 */
// Declared before the default list is compiled at module load.
const cache = new WeakMap<CrisisTermList, Compiled>();

export function parseCrisisTerms(data: unknown): CrisisTermList {
  const parsed = listSchema.parse(data);
  const list: CrisisTermList = {
    ...(parsed.version === undefined ? {} : { version: parsed.version }),
    terms: parsed.terms.map(({ id, pattern, category }) => ({ id, pattern, category })),
    exclusions: parsed.exclusions.map(({ id, pattern }) => ({ id, pattern })),
  };
  const seen = new Set<string>();
  for (const { id } of [...list.terms, ...list.exclusions]) {
    if (seen.has(id)) throw new Error(`crisis word list: duplicate id "${id}"`);
    seen.add(id);
  }
  compile(list);
  return list;
}


/**
 * NFKC, format characters (zero-width spaces, soft hyphens) removed, curly quotes made straight,
 * lower case, everything but letters, digits and in-word apostrophes turned into single spaces;
 * "my self" is read as "myself".
 */
export function normalizeCrisisText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC\u02BB\u0060\u00B4\uFF07]/g, "'")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}']+/gu, ' ')
    // An apostrophe not inside a word is a quote mark: "'kill myself'" reads as kill myself.
    .replace(/(?<![\p{L}\p{M}\p{N}])'+|'+(?![\p{L}\p{M}\p{N}])/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/(?<![\p{L}\p{M}\p{N}])my self(?![\p{L}\p{M}\p{N}])/gu, 'myself')
    .trim();
}

/** Ids (never words) of the crisis terms the message matches. Pure; no logging. */
export function detectCrisis(text: string, terms: CrisisTermList = defaultCrisisTerms): CrisisDetection {
  const { termRegexes, exclusionRegexes } = compile(terms);
  let normalized = normalizeCrisisText(text);
  for (const exclusion of exclusionRegexes) normalized = normalized.replace(exclusion, ' ');
  const termIds = termRegexes.filter(({ regex }) => regex.test(normalized)).map(({ id }) => id);
  return { matched: termIds.length > 0, termIds };
}

const WORD_CHAR = "[\\p{L}\\p{M}\\p{N}']";
const START = '(?<![\\p{L}\\p{M}\\p{N}])';
const END = '(?![\\p{L}\\p{M}\\p{N}])';
/** `...`: up to three other words. */
const GAP = `(?: ${WORD_CHAR}+){0,3}`;

interface Compiled {
  termRegexes: { id: string; regex: RegExp }[];
  exclusionRegexes: RegExp[];
}

function compile(list: CrisisTermList): Compiled {
  const cached = cache.get(list);
  if (cached) return cached;
  const compiled: Compiled = {
    termRegexes: list.terms.map(({ id, pattern }) => ({ id, regex: new RegExp(patternSource(id, pattern), 'u') })),
    exclusionRegexes: list.exclusions.map(({ id, pattern }) => new RegExp(patternSource(id, pattern), 'gu')),
  };
  cache.set(list, compiled);
  return compiled;
}

/** One phrase of the list's syntax as a regular expression over normalized text. */
function patternSource(id: string, pattern: string): string {
  const tokens = pattern.trim().split(/\s+/);
  if (tokens[0] === '...' || tokens.at(-1) === '...') throw new Error(`crisis word list: "${id}" may not start or end with "..."`);
  let source = '';
  tokens.forEach((token, i) => {
    if (token === '...') {
      if (tokens[i - 1] === '...') throw new Error(`crisis word list: "${id}" has "..." twice in a row`);
      source += GAP;
      return;
    }
    const alternatives = token.split('|').map((word) => wordSource(id, word));
    // Between words: any spaces or punctuation (already one space after normalization), or none.
    source += `${i === 0 ? '' : ' ?'}(?:${alternatives.join('|')})`;
  });
  return `${START}${source}${END}`;
}

function wordSource(id: string, word: string): string {
  const wildcard = word.endsWith('*');
  const stem = normalizeCrisisText(wildcard ? word.slice(0, -1) : word);
  if (!stem || stem.includes(' ') || stem.includes('*')) throw new Error(`crisis word list: "${id}" has an unusable word "${word}"`);
  const escaped = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "'?");
  return wildcard ? `${escaped}${WORD_CHAR}*` : escaped;
}

// Compiled last, once every constant it uses is initialized.
/** The clinic-reviewed list shipped in crisis-terms.json. */
export const defaultCrisisTerms: CrisisTermList = parseCrisisTerms(crisisTermsData);
