import { parse } from 'csv-parse/sync';
import { headerKey, ReportFormatError, type ImportedMeeting, type ImportedStay } from './imported-meeting.js';
import { parseReportTime } from './report-times.js';

const yes = (value: string | undefined) => /^(yes|true|y)$/i.test((value ?? '').trim());

/**
 * Zoom's meeting participants report as a clinic downloads it (Reports → Usage → Participants →
 * Export, with or without the meeting data block above the participants). Times are in `zone`,
 * the zone of the Zoom account's reports. "Name (original name)" carries the name shown in the
 * meeting and, when renamed, the original in parentheses.
 */
export function parseZoomParticipantsCsv(text: string, zone: string): ImportedMeeting {
  const records = parse(text, { relaxColumnCount: true, skipEmptyLines: false, bom: true, trim: true }) as string[][];
  const meeting: ImportedMeeting = { format: 'zoom_participants', stays: [], skipped: [] };
  let header: string[] | null = null;
  for (let index = 0; index < records.length; index++) {
    const row = records[index]!;
    const line = index + 1;
    if (row.every((cell) => cell === '')) continue;
    const keys = row.map(headerKey);
    if (keys.includes('meetingid') && keys.includes('starttime')) {
      const values = records[index + 1] ?? [];
      const at = (name: string) => values[keys.indexOf(name)] ?? '';
      meeting.meetingId = at('meetingid').replace(/\D/g, '') || undefined;
      meeting.title = at('topic') || undefined;
      meeting.startedAt = parseReportTime(at('starttime'), zone) ?? undefined;
      meeting.endedAt = parseReportTime(at('endtime'), zone) ?? undefined;
      index += 1;
      continue;
    }
    if (keys.some((k) => k.startsWith('name')) && keys.includes('jointime') && keys.includes('leavetime')) {
      header = keys;
      continue;
    }
    if (!header) continue;
    const cell = (name: string) => row[header!.findIndex((k) => k === name || k.startsWith(name))]?.trim() ?? '';
    const rawName = cell('name');
    const joinedAt = parseReportTime(cell('jointime'), zone);
    const leftAt = parseReportTime(cell('leavetime'), zone);
    if (!rawName || !joinedAt || !leftAt) {
      meeting.skipped.push({ line, reason: !rawName ? 'no name' : 'a join or leave time that is not a date' });
      continue;
    }
    // "Priya's iPhone (Priya Shah)": the meeting name, then the original one.
    const renamed = /^(.*\S)\s*\(([^()]+)\)$/.exec(rawName);
    const stay: ImportedStay = {
      line,
      name: renamed ? renamed[1]! : rawName,
      ...(renamed ? { originalName: renamed[2]!.trim() } : {}),
      ...(cell('useremail') || cell('email') ? { email: (cell('useremail') || cell('email')).toLowerCase() } : {}),
      joinedAt,
      leftAt,
      guest: yes(cell('guest')),
      waitingRoom: yes(cell('inwaitingroom')),
    };
    meeting.stays.push(stay);
  }
  if (!header) throw new ReportFormatError('This is not a Zoom participants report: no row with "Name (original name)", "Join time" and "Leave time" columns.');
  return meeting;
}
