import { hoursAtRiskMessage, weeklyProgressMessage } from '../core/care-messages.js';
import { resolvePolicy } from '../core/policy.js';
import { isoWeekOf, weeklyStanding, type IsoWeek, type WeeklyStanding } from '../core/weekly-hours.js';
import type { Db } from '../db/database.js';
import type { CareDeps } from './care-deps.js';
import { raiseParticipantAlert } from './participant-alerts.js';
import { sendToParticipant } from './participant-outbox.js';

export interface ParticipantWeek {
  standing: WeeklyStanding;
  week: IsoWeek;
  zone: string;
  participantName: string;
  programName: string;
  nextSession?: { startsAt: Date };
}

/**
 * One participant's week in one program, in their zone (else the program's): minutes present in
 * the program's sessions and in make-ups booked for its missed sessions (live attendance counts;
 * the library never does), and what is still attendable. Sessions they said they will miss are
 * not counted as still attendable.
 */
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
  const sessions = [...new Map([...own, ...makeUps].map((s) => [s.id, s])).values()];
  const ids = sessions.map((s) => s.id);
  const [attendance, absences] = await Promise.all([
    prisma.attendance.findMany({ where: { organizationId: input.organizationId, participantId: input.participantId, sessionId: { in: ids } }, select: { sessionId: true, minutesPresent: true } }),
    prisma.absence.findMany({ where: { organizationId: input.organizationId, participantId: input.participantId, sessionId: { in: ids } }, select: { sessionId: true } }),
  ]);
  const startOf = new Map(sessions.map((s) => [s.id, s.startsAt]));
  const skipped = new Set(absences.map((a) => a.sessionId));
  const attendable = sessions.filter((s) => !skipped.has(s.id));
  const standing = weeklyStanding({
    requiredMinutes: Math.round(policy.weeklyHoursRequired * 60),
    week,
    now: input.now,
    attended: attendance.map((a) => ({ startsAt: startOf.get(a.sessionId)!, minutes: a.minutesPresent })),
    sessions: attendable,
  });
  const next = attendable.filter((s) => s.startsAt > input.now).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];
  return { standing, week, zone, participantName: enrollment.participant.name, programName: enrollment.program.name, ...(next ? { nextSession: { startsAt: next.startsAt } } : {}) };
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
      minutes: week.standing.minutes,
      requiredMinutes: week.standing.requiredMinutes,
      sessionsAhead: week.standing.sessionsAhead,
      ...(week.nextSession ? { nextSession: { startsAt: week.nextSession.startsAt, zone: week.zone } } : {}),
    }),
  });
  deps.log.info({ enrollmentId, week: week.week.key, state: result.state }, 'weekly progress');
  await warnIfHoursAtRisk(deps, { organizationId: enrollment.organizationId, programId: enrollment.programId, participantId: enrollment.participantId });
}

/**
 * The early warning: when this week's requirement can no longer be met with the sessions left,
 * the participant gets a kind heads-up and staff an `Hours at risk` alert. Once per week each.
 */
export async function warnIfHoursAtRisk(deps: CareDeps, input: { organizationId: string; programId: string; participantId: string }): Promise<boolean> {
  const week = await loadParticipantWeek(deps.prisma, { ...input, now: deps.clock.now() });
  if (!week || week.standing.requiredMinutes <= 0 || week.standing.canStillMeet) return false;
  const key = `hours-at-risk:${input.participantId}:${input.programId}:${week.week.key}`;
  await sendToParticipant(deps, {
    organizationId: input.organizationId,
    participantId: input.participantId,
    dedupeKey: key,
    purpose: 'hours_at_risk',
    expiresAt: week.week.end,
    message: hoursAtRiskMessage({ participantName: week.participantName, programName: week.programName, minutes: week.standing.minutes, requiredMinutes: week.standing.requiredMinutes }),
  });
  await raiseParticipantAlert(deps, {
    organizationId: input.organizationId,
    participantId: input.participantId,
    kind: 'hours_at_risk',
    dedupeKey: key,
    programIds: [input.programId],
    detail: { minutes: week.standing.minutes, requiredMinutes: week.standing.requiredMinutes, possibleMinutes: week.standing.possibleMinutes, week: week.week.key },
  });
  return true;
}
