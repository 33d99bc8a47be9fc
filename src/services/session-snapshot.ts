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

/** An attendance row as stored: what the evaluation compares with, to write only what changed. */
export interface StoredAttendance {
  participantId: string;
  status: string;
  flags: string[];
  minutesPresent: number;
  firstJoinAt: Date | null;
  lastLeaveAt: Date | null;
  final: boolean;
}

/** A session alert as stored (the outbox's row, the fields reconciling needs). */
export interface StoredSessionAlert {
  id: string;
  topic: string;
  subjectKey: string;
  participantId: string | null;
  kind: string;
  state: string;
  detail: unknown;
  version: number;
  externalMessageId: string | null;
}

/** The snapshot and what the session's last evaluation stored: an evaluation's whole read. */
export interface EvaluationInput {
  bundle: SessionSnapshot;
  attendance: StoredAttendance[];
  alerts: StoredSessionAlert[];
  /** The stored next deadline: when unchanged, its job was scheduled by the evaluation that stored it. */
  wakeAt: Date | null;
}

/** Everything one evaluation of a session needs, all scoped to its organization. */
export async function loadSessionSnapshot(db: Reader, sessionId: string): Promise<SessionSnapshot | null> {
  return (await loadEvaluationInput(db, sessionId, []))?.bundle ?? null;
}

/**
 * The snapshot, the stored attendance and the session's alerts of these topics, in one statement
 * (one round trip, one result to decode: issue 16 measured about 1 ms of CPU per Prisma query).
 */
export async function loadEvaluationInput(db: Reader, sessionId: string, alertTopics: string[]): Promise<EvaluationInput | null> {
  const rows = await db.$queryRawUnsafe<{ bundle: string }[]>(EVALUATION_INPUT_SQL, sessionId, alertTopics);
  const raw = JSON.parse(rows[0]!.bundle) as RawInput;
  if (!raw.session) return null;
  const { session } = raw;
  const date = (value: string | null) => (value === null ? null : new Date(value));
  const madeUpIds = new Set(raw.madeUp);
  const bundle: SessionSnapshot = {
    session: {
      id: session.id,
      organizationId: session.organizationId,
      programId: session.programId,
      startsAt: new Date(session.startsAt),
      endsAt: new Date(session.endsAt),
      meetingPlatform: session.meetingPlatform,
      finalizedAt: date(session.finalizedAt),
      createdAt: new Date(session.createdAt),
      importedAt: date(session.importedAt),
    },
    program: {
      id: session.programId,
      name: session.programName,
      timezone: session.timezone,
      policy: resolvePolicy(session.policy),
      alertPlatform: session.alertPlatform,
      alertChannelId: session.alertChannelId,
    },
    expected: raw.expected.map((participant) => ({
      participantId: participant.id,
      name: participant.name,
      email: participant.email,
      identities: participant.identities,
    })),
    events: raw.events.map((row) => ({
      platform: row.platform,
      kind: row.kind as PresenceKind,
      occurredAt: new Date(row.occurredAt),
      meetingId: row.meetingId,
      meetingInstanceId: row.meetingInstanceId ?? undefined,
      accountId: row.accountId ?? undefined,
      person: row.person ?? undefined,
      leaveReason: row.leaveReason ?? undefined,
      connectionLost: row.connectionLost,
      breakout: row.breakout,
      dedupeKey: row.dedupeKey,
    })),
    deliveries: raw.events.filter((row) => row.source === 'live').map((row) => ({ occurredAt: new Date(row.occurredAt), receivedAt: new Date(row.receivedAt) })),
    // A made-up session shows as made up even when its absence was excused too: it is the fuller record.
    excusedIds: new Set(raw.excused.filter((id) => !madeUpIds.has(id))),
    madeUpIds,
  };
  return {
    bundle,
    attendance: raw.attendance.map((row) => ({ ...row, firstJoinAt: date(row.firstJoinAt), lastLeaveAt: date(row.lastLeaveAt) })),
    alerts: raw.alerts,
    wakeAt: date(session.wakeAt),
  };
}

/** The statement's JSON: timestamps as ISO strings with their offset (to_json's format, whatever DateStyle says). */
interface RawInput {
  session: {
    id: string;
    organizationId: string;
    programId: string;
    startsAt: string;
    endsAt: string;
    meetingPlatform: Platform;
    finalizedAt: string | null;
    createdAt: string;
    importedAt: string | null;
    wakeAt: string | null;
    programName: string;
    timezone: string;
    policy: unknown;
    alertPlatform: Platform;
    alertChannelId: string;
  } | null;
  expected: { id: string; name: string; email: string | null; identities: { platform: Platform; kind: string; value: string }[] }[];
  events: {
    platform: Platform;
    kind: string;
    occurredAt: string;
    receivedAt: string;
    source: string;
    meetingId: string;
    meetingInstanceId: string | null;
    accountId: string | null;
    person: PresencePerson | null;
    leaveReason: string | null;
    connectionLost: boolean;
    breakout: boolean;
    dedupeKey: string;
  }[];
  excused: string[];
  madeUp: string[];
  attendance: (Omit<StoredAttendance, 'firstJoinAt' | 'lastLeaveAt'> & { firstJoinAt: string | null; lastLeaveAt: string | null })[];
  alerts: StoredSessionAlert[];
}

/**
 * $1 the session, $2 the alert topics. Expected: the enrolled whose enrollment overlaps the session
 * (by enrolment date), then make-up guests not enrolled (services/makeups.ts), by creation.
 */
const EVALUATION_INPUT_SQL = `
WITH s AS (
  SELECT s.id, s."organizationId", s."programId", s."startsAt", s."endsAt", s."meetingPlatform", s."finalizedAt", s."createdAt",
         s."importedAt", s."wakeAt", p.name AS "programName", p.timezone, p.policy, p."alertPlatform", p."alertChannelId"
  FROM "Session" s JOIN "Program" p ON p."organizationId" = s."organizationId" AND p.id = s."programId"
  WHERE s.id = $1::uuid
), enrolled AS (
  SELECT e."participantId" AS id, e."enrolledAt", e.id AS "enrollmentId"
  FROM "Enrollment" e JOIN s ON e."organizationId" = s."organizationId" AND e."programId" = s."programId"
  WHERE e."enrolledAt" <= s."endsAt" AND (e."dischargedAt" IS NULL OR e."dischargedAt" > s."startsAt")
), guests AS (
  SELECT DISTINCT b."participantId" AS id
  FROM "MakeUpBooking" b JOIN s ON b."organizationId" = s."organizationId" AND b."makeUpSessionId" = s.id
  WHERE b.state IN ('booked', 'attended', 'missed') AND b."participantId" NOT IN (SELECT id FROM enrolled)
), expected AS (
  SELECT 0 AS rank, en."enrolledAt" AS since, en."enrollmentId" AS tie, en.id FROM enrolled en
  UNION ALL
  SELECT 1, pa."createdAt", pa.id, pa.id FROM guests g JOIN s ON true JOIN "Participant" pa ON pa."organizationId" = s."organizationId" AND pa.id = g.id
)
SELECT json_build_object(
  'session', (SELECT to_json(s) FROM s),
  'expected', (
    SELECT coalesce(json_agg(json_build_object(
      'id', pa.id, 'name', pa.name, 'email', pa.email,
      'identities', (SELECT coalesce(json_agg(json_build_object('platform', i.platform, 'kind', i.kind, 'value', i.value) ORDER BY i."createdAt", i.id), '[]')
                     FROM "Identity" i WHERE i."organizationId" = pa."organizationId" AND i."participantId" = pa.id)
    ) ORDER BY x.rank, x.since, x.tie), '[]')
    FROM expected x JOIN s ON true JOIN "Participant" pa ON pa."organizationId" = s."organizationId" AND pa.id = x.id
  ),
  'events', (
    SELECT coalesce(json_agg(json_build_object(
      'platform', ev.platform, 'kind', ev.kind, 'occurredAt', ev."occurredAt", 'receivedAt', ev."receivedAt", 'source', ev.source,
      'meetingId', ev."meetingId", 'meetingInstanceId', ev."meetingInstanceId", 'accountId', ev."accountId", 'person', ev.person,
      'leaveReason', ev."leaveReason", 'connectionLost', ev."connectionLost", 'breakout', ev.breakout, 'dedupeKey', ev."dedupeKey"
    ) ORDER BY ev."occurredAt", ev."receivedAt"), '[]')
    FROM "PresenceEvent" ev JOIN s ON ev."organizationId" = s."organizationId" AND ev."sessionId" = s.id
  ),
  'excused', (SELECT coalesce(json_agg(a."participantId"), '[]') FROM "Absence" a JOIN s ON a."organizationId" = s."organizationId" AND a."sessionId" = s.id WHERE a.excused),
  'madeUp', (
    SELECT coalesce(json_agg(b."participantId"), '[]')
    FROM "MakeUpBooking" b JOIN s ON b."organizationId" = s."organizationId" AND b."missedSessionId" = s.id WHERE b.state = 'attended'
  ),
  'attendance', (
    SELECT coalesce(json_agg(json_build_object(
      'participantId', t."participantId", 'status', t.status, 'flags', t.flags, 'minutesPresent', t."minutesPresent",
      'firstJoinAt', t."firstJoinAt", 'lastLeaveAt', t."lastLeaveAt", 'final', t.final
    )), '[]')
    FROM "Attendance" t JOIN s ON t."organizationId" = s."organizationId" AND t."sessionId" = s.id
  ),
  'alerts', (
    SELECT coalesce(json_agg(json_build_object(
      'id', al.id, 'topic', al.topic, 'subjectKey', al."subjectKey", 'participantId', al."participantId", 'kind', al.kind, 'state', al.state,
      'detail', al.detail, 'version', al.version, 'externalMessageId', al."externalMessageId"
    ) ORDER BY al."createdAt", al.id), '[]')
    FROM "Alert" al JOIN s ON al."organizationId" = s."organizationId" AND al."sessionId" = s.id WHERE al.topic = ANY($2::text[])
  )
)::text AS bundle`;
