import { describe, expect, it } from 'vitest';
import { cleanDisplayName, cleanPlatformText, DISPLAY_NAME_MAX_LENGTH, hasControlCharacters } from '../../../src/core/platform-text.js';

describe('cleanPlatformText', () => {
  it('removes NUL and the other C0 controls and DEL, keeping tab and newline', () => {
    expect(cleanPlatformText('Sam\u0000 L\u0007ee\u001b[31m\u007f')).toBe('Sam Lee[31m');
    expect(cleanPlatformText('line one\nline\ttwo\r\n')).toBe('line one\nline\ttwo\n');
  });

  it('keeps letters of every script and emoji', () => {
    expect(cleanPlatformText('José Ñúñez 李小龍 🙂')).toBe('José Ñúñez 李小龍 🙂');
  });

  it('caps the length without splitting a surrogate pair', () => {
    expect(cleanPlatformText('abcdef', 3)).toBe('abc');
    expect(cleanPlatformText('ab🙂', 3)).toBe('ab');
  });
});

describe('cleanDisplayName', () => {
  it('trims and caps a display name', () => {
    expect(cleanDisplayName('  \u0000Priya\u0000  ')).toBe('Priya');
    expect(cleanDisplayName('x'.repeat(1000))).toHaveLength(DISPLAY_NAME_MAX_LENGTH);
  });
});

describe('hasControlCharacters', () => {
  it('finds NUL and escapes but not tab or newline', () => {
    expect(hasControlCharacters('a\u0000b')).toBe(true);
    expect(hasControlCharacters('a\u001bb')).toBe(true);
    expect(hasControlCharacters('a\tb\nc')).toBe(false);
    // The global regex keeps no state between calls.
    expect(hasControlCharacters('a\u0000b')).toBe(true);
  });
});
