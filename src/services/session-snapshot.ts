import type { Prisma } from '../generated/prisma/client.js';
import type { Delivery } from '../core/backlog-hold.js';
import type { ExpectedParticipant } from '../core/identity-match.js';
import type { Platform, PresenceEvent, PresenceKind, PresencePerson } from '../core/presence-event.js';
import { resolvePolicy, type Policy } from '../core/policy.js';
import type { Db } from '../db/database.js';

type Reader = Db | Prisma.TransactionClient;

export interface SessionSnapshot {
  session: {
    id: string;
    organizationId: string;
    programId: string;
    startsAt: Date;
    endsAt: Date;
    meetingPlatform: Platform;
    finalizedAt: Date | null;
    createdAt: Date;
    importedAt: Date | null;
  };
  program: { id: string; name: string; timezone: string; policy: Policy; alertPlatform: Platform; alertChannelId: string };
  expected: ExpectedParticipant[];
  events: PresenceEvent[];
  /** When each live fact happened and when it reached us: tells a backlog from a live stream (core/backlog-hold.ts). */
  deliveries: Delivery[];
  /** Participants with an accepted absence (or staff excuse) for this session. */
  excusedIds: Set<string>;
  /** Participants who attended a make-up booked for this session (MakeUpBooking, state attended). */
  madeUpIds: Set<string>;
}

/** Everything one evaluation of a session needs, read in a handful of queries, all scoped to its organization. */
export async function loadSessionSnapshot(db: Reader, sessionId: string): Promise<SessionSnapshot | null> {
  const session = await db.session.findUnique({ where: { id: sessionId }, include: { program: true } });
  if (!session) return null;
  const { organizationId, program } = session;
  const [enrollments, events, absences, guestBookings, madeUp] = await Promise.all([
    db.enrollment.findMany({
      where: {
        organizationId,
        programId: program.id,
        enrolledAt: { lte: session.endsAt },
        OR: [{ dischargedAt: null }, { dischargedAt: { gt: session.startsAt } }],
      },
      include: { participant: { include: { identities: true } } },
      orderBy: { enrolledAt: 'asc' },
    }),
    db.presenceEvent.findMany({ where: { organizationId, sessionId }, orderBy: [{ occurredAt: 'asc' }, { receivedAt: 'asc' }] }),
    db.absence.findMany({ where: { organizationId, sessionId, excused: true }, select: { participantId: true } }),
    // Make-up guests are expected here like the enrolled (services/makeups.ts).
    db.makeUpBooking.findMany({ where: { organizationId, makeUpSessionId: sessionId, state: { in: ['booked', 'attended', 'missed'] } }, select: { participantId: true } }),
    db.makeUpBooking.findMany({ where: { organizationId, missedSessionId: sessionId, state: 'attended' }, select: { participantId: true } }),
  ]);
  const enrolledIds = new Set(enrollments.map((e) => e.participantId));
  const guestIds = [...new Set(guestBookings.map((b) => b.participantId))].filter((id) => !enrolledIds.has(id));
  const guests = guestIds.length
    ? await db.participant.findMany({ where: { organizationId, id: { in: guestIds } }, include: { identities: true }, orderBy: { createdAt: 'asc' } })
    : [];
  const madeUpIds = new Set(madeUp.map((b) => b.participantId));
  return {
    session: {
      id: session.id,
      organizationId,
      programId: program.id,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      meetingPlatform: session.meetingPlatform,
      finalizedAt: session.finalizedAt,
      createdAt: session.createdAt,
      importedAt: session.importedAt,
    },
    program: {
      id: program.id,
      name: program.name,
      timezone: program.timezone,
      policy: resolvePolicy(program.policy),
      alertPlatform: program.alertPlatform,
      alertChannelId: program.alertChannelId,
    },
    expected: [...enrollments.map((e) => e.participant), ...guests].map((participant) => ({
      participantId: participant.id,
      name: participant.name,
      email: participant.email,
      identities: participant.identities.map((i) => ({ platform: i.platform, kind: i.kind, value: i.value })),
    })),
    events: events.map((row) => ({
      platform: row.platform,
      kind: row.kind as PresenceKind,
      occurredAt: row.occurredAt,
      meetingId: row.meetingId,
      meetingInstanceId: row.meetingInstanceId ?? undefined,
      accountId: row.accountId ?? undefined,
      person: (row.person as PresencePerson | null) ?? undefined,
      leaveReason: row.leaveReason ?? undefined,
      connectionLost: row.connectionLost,
      breakout: row.breakout,
      dedupeKey: row.dedupeKey,
    })),
    deliveries: events.filter((row) => row.source === 'live').map((row) => ({ occurredAt: row.occurredAt, receivedAt: row.receivedAt })),
    // A made-up session shows as made up even when its absence was excused too: it is the fuller record.
    excusedIds: new Set(absences.map((a) => a.participantId).filter((id) => !madeUpIds.has(id))),
    madeUpIds,
  };
}
