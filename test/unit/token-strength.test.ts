import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeWeakToken, estimateTokenBits } from '../../src/token-strength.js';

describe('describeWeakToken', () => {
  it.each([
    ['a'.repeat(32), 'it repeats one short pattern'],
    ['abcabcabcabcabcabcabcabc', 'it repeats one short pattern'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', 'it uses too few different characters'],
    ['Zq8!wK2#mP5$aaaaaaaaXr7&Lc9*', 'it has a long run of one character'],
    ['Zq8!wK2#mP5$12345678Xr7&Lc9*', 'it has a long run of consecutive characters'],
    ['correcthorsebattery', 'about 89 bits, fewer than 128'],
  ])('refuses %s: %s', (token, reason) => {
    expect(describeWeakToken(token)).toBe(reason);
  });

  it('takes generated tokens of 128 bits and more (the same 6,000 every run)', () => {
    // Bytes as random as a generator's, but fixed: a chance run cannot make the suite flaky.
    const bytes = (i: number, n: number) => createHash('sha512').update(`token-${i}`).digest().subarray(0, n);
    for (let i = 0; i < 2000; i++) {
      expect(describeWeakToken(bytes(i, 16).toString('hex'))).toBeNull();
      expect(describeWeakToken(bytes(i, 24).toString('base64url'))).toBeNull();
      expect(describeWeakToken(bytes(i, 32).toString('base64'))).toBeNull();
    }
  });

  it('keeps short chance runs in a generated token', () => {
    expect(describeWeakToken('3f9a0000006c41d2b7e85a1c9d04e6b2')).toBeNull();
    expect(describeWeakToken('3f9a0123456c41d2b7e85a1c9d04e6b2')).toBeNull();
  });

  it('estimates bits from the length and the kinds of characters used', () => {
    expect(estimateTokenBits('abcdefghijklmnop')).toBe(75);
    expect(estimateTokenBits(randomBytes(16).toString('hex'))).toBeGreaterThanOrEqual(128);
  });
});
