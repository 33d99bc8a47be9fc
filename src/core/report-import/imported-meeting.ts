/** One person's stay in a meeting, as a platform's downloaded attendance report lists it. */
export interface ImportedStay {
  /** The line of the file it came from (1-based), so a preview can point at it. */
  line: number;
  name: string;
  /** Zoom's "(original name)" when the person was renamed in the meeting. */
  originalName?: string;
  email?: string;
  joinedAt: Date;
  leftAt: Date;
  guest: boolean;
  /** Zoom: the row is time spent in the waiting room, not in the meeting. */
  waitingRoom: boolean;
  role?: string;
}

export type ImportFormat = 'zoom_participants' | 'teams_attendance';

/** A downloaded report of one meeting occurrence. */
export interface ImportedMeeting {
  format: ImportFormat;
  meetingId?: string;
  title?: string;
  startedAt?: Date;
  endedAt?: Date;
  stays: ImportedStay[];
  /** Lines that could not be read, and why (shown in the preview; nothing is guessed). */
  skipped: { line: number; reason: string }[];
}

export class ReportFormatError extends Error {
  override name = 'ReportFormatError';
}

/** Header cells compared without case, spacing or punctuation: "Join Time" = "join time" = "Join time". */
export const headerKey = (cell: string) => cell.toLowerCase().replace(/[^a-z0-9]+/g, '');
