import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeReport, parseReportTime } from '../../../../src/core/report-import/report-times.js';
import { parseZoomParticipantsCsv } from '../../../../src/core/report-import/zoom-participants-csv.js';
import { parseTeamsAttendanceCsv } from '../../../../src/core/report-import/teams-attendance-csv.js';
import { ReportFormatError } from '../../../../src/core/report-import/imported-meeting.js';

const ZONE = 'America/New_York';
const fixture = (name: string) => decodeReport(readFileSync(new URL(`../../../fixtures/reports/${name}`, import.meta.url)));
const iso = (d: Date | undefined) => d?.toISOString();

describe('report times', () => {
  it.each([
    ['11/09/2026 07:00:30 AM', '2026-11-09T12:00:30.000Z'],
    ['11/9/26, 7:00:30 AM', '2026-11-09T12:00:30.000Z'],
    ['11/9/2026, 7:00:30 PM', '2026-11-10T00:00:30.000Z'],
    ['11/9/26, 19:00:30', '2026-11-10T00:00:30.000Z'],
    ['2026-11-09T07:00:30-05:00', '2026-11-09T12:00:30.000Z'],
  ])('%s in New York is %s', (text, expected) => {
    expect(parseReportTime(text, ZONE)?.toISOString()).toBe(expected);
  });

  it('is null for what is not a time', () => {
    expect(parseReportTime('--', ZONE)).toBeNull();
    expect(parseReportTime('', ZONE)).toBeNull();
  });
});

describe("Zoom's participants report", () => {
  const meeting = parseZoomParticipantsCsv(fixture('zoom-participants.csv'), ZONE);

  it('reads the meeting block: its number, topic and times in the account zone', () => {
    expect(meeting).toMatchObject({ format: 'zoom_participants', meetingId: '86012345678', title: 'Adult IOP (Mon/Wed/Fri)' });
    expect(iso(meeting.startedAt)).toBe('2026-11-09T11:58:12.000Z');
    expect(iso(meeting.endedAt)).toBe('2026-11-09T15:01:40.000Z');
  });

  it('keeps every stay: rejoins apart, the waiting room marked, guests and renamed people with their original name', () => {
    expect(meeting.stays).toHaveLength(11);
    expect(meeting.stays.filter((s) => s.name === 'Blake Chen').map((s) => [iso(s.joinedAt), iso(s.leftAt)])).toEqual([
      ['2026-11-09T12:00:05.000Z', '2026-11-09T13:10:00.000Z'],
      ['2026-11-09T13:12:30.000Z', '2026-11-09T15:00:00.000Z'],
    ]);
    expect(meeting.stays.filter((s) => s.name === 'Avery Stone').map((s) => s.waitingRoom)).toEqual([true, false]);
    expect(meeting.stays.find((s) => s.originalName === 'Riley Park')).toMatchObject({ name: "Riley's iPad", guest: true });
    expect(meeting.stays.find((s) => s.name === 'Jordan Lee')).toMatchObject({ email: 'jordan.lee@example.com', guest: false, line: 6 });
    expect(meeting.skipped).toEqual([]);
  });

  it('reads a download without the meeting block, and lists a row it cannot read with its line', () => {
    const text = ['Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest', 'Jordan Lee,,11/09/2026 07:00:30 AM,11/09/2026 10:00:02 AM,180,No', 'Sam Rivera,,soon,later,0,Yes'].join('\n');
    const bare = parseZoomParticipantsCsv(text, ZONE);
    expect(bare.meetingId).toBeUndefined();
    expect(bare.stays.map((s) => s.name)).toEqual(['Jordan Lee']);
    expect(bare.skipped).toEqual([{ line: 3, reason: 'a join or leave time that is not a date' }]);
  });

  it('refuses a file that is not one', () => {
    expect(() => parseZoomParticipantsCsv('a,b\n1,2\n', ZONE)).toThrow(ReportFormatError);
  });
});

describe("Teams' attendance report", () => {
  const meeting = parseTeamsAttendanceCsv(fixture('teams-attendance.csv'), ZONE);

  it('reads the UTF-16 download: the summary and the per-join activities (so a rejoin is two stays)', () => {
    expect(meeting).toMatchObject({ format: 'teams_attendance', title: 'Adult IOP (Tue/Thu)' });
    expect(iso(meeting.startedAt)).toBe('2026-11-10T11:58:40.000Z');
    expect(meeting.stays).toHaveLength(10);
    expect(meeting.stays.filter((s) => s.name === 'Blake Chen')).toHaveLength(2);
  });

  it('takes the "(External)" and "(Guest)" marks off names and marks those people guests', () => {
    expect(meeting.stays.find((s) => s.name === 'Sam Rivera')).toMatchObject({ guest: true });
    expect(meeting.stays.find((s) => s.name === 'Priya Shah')).toMatchObject({ guest: true });
    expect(meeting.stays.find((s) => s.name === 'Jordan Lee')).toMatchObject({ guest: false, email: 'jordan.lee@example.com', role: 'Presenter' });
  });

  it('reads the old single table ("Full Name", comma-separated) as per-join rows', () => {
    const old = ['Full Name,Join Time,Leave Time,Duration,Email,Role', 'Jordan Lee,"11/10/26, 7:00:30 AM","11/10/26, 10:00:01 AM",2h 59m,jordan.lee@example.com,Attendee'].join('\n');
    expect(parseTeamsAttendanceCsv(old, ZONE).stays.map((s) => [s.name, iso(s.joinedAt)])).toEqual([['Jordan Lee', '2026-11-10T12:00:30.000Z']]);
  });

  it('refuses a file that is not one', () => {
    expect(() => parseTeamsAttendanceCsv('hello\tworld\n', ZONE)).toThrow(ReportFormatError);
  });
});
