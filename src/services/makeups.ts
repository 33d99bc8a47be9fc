import type { Logger } from 'pino';
import { eligibleMakeUps } from '../core/makeups.js';
import type { MakeUpOption } from '../core/care-messages.js';
import { resolvePolicy } from '../core/policy.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { writeAudit } from './audit.js';
import type { CloseOutStep } from './session-close-out.js';
import type { SessionEvaluator } from './session-evaluator.js';

const ACTIVE = ['booked', 'attended'];

/**
 * The make-ups one participant may book for one missed session, earliest first: eligibility is the
 * core's (core/makeups.ts); this counts who each candidate already expects (enrolled and booked guests).
 */
export async function findMakeUps(
  deps: { prisma: Db; clock: Clock },
  input: { organizationId: string; participantId: string; missedSessionId: string },
): Promise<{ options: MakeUpOption[]; zone: string } | null> {
  const { prisma } = deps;
  const now = deps.clock.now();
  const missed = await prisma.session.findFirst({ where: { id: input.missedSessionId, organizationId: input.organizationId }, include: { program: true } });
  const participant = await prisma.participant.findFirst({ where: { id: input.participantId, organizationId: input.organizationId } });
  if (!missed || !participant) return null;
  const policy = resolvePolicy(missed.program.policy);
  const zone = participant.timezone ?? missed.program.timezone;
  const programIds = [missed.programId, ...policy.makeUpPartnerProgramIds];
  const windowEnd = new Date(missed.startsAt.getTime() + policy.makeUpWindowDays * 86_400_000);
  const sessions = await prisma.session.findMany({
    where: { organizationId: input.organizationId, programId: { in: programIds }, startsAt: { gt: now, lte: windowEnd } },
    include: { program: true },
    orderBy: { startsAt: 'asc' },
    take: 50,
  });
  if (sessions.length === 0) return { options: [], zone };
  const ids = sessions.map((s) => s.id);
  const [enrollments, bookings, mine] = await Promise.all([
    prisma.enrollment.findMany({ where: { organizationId: input.organizationId, programId: { in: [...new Set(sessions.map((s) => s.programId))] }, status: 'active' }, select: { programId: true, participantId: true } }),
    prisma.makeUpBooking.findMany({ where: { organizationId: input.organizationId, makeUpSessionId: { in: ids }, state: { in: ACTIVE } }, select: { makeUpSessionId: true, participantId: true } }),
    prisma.makeUpBooking.findMany({ where: { organizationId: input.organizationId, participantId: input.participantId, state: { in: ACTIVE }, missedSessionId: { not: input.missedSessionId } }, select: { makeUpSessionId: true } }),
  ]);
  // A session already booked as another make-up cannot stand in for this one too.
  const alreadyExpected = new Set(mine.filter((b) => b.makeUpSessionId).map((b) => b.makeUpSessionId));
  const eligible = eligibleMakeUps({
    missed: { id: missed.id, programId: missed.programId, startsAt: missed.startsAt },
    policy,
    zone,
    now,
    alreadyExpectedIds: alreadyExpected,
    candidates: sessions.map((s) => ({
      id: s.id,
      programId: s.programId,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      expectedCount: enrollments.filter((e) => e.programId === s.programId).length + bookings.filter((b) => b.makeUpSessionId === s.id).length,
      capacity: resolvePolicy(s.program.policy).sessionCapacity,
    })),
  });
  const byId = new Map(sessions.map((s) => [s.id, s]));
  return { options: eligible.map((c) => ({ sessionId: c.id, programName: byId.get(c.id)!.program.name, startsAt: c.startsAt })), zone };
}

export type BookingResult = { ok: true; programName: string; startsAt: Date; zone: string; reminders: boolean } | { ok: false; reason: 'not_enrolled' | 'not_available' };

/**
 * The participant picked a make-up. Eligibility is checked again now (room may have gone since the
 * offer); one booking per missed session (a new pick replaces a booked one). The make-up session
 * then expects them (session-snapshot.ts), and attending it marks the missed one `made_up`.
 */
export async function bookMakeUp(
  deps: { prisma: Db; clock: Clock; evaluator: SessionEvaluator },
  input: { organizationId: string; participantId: string; missedSessionId: string; makeUpSessionId: string; actor: string; via: string },
): Promise<BookingResult> {
  const { prisma } = deps;
  const missed = await prisma.session.findFirst({ where: { id: input.missedSessionId, organizationId: input.organizationId } });
  const enrolled = missed && (await prisma.enrollment.findFirst({ where: { organizationId: input.organizationId, programId: missed.programId, participantId: input.participantId } }));
  if (!missed || !enrolled) return { ok: false, reason: 'not_enrolled' };
  const found = await findMakeUps(deps, input);
  const existing = await prisma.makeUpBooking.findUnique({ where: { participantId_missedSessionId: { participantId: input.participantId, missedSessionId: missed.id } } });
  const option = found?.options.find((o) => o.sessionId === input.makeUpSessionId);
  if (existing?.makeUpSessionId === input.makeUpSessionId && existing.state === 'booked') {
    const session = await prisma.session.findUniqueOrThrow({ where: { id: existing.makeUpSessionId }, include: { program: true } });
    return { ok: true, programName: session.program.name, startsAt: session.startsAt, zone: found?.zone ?? session.program.timezone, reminders: resolvePolicy(session.program.policy).reminderMinutesBefore > 0 };
  }
  if (!option || !found || existing?.state === 'attended') return { ok: false, reason: 'not_available' };
  const previous = existing?.makeUpSessionId;
  await prisma.$transaction(async (tx) => {
    const booking = await tx.makeUpBooking.upsert({
      where: { participantId_missedSessionId: { participantId: input.participantId, missedSessionId: missed.id } },
      create: { organizationId: input.organizationId, participantId: input.participantId, missedSessionId: missed.id, makeUpSessionId: option.sessionId, bookedVia: input.via },
      update: { makeUpSessionId: option.sessionId, state: 'booked', bookedVia: input.via },
    });
    await writeAudit(tx, { organizationId: input.organizationId, actor: input.actor, action: 'makeup.book', entityType: 'MakeUpBooking', entityId: booking.id, data: { missedSessionId: missed.id, makeUpSessionId: option.sessionId, replaced: previous ?? null } });
  });
  await deps.evaluator.evaluate(option.sessionId);
  if (previous && previous !== option.sessionId) await deps.evaluator.evaluate(previous);
  const session = await prisma.session.findUniqueOrThrow({ where: { id: option.sessionId }, include: { program: true } });
  return { ok: true, programName: option.programName, startsAt: option.startsAt, zone: found.zone, reminders: resolvePolicy(session.program.policy).reminderMinutesBefore > 0 };
}

/**
 * Close-out of a make-up session: each guest who was present or late there has made up their
 * missed session (booking `attended`, the missed session evaluated again → `made_up`); a guest
 * who did not come leaves the booking `missed`. Idempotent.
 */
export function makeUpCloseOutStep(deps: { prisma: Db; log: Logger; evaluator: SessionEvaluator }): CloseOutStep {
  return {
    name: 'make-ups',
    async run(sessionId) {
      const { prisma } = deps;
      const bookings = await prisma.makeUpBooking.findMany({ where: { makeUpSessionId: sessionId, state: { in: ['booked', 'attended'] } } });
      for (const booking of bookings) {
        const attendance = await prisma.attendance.findUnique({ where: { sessionId_participantId: { sessionId, participantId: booking.participantId } } });
        const attended = attendance?.overrideStatus ? ['present', 'late'].includes(attendance.overrideStatus) : ['present', 'late'].includes(attendance?.status ?? '');
        const state = attended ? 'attended' : 'missed';
        if (booking.state !== state) {
          await prisma.$transaction(async (tx) => {
            await tx.makeUpBooking.update({ where: { id: booking.id }, data: { state } });
            await writeAudit(tx, { organizationId: booking.organizationId, actor: 'system', action: `makeup.${state}`, entityType: 'MakeUpBooking', entityId: booking.id, data: { missedSessionId: booking.missedSessionId, makeUpSessionId: sessionId } });
          });
          deps.log.info({ bookingId: booking.id, state }, 'make-up settled');
        }
        await deps.evaluator.evaluate(booking.missedSessionId);
      }
    },
  };
}
