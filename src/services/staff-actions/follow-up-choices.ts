import { DateTime } from 'luxon';

/** Chat can only offer choices: these are the notes, outcomes and reasons staff pick from there. */
export const NOTE_TEMPLATES = {
  left_voicemail: 'Left a voicemail',
  sent_message: 'Sent a message',
  spoke: 'Spoke with the participant',
  no_answer: 'Tried to reach them, no answer',
  team_discussed: 'Discussed in the team meeting',
} as const;

export const DONE_OUTCOMES = {
  review_held: 'Review held',
  reached: 'Reached the participant',
  plan_agreed: 'Attendance plan agreed',
  referred: 'Referred to the care team',
} as const;

export const DISMISS_REASONS = {
  excused_since: 'Absence excused since',
  already_handled: 'Already being handled',
  not_needed: 'Not needed',
  recorded_elsewhere: 'Recorded elsewhere',
} as const;

/** The next seven days in the program's zone, as `YYYY-MM-DD` choices labelled like "Thu 3 Dec". */
export function reviewDateOptions(now: Date, timezone: string): { value: string; label: string }[] {
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  return Array.from({ length: 7 }, (_, i) => {
    const day = today.plus({ days: i + 1 });
    return { value: day.toISODate()!, label: day.toFormat('ccc d LLL') };
  });
}

/** A chosen review day is due at 09:00 local that day. */
export function reviewDueAt(isoDate: string, timezone: string): Date | null {
  const day = DateTime.fromISO(isoDate, { zone: timezone });
  return day.isValid ? day.set({ hour: 9, minute: 0, second: 0, millisecond: 0 }).toJSDate() : null;
}

