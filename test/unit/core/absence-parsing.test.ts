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
