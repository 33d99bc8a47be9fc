import { describe, expect, it } from 'vitest';
import { detectCrisis, parseCrisisTerms } from '../../../src/core/crisis.js';

describe('detectCrisis', () => {
  it.each([
    'i want to kill myself',
    'I WANT TO KILL MYSELF',
    'honestly... thinking about ending it all tbh',
    'I took too many of my pills',
    'i’m suicidal again',
    'I keep thinking about self-harm',
    'i dont want to live anymore',
    'everyone would be better off without me',
    'I think I overdosed last night',
    'no reason to live',
  ])('hands off to people for %j', (text) => {
    const result = detectCrisis(text);
    expect(result.matched).toBe(true);
    expect(result.termIds.length).toBeGreaterThan(0);
  });

  it.each([
    "can't make it tomorrow, my wifi is out",
    'I killed it at work today',
    'this traffic is killing me',
    "I'm dying to see everyone",
    'my phone died during group',
    'skillful listening was the topic',
  ])('does not trigger on everyday words: %j', (text) => {
    expect(detectCrisis(text)).toEqual({ matched: false, termIds: [] });
  });

  it('triggers on a mention whatever the context: conservative by policy (a check costs less than a miss)', () => {
    expect(detectCrisis('the session on suicide prevention was useful').matched).toBe(true);
    expect(detectCrisis("I'm not suicidal, just tired").matched).toBe(true);
  });

  it('returns term ids only, never the words of the message', () => {
    const result = detectCrisis('honestly i want to kill myself tonight');
    expect(Object.keys(result).sort()).toEqual(['matched', 'termIds']);
    expect(JSON.stringify(result)).not.toContain('honestly');
    expect(JSON.stringify(result)).not.toContain('tonight');
  });

  it("reads either form of a negated phrase: \"don't\" and \"do not\"", () => {
    expect(detectCrisis('I do not want to live').matched).toBe(true);
    expect(detectCrisis("I don't want to live").matched).toBe(true);
  });

  it('reads a clinic-reviewed list given as data', () => {
    const custom = parseCrisisTerms({ version: 1, terms: [{ id: 'custom-1', pattern: 'walk into the sea', category: 'suicide' }], exclusions: [] });
    expect(detectCrisis('I want to walk into the sea', custom)).toEqual({ matched: true, termIds: ['custom-1'] });
    expect(detectCrisis('i want to kill myself', custom).matched).toBe(false);
  });
});
