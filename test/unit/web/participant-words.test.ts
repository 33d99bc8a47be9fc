import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../src/core/policy.js';
import { formatPhone, identityWords, strikeSentence } from '../../../src/web/participant-words.js';

const ladder = resolvePolicy({}).strikeLadder;

describe('strikes on the ladder, in words', () => {
  it('says the count, the step reached and the next one', () => {
    expect(strikeSentence(2, 30, ladder)).toBe('2 strikes in the last 30 days — a check-in at 2, a formal review at 3');
    expect(strikeSentence(1, 30, ladder)).toBe('1 strike in the last 30 days — outreach at 1, a check-in at 2');
    expect(strikeSentence(4, 14, ladder)).toBe('4 strikes in the last 14 days — a formal review at 3, a discharge review at 5');
  });

  it('before the first step names only that step; past the last says so', () => {
    expect(strikeSentence(0, 30, ladder)).toBe('No strikes in the last 30 days — outreach at 1');
    expect(strikeSentence(6, 30, ladder)).toBe('6 strikes in the last 30 days — a discharge review at 5 (the last step)');
    expect(strikeSentence(0, 1, [])).toBe('No strikes in the last 1 day');
  });
});

describe('contact and identities in words', () => {
  it('shows an E.164 number the way people write it', () => {
    expect(formatPhone('+14155550123')).toBe('+1 415 555 0123');
    expect(formatPhone('+447700900123')).toBe('+44 7700 900123');
    expect(formatPhone('not a number')).toBe('not a number');
  });

  it('names identity kinds with plain labels', () => {
    expect(identityWords('teams', 'aad_object_id')).toBe('Microsoft Teams account id (Entra object id)');
    expect(identityWords('zoom', 'alias')).toBe('Zoom name they join with');
  });
});
