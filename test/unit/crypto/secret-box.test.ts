import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../src/crypto/secret-box.js';

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32));

  it('opens what it sealed, and never holds the plaintext', () => {
    const sealed = box.seal('xoxb-123-secret', 'slack:T1');
    expect(sealed).not.toContain('xoxb');
    expect(box.open(sealed, 'slack:T1')).toBe('xoxb-123-secret');
  });

  it('seals the same token differently each time', () => {
    expect(box.seal('same', 'a')).not.toBe(box.seal('same', 'a'));
  });

  it('refuses a ciphertext moved to another row, tampered with, or under another key', () => {
    const sealed = box.seal('xoxb-123-secret', 'slack:T1');
    expect(() => box.open(sealed, 'slack:T2')).toThrow();
    const parts = sealed.split('.');
    parts[2] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'), 'slack:T1')).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed, 'slack:T1')).toThrow();
  });

  it('wants a 32-byte key', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
