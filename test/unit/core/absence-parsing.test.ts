import { describe, expect, it } from 'vitest';
import { categorizeAbsenceReason } from '../../../src/core/absence-category.js';
import { isAbsenceReport, parseAbsenceReport } from '../../../src/core/absence-parsing.js';

const zone = 'America/Los_Angeles';
// 23:30 in Los Angeles on Tuesday 1 December 2026, already Wednesday in UTC.
const now = new Date('2026-12-02T07:30:00Z');
const sessions = [
  { id: 'wed', startsAt: new Date('2026-12-03T02:00:00Z'), endsAt: new Date('2026-12-03T05:00:00Z') }, // Wed 18:00 local
  { id: 'thu', startsAt: new Date('2026-12-04T02:00:00Z'), endsAt: new Date('2026-12-04T05:00:00Z') }, // Thu 18:00 local
  { id: 'mon', startsAt: new Date('2026-12-08T02:00:00Z'), endsAt: new Date('2026-12-08T05:00:00Z') }, // Mon 18:00 local
];

describe('parseAbsenceReport', () => {
  it.each([
    ["can't make it tomorrow, my wifi is out", '2026-12-02', ['wed'], 'technical'],
    ['I will miss group on Thursday, I have the flu', '2026-12-03', ['thu'], 'illness'],
    ["won't be there next Monday because of a work shift", '2026-12-07', ['mon'], 'work_school'],
    ['I can’t come Dec 3, no ride', '2026-12-03', ['thu'], 'transport'],
  ])('reads %j in the participant\'s zone', (text, date, sessionIds, category) => {
    const report = parseAbsenceReport(text, { now, timezone: zone, upcomingSessions: sessions });
    expect(report.date).toBe(date);
    expect(report.sessionIds).toEqual(sessionIds);
    expect(report.category).toBe(category);
  });

  it('takes the next session when the message says no day', () => {
    const report = parseAbsenceReport("sorry, can't make it, family emergency", { now, timezone: zone, upcomingSessions: sessions });
    expect(report.sessionIds).toEqual(['wed']);
    expect(report.category).toBe('family_emergency');
  });
});

describe('isAbsenceReport', () => {
  it.each([
    ["can't make it tomorrow", true],
    ["I won't be there tonight", true],
    ['I will miss group', true],
    ["I won't miss group, see you", false],
    ["I'll miss you all!", false],
    ['what time is group?', false],
  ])('%j → %s', (text, expected) => {
    expect(isAbsenceReport(text)).toBe(expected);
  });
});

describe('categorizeAbsenceReason', () => {
  it.each([
    ['my internet keeps dropping', 'technical'],
    ['I have a fever', 'illness'],
    ['my kid is sick and I have no childcare', 'family_emergency'],
    ['I have an exam', 'work_school'],
    ['the bus is not running', 'transport'],
    ['just because', 'other'],
  ])('%j → %s', (text, category) => {
    expect(categorizeAbsenceReason(text)).toBe(category);
  });
});

describe('parseAbsenceReport: dates in the participant\'s zone near midnight', () => {
  const context = { now, timezone: zone, upcomingSessions: sessions };
  // `now` is Tuesday 23:30 in Los Angeles (Wednesday 07:30 UTC).
  it.each([
    ['sick today', '2026-12-01', [], 'low'],
    ["can't make it tonight", '2026-12-01', [], 'low'],
    ["can't make it tomorrow", '2026-12-02', ['wed'], 'high'],
    ["won't be there tmrw", '2026-12-02', ['wed'], 'high'],
    ["won't be there tomorow", '2026-12-02', ['wed'], 'high'],
    ['I will miss group on Thursday', '2026-12-03', ['thu'], 'high'],
    ['will miss group Thurs', '2026-12-03', ['thu'], 'high'],
    ['I can’t make it next Monday', '2026-12-07', ['mon'], 'high'],
    ["can't make it Dec 3", '2026-12-03', ['thu'], 'high'],
    ["can't make it 12/7", '2026-12-07', ['mon'], 'high'],
    ["can't make it on Saturday", '2026-12-05', [], 'low'],
    // No day: the next session, when the message says it is an absence.
    ["can't make it", '2026-12-02', ['wed'], 'medium'],
    ["I sat in traffic for hours so I won't be there", '2026-12-02', ['wed'], 'medium'],
    ["working till 8 so I can't make it", '2026-12-02', ['wed'], 'medium'],
    // A span is not a day: ask.
    ["can't make it next week", null, [], 'low'],
    ["won't be there this weekend", null, [], 'low'],
    // No day and not an absence.
    ['my wifi is out', null, [], 'low'],
  ])('%j → %s %j (%s)', (text, date, sessionIds, confidence) => {
    expect(parseAbsenceReport(text, context)).toMatchObject({ date, sessionIds, confidence });
  });

  it('gives the same answer whatever the process time zone is', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['UTC', 'Asia/Tokyo', 'Pacific/Kiritimati', 'America/Los_Angeles']) {
        process.env.TZ = tz;
        expect(parseAbsenceReport("can't make it tomorrow", { now, timezone: zone, upcomingSessions: sessions }).date).toBe('2026-12-02');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('keeps the local date across a daylight-saving change', () => {
    // Saturday 7 March 2026, 23:30 PST; clocks go forward on Sunday 8 March.
    const saturdayNight = new Date('2026-03-08T07:30:00Z');
    const sunday = { id: 'sun', startsAt: new Date('2026-03-09T01:00:00Z'), endsAt: new Date('2026-03-09T02:30:00Z') }; // Sun 18:00 PDT
    const report = parseAbsenceReport("can't make it tomorrow", { now: saturdayNight, timezone: zone, upcomingSessions: [sunday] });
    expect(report).toMatchObject({ date: '2026-03-08', sessionIds: ['sun'], confidence: 'high' });
  });

  it('lists every session on the day, earliest first, and none that has ended', () => {
    const wedMorning = { id: 'wed-am', startsAt: new Date('2026-12-02T17:00:00Z'), endsAt: new Date('2026-12-02T20:00:00Z') }; // Wed 09:00
    const ended = { id: 'tue', startsAt: new Date('2026-12-02T02:00:00Z'), endsAt: new Date('2026-12-02T05:00:00Z') }; // Tue 18:00, over
    const report = parseAbsenceReport('I will miss group tomorrow', { now, timezone: zone, upcomingSessions: [...sessions, wedMorning, ended] });
    expect(report.sessionIds).toEqual(['wed-am', 'wed']);
    const today = parseAbsenceReport('sick today', { now, timezone: zone, upcomingSessions: [ended] });
    expect(today.sessionIds).toEqual([]);
    const next = parseAbsenceReport("can't make it", { now, timezone: zone, upcomingSessions: [ended, ...sessions] });
    expect(next.sessionIds).toEqual(['wed']);
  });

  it('rejects an unknown time zone', () => {
    expect(() => parseAbsenceReport('sick tomorrow', { now, timezone: 'Mars/Olympus', upcomingSessions: [] })).toThrow(RangeError);
  });
});

describe('isAbsenceReport: more phrasings', () => {
  it.each([
    ['I cannot come tomorrow', true],
    ['cant make it today', true],
    ['I’m not going to make it', true],
    ['not gonna make it tonight', true],
    ['I have to miss group', true],
    ['gonna be missing session', true],
    ['I will be absent', true],
    ['out sick', true],
    ['calling in sick', true],
    ['unable to attend on Thursday', true],
    ["I won't be able to join", true],
    ["I don't think I'll make it", true],
    ['skipping group today', true],
    ['I can’t make it work, the link is broken', false],
    ["don't want to miss group", false],
    ['see you tomorrow!', false],
    ['thanks', false],
  ])('%j → %s', (text, expected) => {
    expect(isAbsenceReport(text)).toBe(expected);
  });
});

describe('categorizeAbsenceReason: table', () => {
  it.each([
    ["can't make it tomorrow, my wifi is out", 'technical'],
    ['power outage in my building', 'technical'],
    ['Zoom keeps crashing on my laptop', 'technical'],
    ["my camera and mic aren't working", 'technical'],
    ["zoom isn't working", 'technical'], // "working" here is not a job
    ['I have covid', 'illness'],
    ['migraine', 'illness'],
    ['doctor appointment', 'illness'],
    ['I’m in the ER', 'illness'],
    ['at the hospital', 'illness'],
    ['my kid is sick', 'family_emergency'], // tie: someone else's need first
    ['took my son to the hospital', 'family_emergency'],
    ['funeral', 'family_emergency'],
    ['my mom fell', 'family_emergency'],
    ['family emergency', 'family_emergency'],
    ['emergency', 'family_emergency'],
    ['my boss scheduled me for a shift', 'work_school'],
    ['I have class', 'work_school'],
    ['I have to work late', 'work_school'],
    ['my car broke down on the way to work', 'transport'], // tie: transport before work
    ['missed the train', 'transport'],
    ['no ride', 'transport'],
    ['stuck in traffic', 'transport'],
    ['personal reasons', 'other'],
    ['', 'other'],
  ])('%j → %s', (text, category) => {
    expect(categorizeAbsenceReason(text)).toBe(category);
  });
});
