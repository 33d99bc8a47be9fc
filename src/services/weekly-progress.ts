import { hoursAtRiskMessage, weeklyProgressMessage } from '../core/care-messages.js';
import { resolvePolicy } from '../core/policy.js';
import { isoWeekOf, participantWeekHours, type IsoWeek } from '../core/weekly-hours.js';
import { creditRuleOf, describeWeek, type WeekHours } from '../core/weekly-credit.js';
import { effectiveStatus } from '../core/attendance-outcome.js';
import type { Db } from '../db/database.js';
import type { CareDeps } from './care-deps.js';
import { raiseParticipantAlert } from './participant-alerts.js';
import { sendToParticipant } from './participant-outbox.js';

export interface ParticipantWeek {
  hours: WeekHours;
  week: IsoWeek;
  zone: string;
  participantName: string;
  programName: string;
  nextSession?: { startsAt: Date };
}

/**
 * One participant's week in one program, in their zone (else the program's), under the program's
 * hours rule (core/weekly-credit.ts): the program's sessions (what it offered) and make-ups booked
 * for its missed sessions (credited, offering nothing); the library never counts. Sessions they
 * said they will miss are not counted as still attendable.
 */
/** A session of the week as the weekly rule reads it, from its stored attendance (or none yet). */
export function weekSession(
  s: { startsAt: Date; endsAt: Date },
  a: { status: string; overrideStatus: string | null; flags: string[]; minutesPresent: number; final: boolean } | undefined,
  how: { offered: boolean; skipping: boolean },
) {
  return {
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    status: a ? effectiveStatus(a.status, a.overrideStatus) : 'pending',
    flags: a?.flags ?? [],
    presentMinutes: a?.minutesPresent ?? 0,
    final: a?.final ?? false,
    ...how,
  };
}

export async function loadParticipantWeek(prisma: Db, input: { organizationId: string; programId: string; participantId: string; now: Date }): Promise<ParticipantWeek | null> {
  const enrollment = await prisma.enrollment.findFirst({
    where: { organizationId: input.organizationId, programId: input.programId, participantId: input.participantId, status: 'active' },
    include: { program: true, participant: true },
  });
  if (!enrollment) return null;
  const zone = enrollment.participant.timezone ?? enrollment.program.timezone;
  const week = isoWeekOf(input.now, zone);
  const policy = resolvePolicy(enrollment.program.policy);
  const inWeek = { gte: week.start, lt: week.end };
  const [own, bookings] = await Promise.all([
    prisma.session.findMany({ where: { organizationId: input.organizationId, programId: input.programId, startsAt: inWeek }, select: { id: true, startsAt: true, endsAt: true } }),
    prisma.makeUpBooking.findMany({ where: { organizationId: input.organizationId, participantId: input.participantId, state: { in: ['booked', 'attended'] } }, select: { missedSessionId: true, makeUpSessionId: true } }),
  ]);
  const missedOfProgram = await prisma.session.findMany({ where: { organizationId: input.organizationId, programId: input.programId, id: { in: bookings.map((b) => b.missedSessionId) } }, select: { id: true } });
  const makeUpIds = bookings.filter((b) => missedOfProgram.some((m) => m.id === b.missedSessionId)).map((b) => b.makeUpSessionId);
  const makeUps = makeUpIds.length ? await prisma.session.findMany({ where: { organizationId: input.organizationId, id: { in: makeUpIds }, startsAt: inWeek }, select: { id: true, startsAt: true, endsAt: true } }) : [];
  const ownIds = new Set(own.map((s) => s.id));
  const candidates = [...own, ...makeUps.filter((s) => !ownIds.has(s.id))];
  const ids = candidates.map((s) => s.id);
  const [attendance, absences] = await Promise.all([
    prisma.attendance.findMany({
      where: { organizationId: input.organizationId, participantId: input.participantId, sessionId: { in: ids } },
      select: { sessionId: true, status: true, overrideStatus: true, flags: true, minutesPresent: true, final: true },
    }),
    prisma.absence.findMany({ where: { organizationId: input.organizationId, participantId: input.participantId, sessionId: { in: ids } }, select: { sessionId: true } }),
  ]);
  const attendanceOf = new Map(attendance.map((a) => [a.sessionId, a]));
  // A make-up credits through the session it stands for (status made_up) once attended; until then it is still attendable.
  const sessions = candidates.filter((s) => ownIds.has(s.id) || !attendanceOf.get(s.id)?.final);
  const skipped = new Set(absences.map((a) => a.sessionId));
  const hours = participantWeekHours(
    creditRuleOf(policy),
    week,
    input.now,
    sessions.map((s) => weekSession(s, attendanceOf.get(s.id), { offered: ownIds.has(s.id), skipping: skipped.has(s.id) })),
  );
  const next = sessions.filter((s) => !skipped.has(s.id) && s.startsAt > input.now).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];
  return { hours, week, zone, participantName: enrollment.participant.name, programName: enrollment.program.name, ...(next ? { nextSession: { startsAt: next.startsAt } } : {}) };
}

/** The weekly progress message for one enrolment; once per ISO week (the dedupe key). */
export async function sendWeeklyProgress(deps: CareDeps, enrollmentId: string): Promise<void> {
  const enrollment = await deps.prisma.enrollment.findUnique({ where: { id: enrollmentId }, include: { program: true } });
  if (!enrollment || enrollment.status !== 'active' || !resolvePolicy(enrollment.program.policy).weeklyProgress) return;
  const now = deps.clock.now();
  const week = await loadParticipantWeek(deps.prisma, { organizationId: enrollment.organizationId, programId: enrollment.programId, participantId: enrollment.participantId, now });
  if (!week) return;
  const result = await sendToParticipant(deps, {
    organizationId: enrollment.organizationId,
    participantId: enrollment.participantId,
    dedupeKey: `weekly:${enrollment.id}:${week.week.key}`,
    purpose: 'weekly_progress',
    expiresAt: week.week.end,
    message: weeklyProgressMessage({
      participantName: week.participantName,
      programName: week.programName,
      minutes: week.hours.creditedMinutes,
      requiredMinutes: week.hours.requiredMinutes,
      sessionsAhead: week.hours.sessionsLeft,
      weekText: describeWeek(week.hours),
      ...(week.nextSession ? { nextSession: { startsAt: week.nextSession.startsAt, zone: week.zone } } : {}),
    }),
  });
  deps.log.info({ enrollmentId, week: week.week.key, state: result.state }, 'weekly progress');
  await warnIfHoursAtRisk(deps, { organizationId: enrollment.organizationId, programId: enrollment.programId, participantId: enrollment.participantId });
}

/**
 * The early warning: when this week's hours can no longer be met with the sessions left (a
 * session still running counts as left, so nobody is at risk while it runs), the participant gets
 * a kind heads-up and staff an `Hours at risk` alert. Once per week each.
 */
export async function warnIfHoursAtRisk(deps: CareDeps, input: { organizationId: string; programId: string; participantId: string }): Promise<boolean> {
  const week = await loadParticipantWeek(deps.prisma, { ...input, now: deps.clock.now() });
  if (!week || week.hours.requiredMinutes <= 0 || (week.hours.state !== 'at_risk' && week.hours.state !== 'short')) return false;
  const key = `hours-at-risk:${input.participantId}:${input.programId}:${week.week.key}`;
  await sendToParticipant(deps, {
    organizationId: input.organizationId,
    participantId: input.participantId,
    dedupeKey: key,
    purpose: 'hours_at_risk',
    expiresAt: week.week.end,
    message: hoursAtRiskMessage({ participantName: week.participantName, programName: week.programName, minutes: week.hours.creditedMinutes, requiredMinutes: week.hours.requiredMinutes }),
  });
  await raiseParticipantAlert(deps, {
    organizationId: input.organizationId,
    participantId: input.participantId,
    kind: 'hours_at_risk',
    dedupeKey: key,
    programIds: [input.programId],
    detail: { minutes: week.hours.creditedMinutes, requiredMinutes: week.hours.requiredMinutes, possibleMinutes: week.hours.remainingMinutes, week: week.week.key },
  });
  return true;
}
