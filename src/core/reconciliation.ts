import type { Platform, PresenceEvent, PresencePerson } from './presence-event.js';

/**
 * A platform's post-meeting report as a second source (DESIGN.md: Zoom past-meeting participants,
 * Microsoft Graph attendance records). Report rows become presence facts of their own "device"
 * (`report:` keys), so the presence union fills what live events missed and changes nothing they
 * already showed; the before/after comparison is what the record says was reconciled.
 */
export interface ReportedStay {
  /** The platform's stable id for the person in this meeting (Zoom participant id, AAD object id). */
  personKey: string;
  person: Omit<PresencePerson, 'key'>;
  joinedAt: Date;
  leftAt: Date;
}

export interface ReconciledSession {
  id: string;
  meetingId: string;
  meetingInstanceId?: string | null;
}

export type ReportSourceName = 'zoom_past_participants' | 'graph_attendance_report' | 'zoom_participants_csv' | 'teams_attendance_csv';

export function reportEvents(platform: Platform, source: ReportSourceName, session: ReconciledSession, stays: ReportedStay[]): PresenceEvent[] {
  return stays.flatMap((stay) => {
    if (!(stay.leftAt > stay.joinedAt)) return [];
    const person: PresencePerson = { ...stay.person, key: `report:${stay.personKey}` };
    const base = { platform, meetingId: session.meetingId, ...(session.meetingInstanceId ? { meetingInstanceId: session.meetingInstanceId } : {}), person };
    const key = `${source}:${session.id}:${stay.personKey}:${stay.joinedAt.getTime()}`;
    return [
      { ...base, kind: 'joined' as const, occurredAt: stay.joinedAt, dedupeKey: `${key}:joined` },
      { ...base, kind: 'left' as const, occurredAt: stay.leftAt, dedupeKey: `${key}:left` },
    ];
  });
}

export interface AttendanceSnapshot {
  participantId: string;
  status: string;
  minutesPresent: number;
}

export interface ReconciledChange {
  participantId: string;
  before: { status: string; minutesPresent: number };
  after: { status: string; minutesPresent: number };
}

/** Who the report changed, and how; ids, statuses and minutes only. */
export function reconciliationChanges(before: AttendanceSnapshot[], after: AttendanceSnapshot[]): ReconciledChange[] {
  const earlier = new Map(before.map((row) => [row.participantId, row]));
  return after.flatMap((row) => {
    const old = earlier.get(row.participantId) ?? { status: 'none', minutesPresent: 0 };
    if (old.status === row.status && old.minutesPresent === row.minutesPresent) return [];
    return [{ participantId: row.participantId, before: { status: old.status, minutesPresent: old.minutesPresent }, after: { status: row.status, minutesPresent: row.minutesPresent } }];
  });
}
