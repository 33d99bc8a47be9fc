/**
 * A rough guess at how hard a secret is to guess, for refusing the obviously weak at start-up
 * (`aaaaaaaaaaaaaaaa`, `abcabcabc…`, `password12345678`). It cannot prove a token random; it
 * catches what a person types instead of generating one.
 */
export const MIN_TOKEN_BITS = 128;

const CLASSES: Array<[RegExp, number]> = [
  [/[a-z]/, 26],
  [/[A-Z]/, 26],
  [/[0-9]/, 10],
  [/[^a-zA-Z0-9]/, 33],
];

/** Bits if every character were drawn at random from the classes the token uses. */
export function estimateTokenBits(token: string): number {
  const pool = CLASSES.reduce((size, [pattern, count]) => (pattern.test(token) ? size + count : size), 0);
  return pool === 0 ? 0 : Math.floor([...token].length * Math.log2(pool));
}

function longestRun(chars: string[], step: (a: number, b: number) => boolean): number {
  let longest = chars.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < chars.length; i++) {
    run = step(chars[i - 1]!.codePointAt(0)!, chars[i]!.codePointAt(0)!) ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest;
}

function isRepetition(token: string): boolean {
  for (let size = 1; size <= token.length / 2; size++) {
    if (token.length % size === 0 && token.slice(0, size).repeat(token.length / size) === token) return true;
  }
  return false;
}

/**
 * Runs this long are what a person types (`aaaaaaaa`, `12345678`). Shorter ones turn up by chance:
 * a run of 6 is in about 1 of 40,000 random 32-digit hex tokens, of 8 in about 1 of 10 million.
 */
const LONG_RUN = 8;

/** Why the token is too weak, or null. Random tokens of 128 bits pass with overwhelming odds. */
export function describeWeakToken(token: string): string | null {
  const chars = [...token];
  if (isRepetition(token)) return 'it repeats one short pattern';
  if (new Set(chars).size < Math.min(8, Math.ceil(chars.length / 4))) return 'it uses too few different characters';
  if (longestRun(chars, (a, b) => a === b) >= LONG_RUN) return 'it has a long run of one character';
  if (longestRun(chars, (a, b) => b - a === 1) >= LONG_RUN || longestRun(chars, (a, b) => a - b === 1) >= LONG_RUN) return 'it has a long run of consecutive characters';
  const bits = estimateTokenBits(token);
  if (bits < MIN_TOKEN_BITS) return `about ${bits} bits, fewer than ${MIN_TOKEN_BITS}`;
  return null;
}
