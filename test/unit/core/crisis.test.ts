import { describe, expect, it } from 'vitest';
import crisisTermsData from '../../../src/core/crisis-terms.json' with { type: 'json' };
import {
  defaultCrisisTerms,
  detectCrisis,
  normalizeCrisisText,
  parseCrisisTerms,
  type CrisisTermList,
} from '../../../src/core/crisis.js';

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

// Policy (crisis-terms.json `_about`): a false positive costs a staff check, a false negative can
// cost a life, so a mention triggers whatever the context.
const SHOULD_TRIGGER: [string, string][] = [
  ['i want to kill myself', 'suicide-kill-myself'],
  ['I WANT TO KILL MYSELF', 'suicide-kill-myself'],
  ['i wanna kill myself lol', 'suicide-kill-myself'],
  ['Kill. My. Self.', 'suicide-kill-myself'],
  ['kill\u200bmyself', 'suicide-kill-myself'],
  ['“kill myself”', 'suicide-kill-myself'],
  ['thinking about ending it all', 'suicide-end-it-all'],
  ['I just want to end my life', 'suicide-end-my-life'],
  ['I took too many of my pills', 'overdose-too-many-pills'],
  ['took too many pills', 'overdose-too-many-pills'],
  ['I swallowed all my meds', 'overdose-all-my-pills'],
  ['took a whole bottle of pills', 'overdose-bottle-of-pills'],
  ['I think I might overdose', 'overdose-word'],
  ['he overdosed last year', 'overdose-word'],
  ['I OD’d last night', 'overdose-od'],
  ["i od'd", 'overdose-od'],
  ['gonna OD', 'overdose-od'],
  ['suicide', 'suicide-word'],
  ['feeling suicidal', 'suicide-word'],
  ['Suicidal thoughts again.', 'suicide-word'],
  ['i want to die', 'suicide-want-to-die'],
  ['i just wanna die', 'suicide-wanna-die'],
  ['I keep hurting myself', 'self-harm-hurt-myself'],
  ['self harm', 'self-harm-word'],
  ['self-harm', 'self-harm-word'],
  ['selfharm', 'self-harm-word'],
  ['been self-harming', 'self-harm-word'],
  ['cutting myself again', 'self-harm-cut-myself'],
  ['there is no reason to live', 'suicide-no-reason-to-live'],
  ['everyone would be better off if I was dead. better off dead', 'suicide-better-off-dead'],
  ['they would be better off without me', 'suicide-better-off-without-me'],
  ['I dont want to live anymore', 'suicide-dont-want-to-live'],
  ['I don’t want to be alive', 'suicide-dont-want-to-be-alive'],
  ['i cant go on anymore', 'suicide-cant-go-on-anymore'],
  ['i hope i never wake up', 'suicide-hope-i-never-wake-up'],
  ['Ｋｉｌｌ ｍｙｓｅｌｆ', 'suicide-kill-myself'], // full-width letters, NFKC
  ['can’t make it tomorrow. honestly I want to die', 'suicide-want-to-die'],
  // Mentions trigger too (decided: conservative).
  ['the session on suicide prevention was useful', 'suicide-word'],
  ["I'm not suicidal, just tired", 'suicide-word'],
  ['I hurt myself at the gym', 'self-harm-hurt-myself'],
];

const SHOULD_NOT_TRIGGER = [
  'this traffic is killing me', // idiom: "killing me" is not "kill myself"
  'I killed it at work',
  'killing it!',
  'my phone died',
  "I'm dying to see everyone",
  'that’s odd',
  'the odds are good',
  'can’t make it tomorrow, my wifi is out',
  'I have a doctor’s appointment',
  'I need to pick up my pills from the pharmacy',
  'I can’t go on Thursday',
  'I never wake up on time, sorry',
  'status',
  'help',
  '',
];

describe('detectCrisis: the term each phrasing matches', () => {
  it.each(SHOULD_TRIGGER)('triggers on %j (%s)', (text, termId) => {
    const result = detectCrisis(text);
    expect(result.matched).toBe(true);
    expect(result.termIds).toContain(termId);
  });

  it.each(SHOULD_NOT_TRIGGER)('does not trigger on %j', (text) => {
    expect(detectCrisis(text)).toEqual({ matched: false, termIds: [] });
  });

  it('returns term ids only, in list order, never the words of the message', () => {
    const text = 'Honestly I took too many pills and I want to kill myself tonight';
    const result = detectCrisis(text);
    expect(result).toEqual({ matched: true, termIds: ['suicide-kill-myself', 'overdose-too-many-pills'] });
    const ids = new Set(defaultCrisisTerms.terms.map((t) => t.id));
    for (const id of result.termIds) expect(ids.has(id)).toBe(true);
    expect(JSON.stringify(result)).not.toMatch(/honestly|tonight|took/i);
  });

  it('matches whole words only', () => {
    const list = parseCrisisTerms({ terms: [{ id: 'od', pattern: 'od', category: 'overdose' }] });
    expect(detectCrisis('OD', list).matched).toBe(true);
    expect(detectCrisis('god', list).matched).toBe(false);
    expect(detectCrisis('odd', list).matched).toBe(false);
    expect(detectCrisis('period', list).matched).toBe(false);
  });

  it('uses a custom list, and an exclusion blanks only its own span', () => {
    const list: CrisisTermList = parseCrisisTerms({
      terms: [{ id: 'kill-myself', pattern: 'kill* myself', category: 'suicide' }],
      exclusions: [{ id: 'laughing', pattern: 'killing myself laughing' }],
    });
    expect(detectCrisis('I was killing myself laughing', list).matched).toBe(false);
    expect(detectCrisis('killing myself laughing, but really I want to kill myself', list)).toEqual({
      matched: true,
      termIds: ['kill-myself'],
    });
  });

  it('supports alternatives, wildcards, optional apostrophes and word gaps', () => {
    const list = parseCrisisTerms({
      terms: [
        { id: 'alt', pattern: "can't|cannot go on anymore", category: 'suicide' },
        { id: 'wild', pattern: 'kill* myself', category: 'suicide' },
        { id: 'gap', pattern: 'too many ... pills', category: 'overdose' },
      ],
    });
    expect(detectCrisis('CANT go on anymore', list).termIds).toEqual(['alt']);
    expect(detectCrisis('i cannot go on anymore', list).termIds).toEqual(['alt']);
    expect(detectCrisis('killin’ myself', list).termIds).toEqual(['wild']);
    expect(detectCrisis('kills myself', list).termIds).toEqual(['wild']);
    expect(detectCrisis('skill myself', list).termIds).toEqual([]);
    expect(detectCrisis('too many of the blue pills', list).termIds).toEqual(['gap']);
    expect(detectCrisis('too many things today, and also i took my pills', list).termIds).toEqual([]);
  });
});

describe('normalizeCrisisText', () => {
  it.each([
    ['I’M  Done\n\tNOW', "i'm done now"],
    ['self-harm...', 'self harm'],
    ["'quoted'", 'quoted'],
    ['ﬁne', 'fine'], // NFKC ligature
    ['soft\u00ADhyphen', 'softhyphen'],
    ['kill my self', 'kill myself'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeCrisisText(input)).toBe(expected);
  });
});

describe('crisis word list (data)', () => {
  it('documents its policy and holds valid, unique entries', () => {
    expect(Array.isArray(crisisTermsData._about)).toBe(true);
    expect(crisisTermsData._about.join(' ')).toMatch(/false positive/i);
    expect(() => parseCrisisTerms(crisisTermsData)).not.toThrow();
    expect(defaultCrisisTerms.terms.length).toBeGreaterThan(20);
    expect(new Set(defaultCrisisTerms.terms.map((t) => t.category))).toEqual(new Set(['suicide', 'self_harm', 'overdose']));
  });

  it.each([
    [{ terms: [] }, /too_small|>=1|at least/i],
    [{ terms: [{ id: 'a', pattern: 'x', category: 'sadness' }] }, /category|invalid/i],
    [{ terms: [{ id: 'a', pattern: 'x', category: 'suicide' }, { id: 'a', pattern: 'y', category: 'suicide' }] }, /duplicate id "a"/],
    [{ terms: [{ id: 'a', pattern: '... pills', category: 'overdose' }] }, /may not start or end/],
    [{ terms: [{ id: 'a', pattern: 'too ... ... pills', category: 'overdose' }] }, /twice/],
  ])('rejects a broken list %#', (data, message) => {
    expect(() => parseCrisisTerms(data)).toThrow(message);
  });
});
