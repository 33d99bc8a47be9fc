import { describe, expect, it } from 'vitest';
import { offerText } from '../../../src/services/material-offers.js';

const label = 'Evening IOP · Mon 9 Mar';

describe('a recording offer', () => {
  it('gives the passcode in a chat message', () => {
    const text = offerText({ label, url: 'https://zoom.us/rec/share/abc', passcode: 'S3cret!', byText: false });
    expect(text).toContain('https://zoom.us/rec/share/abc');
    expect(text).toContain('Passcode: S3cret!');
  });

  it('never gives it by text, also not in a share link, and says who can', () => {
    const text = offerText({ label, url: 'https://zoom.us/rec/share/abc?pwd=S3cret&startTime=1', passcode: 'S3cret', byText: true });
    expect(text).not.toContain('S3cret');
    expect(text).toContain('https://zoom.us/rec/share/abc?startTime=1');
    expect(text).toContain('ask your care team for it');
  });

  it('says nothing of a passcode when the recording has none', () => {
    expect(offerText({ label, url: 'https://example.org/rec', passcode: null, byText: true })).not.toMatch(/passcode/i);
  });
});
