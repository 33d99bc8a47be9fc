import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeWeakToken, estimateTokenBits } from '../../src/token-strength.js';

describe('describeWeakToken', () => {
  it.each([
    ['a'.repeat(32), 'it repeats one short pattern'],
    ['abcabcabcabcabcabcabcabc', 'it repeats one short pattern'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', 'it uses too few different characters'],
    ['Zq8!wK2#mP5$aaaaaaXr7&Lc9*', 'it has a long run of one character'],
    ['Zq8!wK2#mP5$12345678Xr7&Lc9*', 'it has a long run of consecutive characters'],
    ['correcthorsebattery', 'about 89 bits, fewer than 128'],
  ])('refuses %s: %s', (token, reason) => {
    expect(describeWeakToken(token)).toBe(reason);
  });

  it('takes generated tokens of 128 bits and more, every time', () => {
    for (let i = 0; i < 2000; i++) {
      expect(describeWeakToken(randomBytes(16).toString('hex'))).toBeNull();
      expect(describeWeakToken(randomBytes(24).toString('base64url'))).toBeNull();
      expect(describeWeakToken(randomBytes(32).toString('base64'))).toBeNull();
    }
  });

  it('estimates bits from the length and the kinds of characters used', () => {
    expect(estimateTokenBits('abcdefghijklmnop')).toBe(75);
    expect(estimateTokenBits(randomBytes(16).toString('hex'))).toBeGreaterThanOrEqual(128);
  });
});
