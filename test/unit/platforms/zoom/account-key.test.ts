import { describe, expect, it } from 'vitest';
import { createZoomAccountKey, isZoomAccountKey } from '../../../../src/platforms/zoom/account-key.js';
import { cleanPayloadStrings } from '../../../../src/platforms/zoom/clean-payload.js';

describe('Zoom account keys', () => {
  const key = createZoomAccountKey(Buffer.alloc(32, 7));

  it('is a prefixed keyed hash: stable, different per key, and never the id', () => {
    const hashed = key('EabCDEFGhiJKlmnOPqRS1a');
    expect(isZoomAccountKey(hashed)).toBe(true);
    expect(hashed).not.toContain('EabCDEFGhiJKlmnOPqRS1a');
    expect(key('EabCDEFGhiJKlmnOPqRS1a')).toBe(hashed);
    expect(createZoomAccountKey(Buffer.alloc(32, 8))('EabCDEFGhiJKlmnOPqRS1a')).not.toBe(hashed);
  });

  it('leaves a key unchanged, so hashing stored values twice changes nothing', () => {
    const hashed = key('EabCDEFGhiJKlmnOPqRS1a');
    expect(key(hashed)).toBe(hashed);
  });
});

describe('cleanPayloadStrings', () => {
  it('removes NUL and C0 controls (not tab or newline) at any depth, and replaces lone surrogates', () => {
    const cleaned = cleanPayloadStrings({ a: 'x\u0000y', b: [{ c: 'tab\there\nline\u001b[31m' }], d: 'half \ud83d', e: 'whole 😀', n: 5, z: null });
    expect(cleaned).toEqual({ a: 'xy', b: [{ c: 'tab\there\nline[31m' }], d: 'half \ufffd', e: 'whole 😀', n: 5, z: null });
  });
});
