import type { CreditRule, WeekHours } from '../core/weekly-credit.js';
import { isoWeekOf, participantWeekHours, type IsoWeek } from '../core/weekly-hours.js';
import type { Db } from '../db/database.js';
import { weekSession } from './weekly-progress.js';

/** One active enrolment whose week is wanted: zone is the participant's, else the program's. */
export interface WeekEnrollment {
  programId: string;
  participantId: string;
  zone: string;
  rule: CreditRule;
}

export interface EnrollmentWeek {
  hours: WeekHours;
  week: IsoWeek;
}

export const weekKey = (programId: string, participantId: string) => `${programId}:${participantId}`;

type SessionTimes = { id: string; startsAt: Date; endsAt: Date };

/**
 * Many enrolments' weeks at once, in six queries however many there are: the same rule and the
 * same sessions as services/weekly-progress.ts `loadParticipantWeek` gives for each one (the
 * program's sessions in the participant's week, make-ups booked for the program's missed sessions,
 * their attendance and the sessions they said they will miss), so a page listing a whole clinic
 * does not pay six queries per person. Keyed by `weekKey(programId, participantId)`.
 */
export async function loadEnrollmentWeeks(prisma: Db, organizationId: string, enrollments: readonly WeekEnrollment[], now: Date): Promise<Map<string, EnrollmentWeek>> {
  const result = new Map<string, EnrollmentWeek>();
  if (enrollments.length === 0) return result;
  const weekOfZone = new Map<string, IsoWeek>();
  for (const e of enrollments) if (!weekOfZone.has(e.zone)) weekOfZone.set(e.zone, isoWeekOf(now, e.zone));
  const weeks = [...weekOfZone.values()];
  // Zones differ by hours, so every participant's week lies inside this span; each is cut to its own below.
  const span = { gte: new Date(Math.min(...weeks.map((w) => w.start.getTime()))), lt: new Date(Math.max(...weeks.map((w) => w.end.getTime()))) };
  const programIds = [...new Set(enrollments.map((e) => e.programId))];
  const participantIds = [...new Set(enrollments.map((e) => e.participantId))];

  const [own, bookings] = await Promise.all([
    prisma.session.findMany({ where: { organizationId, programId: { in: programIds }, startsAt: span }, select: { id: true, programId: true, startsAt: true, endsAt: true } }),
    prisma.makeUpBooking.findMany({
      where: { organizationId, participantId: { in: participantIds }, state: { in: ['booked', 'attended'] } },
      select: { participantId: true, missedSessionId: true, makeUpSessionId: true },
    }),
  ]);
  const missed = bookings.length
    ? await prisma.session.findMany({ where: { organizationId, programId: { in: programIds }, id: { in: [...new Set(bookings.map((b) => b.missedSessionId))] } }, select: { id: true, programId: true } })
    : [];
  const programOfMissed = new Map(missed.map((m) => [m.id, m.programId]));
  const counted = bookings.filter((b) => programOfMissed.has(b.missedSessionId));
  const makeUps = counted.length
    ? await prisma.session.findMany({ where: { organizationId, id: { in: [...new Set(counted.map((b) => b.makeUpSessionId))] }, startsAt: span }, select: { id: true, startsAt: true, endsAt: true } })
    : [];
  const makeUpById = new Map(makeUps.map((s) => [s.id, s]));

  const candidatesOf = new Map<string, { own: SessionTimes[]; makeUps: SessionTimes[] }>();
  const inWeek = (s: SessionTimes, week: IsoWeek) => s.startsAt >= week.start && s.startsAt < week.end;
  for (const e of enrollments) {
    const week = weekOfZone.get(e.zone)!;
    const ownOf = own.filter((s) => s.programId === e.programId && inWeek(s, week));
    const ownIds = new Set(ownOf.map((s) => s.id));
    const bookedIds = new Set(counted.filter((b) => b.participantId === e.participantId && programOfMissed.get(b.missedSessionId) === e.programId).map((b) => b.makeUpSessionId));
    const madeUp = [...bookedIds].map((id) => makeUpById.get(id)).filter((s): s is SessionTimes => !!s && inWeek(s, week) && !ownIds.has(s.id));
    candidatesOf.set(weekKey(e.programId, e.participantId), { own: ownOf, makeUps: madeUp });
  }
  const sessionIds = [...new Set([...candidatesOf.values()].flatMap((c) => [...c.own, ...c.makeUps].map((s) => s.id)))];
  const [attendance, absences] = sessionIds.length
    ? await Promise.all([
        prisma.attendance.findMany({
          where: { organizationId, participantId: { in: participantIds }, sessionId: { in: sessionIds } },
          select: { participantId: true, sessionId: true, status: true, overrideStatus: true, flags: true, minutesPresent: true, final: true },
        }),
        prisma.absence.findMany({ where: { organizationId, participantId: { in: participantIds }, sessionId: { in: sessionIds } }, select: { participantId: true, sessionId: true } }),
      ])
    : [[], []];
  const attendanceOf = new Map(attendance.map((a) => [`${a.participantId}:${a.sessionId}`, a]));
  const skipped = new Set(absences.map((a) => `${a.participantId}:${a.sessionId}`));

  for (const e of enrollments) {
    const key = weekKey(e.programId, e.participantId);
    const week = weekOfZone.get(e.zone)!;
    const { own: ownOf, makeUps: madeUp } = candidatesOf.get(key)!;
    const of = (s: SessionTimes) => attendanceOf.get(`${e.participantId}:${s.id}`);
    // As in loadParticipantWeek: an attended make-up credits through the missed session (made_up), so only one not yet final still counts as attendable.
    const sessions = [...ownOf.map((s) => ({ s, offered: true })), ...madeUp.filter((s) => !of(s)?.final).map((s) => ({ s, offered: false }))];
    const hours = participantWeekHours(
      e.rule,
      week,
      now,
      sessions.map(({ s, offered }) => weekSession(s, of(s), { offered, skipping: skipped.has(`${e.participantId}:${s.id}`) })),
    );
    result.set(key, { hours, week });
  }
  return result;
}
