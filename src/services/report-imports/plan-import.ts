import { createHash } from 'node:crypto';
import { matchIdentity, type ExpectedParticipant, type MatchedBy } from '../../core/identity-match.js';
import type { ImportedMeeting, ImportedStay } from '../../core/report-import/imported-meeting.js';
import type { Platform } from '../../core/presence-event.js';
import type { Db } from '../../db/database.js';

const MINUTE = 60_000;
/** A report belongs to the program's session starting within this of the meeting's start. */
const MATCH_WINDOW_MS = 60 * MINUTE;
/** A session created from a report starts and ends on the nearest quarter hour ("06:58:12" → 07:00). */
const QUARTER_HOUR = 15 * MINUTE;

export interface PlannedPerson {
  participantId: string;
  name: string;
  matchedBy: MatchedBy;
  /** Each stay with the name it matched by (Zoom's original name when the meeting name matched no one). */
  stays: (ImportedStay & { matchedName: string })[];
  minutes: number;
}

/** What one downloaded report will do to the record, before anything is written. */
export interface ImportPlan {
  format: ImportedMeeting['format'];
  platform: Platform;
  meeting: { meetingId?: string; title?: string; startedAt: Date; endedAt: Date };
  session: { id: string | null; startsAt: Date; endsAt: Date; meetingId: string; create: boolean; alreadyFinal: boolean };
  matched: PlannedPerson[];
  /** Names in the report that are no one enrolled (the facilitator, a dial-in, a guest not yet linked). */
  unmatched: { name: string; lines: number[]; guest: boolean; stays: ImportedStay[] }[];
  /** Zoom's waiting-room rows: shown, never counted as attendance. */
  waitingRoom: { name: string; lines: number[] }[];
  /** Enrolled at that session and not in the report: they will read as no-shows. */
  absent: { participantId: string; name: string }[];
  skipped: { line: number; reason: string }[];
}

const roundToQuarter = (ms: number) => Math.round(ms / QUARTER_HOUR) * QUARTER_HOUR;

/** A stable key for one person of a report, so importing the same file twice stores nothing new. */
export function reportPersonKey(stay: Pick<ImportedStay, 'name' | 'email'>): string {
  const identity = stay.email ? `email:${stay.email}` : `name:${stay.name.trim().toLowerCase()}`;
  return `csv:${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}`;
}

/**
 * Matches a downloaded report to one of the program's sessions (the one starting nearest the
 * meeting, within an hour; else a session is to be created on the nearest quarter hours) and its
 * people to the participants enrolled then, by the identity rules of live events (email, alias,
 * a display name only one person has; Zoom's original name when the meeting name matches no one).
 */
export async function planImport(prisma: Db, input: { organizationId: string; programId: string; meeting: ImportedMeeting }): Promise<ImportPlan | { error: string }> {
  const { meeting } = input;
  const present = meeting.stays.filter((s) => !s.waitingRoom);
  if (meeting.stays.length === 0) return { error: 'The report lists no one.' };
  const startedAt = meeting.startedAt ?? new Date(Math.min(...meeting.stays.map((s) => s.joinedAt.getTime())));
  const endedAt = meeting.endedAt ?? new Date(Math.max(...meeting.stays.map((s) => s.leftAt.getTime())));
  const platform: Platform = meeting.format === 'zoom_participants' ? 'zoom' : 'teams';
  const candidates = await prisma.session.findMany({
    where: { organizationId: input.organizationId, programId: input.programId, startsAt: { gte: new Date(startedAt.getTime() - MATCH_WINDOW_MS), lte: new Date(startedAt.getTime() + MATCH_WINDOW_MS) } },
    select: { id: true, startsAt: true, endsAt: true, meetingId: true, finalizedAt: true },
  });
  const nearest = candidates.sort(
    (a, b) =>
      Number(b.meetingId === meeting.meetingId) - Number(a.meetingId === meeting.meetingId) ||
      Math.abs(a.startsAt.getTime() - startedAt.getTime()) - Math.abs(b.startsAt.getTime() - startedAt.getTime()),
  )[0];
  const startsAt = nearest?.startsAt ?? new Date(roundToQuarter(startedAt.getTime()));
  const endsAt = nearest?.endsAt ?? new Date(Math.max(roundToQuarter(endedAt.getTime()), startsAt.getTime() + QUARTER_HOUR));
  const enrollments = await prisma.enrollment.findMany({
    where: { organizationId: input.organizationId, programId: input.programId, enrolledAt: { lte: endsAt }, OR: [{ dischargedAt: null }, { dischargedAt: { gt: startsAt } }] },
    include: { participant: { include: { identities: true } } },
  });
  const expected: ExpectedParticipant[] = enrollments.map(({ participant: p }) => ({
    participantId: p.id,
    name: p.name,
    email: p.email,
    identities: p.identities.map((i) => ({ platform: i.platform, kind: i.kind, value: i.value })),
  }));
  const matched = new Map<string, PlannedPerson>();
  const unmatched = new Map<string, ImportPlan['unmatched'][number]>();
  for (const stay of present) {
    const person = (displayName: string) => ({ key: reportPersonKey(stay), displayName, ...(stay.email ? { email: stay.email } : {}) });
    const byName = matchIdentity(platform, person(stay.name), expected);
    const byOriginal = !byName && stay.originalName ? matchIdentity(platform, person(stay.originalName), expected) : null;
    const match = byName ?? byOriginal;
    if (!match) {
      const entry = unmatched.get(stay.name) ?? { name: stay.name, lines: [], guest: stay.guest, stays: [] };
      entry.lines.push(stay.line);
      entry.stays.push(stay);
      unmatched.set(stay.name, entry);
      continue;
    }
    const name = enrollments.find((e) => e.participantId === match.participantId)!.participant.name;
    const entry = matched.get(match.participantId) ?? { participantId: match.participantId, name, matchedBy: match.by, stays: [], minutes: 0 };
    entry.stays.push({ ...stay, matchedName: byOriginal ? stay.originalName! : stay.name });
    entry.minutes += Math.round((stay.leftAt.getTime() - stay.joinedAt.getTime()) / MINUTE);
    matched.set(match.participantId, entry);
  }
  const waiting = new Map<string, number[]>();
  for (const stay of meeting.stays.filter((s) => s.waitingRoom)) waiting.set(stay.name, [...(waiting.get(stay.name) ?? []), stay.line]);
  return {
    format: meeting.format,
    platform,
    meeting: { ...(meeting.meetingId ? { meetingId: meeting.meetingId } : {}), ...(meeting.title ? { title: meeting.title } : {}), startedAt, endedAt },
    session: {
      id: nearest?.id ?? null,
      startsAt,
      endsAt,
      meetingId: nearest?.meetingId ?? meeting.meetingId ?? `import-${startsAt.toISOString()}`,
      create: !nearest,
      alreadyFinal: Boolean(nearest?.finalizedAt),
    },
    matched: [...matched.values()].sort((a, b) => a.name.localeCompare(b.name)),
    unmatched: [...unmatched.values()],
    waitingRoom: [...waiting].map(([name, lines]) => ({ name, lines })),
    absent: enrollments.filter((e) => !matched.has(e.participantId)).map((e) => ({ participantId: e.participantId, name: e.participant.name })),
    skipped: meeting.skipped,
  };
}
