import { describe, expect, it } from 'vitest';
import { decryptZoomAppContext } from '../../../../src/platforms/zoom/app-context.js';
import { createSigner } from '../../../../src/crypto/signed-token.js';
import { zoomAppContextHeader } from '../../../support/zoom-app-context.js';

const SECRET = 'client-secret-for-tests';
const now = 1_796_166_400_000;

describe('x-zoom-app-context', () => {
  it('decrypts what Zoom encrypts with the client secret', () => {
    const header = zoomAppContextHeader({ typ: 'meeting', uid: 'zUser1', mid: 'abc/def==', ts: now }, SECRET);
    expect(decryptZoomAppContext(header, SECRET, now + 1000)).toMatchObject({ typ: 'meeting', uid: 'zUser1', mid: 'abc/def==' });
    const inSeconds = zoomAppContextHeader({ typ: 'meeting', uid: 'zUser1', mid: 'm', ts: now / 1000, exp: now / 1000 + 60 }, SECRET);
    expect(decryptZoomAppContext(inSeconds, SECRET, now)).toMatchObject({ uid: 'zUser1' });
  });

  it('refuses another secret, a tampered header, junk, and a stale or expired context', () => {
    const header = zoomAppContextHeader({ typ: 'meeting', uid: 'zUser1', mid: 'm', ts: now }, SECRET);
    expect(decryptZoomAppContext(header, 'another-secret', now)).toBeNull();
    const bytes = Buffer.from(header, 'base64');
    bytes[bytes.length - 20]! ^= 1;
    expect(decryptZoomAppContext(bytes.toString('base64'), SECRET, now)).toBeNull();
    expect(decryptZoomAppContext('not base64 at all', SECRET, now)).toBeNull();
    expect(decryptZoomAppContext(undefined, SECRET, now)).toBeNull();
    expect(decryptZoomAppContext(header, SECRET, now + 10 * 60_000)).toBeNull();
    const expired = zoomAppContextHeader({ typ: 'meeting', uid: 'u', exp: now - 1 }, SECRET);
    expect(decryptZoomAppContext(expired, SECRET, now)).toBeNull();
  });
});

describe('signed tokens', () => {
  const key = Buffer.alloc(32, 7);
  it('round-trips until expiry and only for its own purpose', () => {
    const panel = createSigner(key, 'zoom-panel');
    const token = panel.sign({ s: 'session', exp: now + 1000 });
    expect(panel.verify(token, now)).toMatchObject({ s: 'session' });
    expect(panel.verify(token, now + 1000)).toBeNull();
    expect(createSigner(key, 'zoom-oauth-state').verify(token, now)).toBeNull();
    expect(panel.verify(`${token}x`, now)).toBeNull();
  });
});
