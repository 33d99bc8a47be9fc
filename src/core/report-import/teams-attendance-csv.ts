import { parse } from 'csv-parse/sync';
import { headerKey, ReportFormatError, type ImportedMeeting } from './imported-meeting.js';
import { parseReportTime } from './report-times.js';

type Section = 'summary' | 'participants' | 'activities' | null;

/**
 * Teams' attendance report download (the meeting's Attendance tab → Download): tab-separated, in
 * numbered sections — "1. Summary" (title, start and end), "2. Participants" (first join, last
 * leave per person), "3. In-Meeting Activities" (one row per join, so rejoins are kept). The
 * activities are used when present, else the participants. Times are in `zone`, the zone of the
 * person who downloaded it. Older downloads name the columns "Full Name", "Join Time", "Leave Time".
 */
export function parseTeamsAttendanceCsv(text: string, zone: string): ImportedMeeting {
  const delimiter = text.split('\n', 5).some((l) => l.includes('\t')) ? '\t' : ',';
  const records = parse(text, { delimiter, relaxColumnCount: true, relaxQuotes: true, skipEmptyLines: false, bom: true, trim: true }) as string[][];
  const meeting: ImportedMeeting = { format: 'teams_attendance', stays: [], skipped: [] };
  const bySection: Record<'participants' | 'activities', ImportedMeeting['stays']> = { participants: [], activities: [] };
  let section: Section = null;
  let header: string[] | null = null;
  for (let index = 0; index < records.length; index++) {
    const row = records[index]!;
    const line = index + 1;
    if (row.every((cell) => cell === '')) continue;
    const first = row[0] ?? '';
    const title = /^\d+\.\s*(.+)$/.exec(first)?.[1]?.toLowerCase() ?? '';
    if (row.filter((c) => c !== '').length === 1 && title) {
      section = title.startsWith('summary') ? 'summary' : title.startsWith('participants') ? 'participants' : title.startsWith('in-meeting') ? 'activities' : null;
      header = null;
      continue;
    }
    if (section === 'summary' || (section === null && row.length === 2 && !header)) {
      const key = headerKey(first);
      const value = row[1] ?? '';
      if (key === 'meetingtitle' || key === 'title') meeting.title = value || undefined;
      if (key === 'starttime' || key === 'meetingstarttime') meeting.startedAt = parseReportTime(value, zone) ?? undefined;
      if (key === 'endtime' || key === 'meetingendtime') meeting.endedAt = parseReportTime(value, zone) ?? undefined;
      continue;
    }
    const keys = row.map(headerKey);
    if ((keys.includes('name') || keys.includes('fullname')) && keys.some((k) => k === 'jointime' || k === 'firstjoin')) {
      header = keys;
      // The old single-table download has no numbered sections: its rows are per join.
      if (section === null) section = 'activities';
      continue;
    }
    if (!header || (section !== 'participants' && section !== 'activities')) continue;
    const cell = (...names: string[]) => row[header!.findIndex((k) => names.includes(k))]?.trim() ?? '';
    // Teams marks people from outside the tenant in their name: "Sam Rivera (External)", "Priya Shah (Guest)".
    const marked = /^(.*\S)\s*\((external|guest|unverified)\)$/i.exec(cell('name', 'fullname'));
    const name = marked ? marked[1]! : cell('name', 'fullname');
    const joinedAt = parseReportTime(cell('jointime', 'firstjoin'), zone);
    const leftAt = parseReportTime(cell('leavetime', 'lastleave'), zone);
    if (!name || !joinedAt || !leftAt) {
      meeting.skipped.push({ line, reason: !name ? 'no name' : 'a join or leave time that is not a date' });
      continue;
    }
    const email = cell('email', 'participantidupn');
    const role = cell('role');
    bySection[section].push({ line, name, ...(email ? { email: email.toLowerCase() } : {}), joinedAt, leftAt, guest: Boolean(marked) || /external|guest|anonymous/i.test(role), waitingRoom: false, ...(role ? { role } : {}) });
  }
  meeting.stays = bySection.activities.length > 0 ? bySection.activities : bySection.participants;
  if (meeting.stays.length === 0 && !header) throw new ReportFormatError('This is not a Teams attendance report: no "Name", "Join time" (or "First join") and "Leave time" columns.');
  return meeting;
}
