import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import { resolvePolicy } from '../core/policy.js';
import type { Db } from '../db/database.js';
import { actorNames } from './actor-names.js';
import { nameAssignees } from './queries/follow-ups-page.js';
import { listParticipantNotes } from './participant-notes.js';
import { findParticipantChatTarget, type MessengerFor } from './participant-messenger.js';
import { skipReason } from './participant-outbox.js';
import { loadStrikeSummaries } from './strikes.js';

export interface TimelineDeps {
  prisma: Db;
  clock: Clock;
  messengerFor: MessengerFor;
}

const COMING_UP = 10;

/**
 * Everything the participant page shows about one participant of the organization; null for
 * anyone else's. History is what has begun (newest first); what has not is "coming up", apart.
 */
export async function readParticipantTimeline(deps: TimelineDeps, organizationId: string, participantId: string) {
  const { prisma } = deps;
  const now = deps.clock.now();
  const participant = await prisma.participant.findFirst({
    where: { id: participantId, organizationId },
    include: { identities: { orderBy: { createdAt: 'asc' } }, enrollments: { include: { program: true }, orderBy: { enrolledAt: 'asc' } } },
  });
  if (!participant) return null;
  const zone = participant.timezone ?? participant.enrollments[0]?.program.timezone ?? 'UTC';
  const active = participant.enrollments.filter((e) => e.status === 'active');
  const programSelect = { select: { id: true, name: true, timezone: true } } as const;
  const [attendances, absences, followUps, alerts, notes, comingUp, programs] = await Promise.all([
    prisma.attendance.findMany({
      where: { organizationId, participantId, session: { startsAt: { lte: now } } },
      include: { session: { include: { program: programSelect } } },
      orderBy: { session: { startsAt: 'desc' } },
      take: 200,
    }),
    prisma.absence.findMany({ where: { organizationId, participantId }, include: { session: { include: { program: programSelect } }, program: programSelect }, orderBy: { createdAt: 'desc' }, take: 200 }),
    prisma.followUp.findMany({ where: { organizationId, participantId }, include: { program: { select: { name: true } } }, orderBy: { createdAt: 'desc' }, take: 200 }),
    prisma.alert.findMany({ where: { organizationId, participantId }, select: { id: true }, take: 1000 }),
    listParticipantNotes(prisma, organizationId, participantId),
    active.length === 0
      ? Promise.resolve([])
      : prisma.session.findMany({
          where: { organizationId, startsAt: { gt: now }, OR: active.map((e) => ({ programId: e.programId, startsAt: { gte: e.enrolledAt } })) },
          include: { program: programSelect },
          orderBy: { startsAt: 'asc' },
          take: COMING_UP,
        }),
    prisma.program.findMany({ where: { organizationId }, select: { id: true, name: true } }),
  ]);

  const strikes = await Promise.all(
    active.map(async (e) => {
      const [summary] = await loadStrikeSummaries(prisma, organizationId, e.programId, participantId, now);
      return {
        programId: e.programId,
        programName: e.program.name,
        programZone: e.program.timezone,
        ladder: resolvePolicy(e.program.policy).strikeLadder,
        strikes: summary?.strikes ?? 0,
        windowDays: summary?.windowDays ?? resolvePolicy(e.program.policy).strikeWindowDays,
        consecutiveMisses: summary?.consecutiveMisses ?? 0,
        presumedDropOut: summary?.presumedDropOut ?? false,
        openFollowUps: followUps.filter((f) => f.programId === e.programId && f.state === 'open'),
      };
    }),
  );

  const target = await findParticipantChatTarget(prisma, deps.messengerFor, { organizationId, participantId });
  const contact = { target, reason: target ? null : await skipReason(prisma, organizationId, participantId) };

  // What was done about this person: on them, their follow-ups, alerts, absences and enrolments, or naming them.
  const entityIds = [participantId, ...followUps.map((f) => f.id), ...alerts.map((a) => a.id), ...absences.map((a) => a.id), ...participant.enrollments.map((e) => e.id)];
  const entries = await prisma.auditLog.findMany({
    where: { organizationId, OR: [{ entityId: { in: entityIds } }, { data: { path: ['participantId'], equals: participantId } }] },
    orderBy: { createdAt: 'desc' },
    take: 200,
  });
  await nameAssignees(prisma, organizationId, followUps);
  const names = await nameActors(prisma, organizationId, participant, [...entries.map((e) => e.actor), ...notes.map((n) => n.author)]);
  const sessionDays = await sessionDaysOf(prisma, organizationId, entries);
  return {
    participant,
    now,
    zone,
    history: attendances,
    comingUp,
    absences,
    followUps,
    strikes,
    contact,
    notes,
    audit: entries,
    names,
    lookups: {
      sessionDays,
      programNames: new Map(programs.map((p) => [p.id, p.name])),
      followUpKinds: new Map(followUps.map((f) => [f.id, f.kind])),
    },
  };
}

export type ParticipantTimeline = NonNullable<Awaited<ReturnType<typeof readParticipantTimeline>>>;

const ACCOUNT_KINDS = new Set(['user_id', 'aad_object_id']);

/**
 * Audit actors by name: staff accounts and API tokens (actorNames), staff pressing buttons in chat
 * (their Slack, Microsoft or Zoom user id on their staff account), and this participant writing to
 * the bot from one of their accounts or their phone.
 */
async function nameActors(
  prisma: Db,
  organizationId: string,
  participant: { id: string; name: string; identities: { platform: string; kind: string; value: string }[] },
  actors: string[],
): Promise<Map<string, string>> {
  const names = await actorNames(prisma, organizationId, actors);
  const idsOn = (platform: string) => [...new Set(actors.filter((a) => a.startsWith(`${platform}:`)).map((a) => a.slice(platform.length + 1)))];
  const [slack, teams, zoom] = [idsOn('slack'), idsOn('teams'), idsOn('zoom')];
  const staff = await prisma.staffAccount.findMany({
    where: { organizationId, OR: [{ slackUserId: { in: slack } }, { microsoftUserId: { in: teams } }, { zoomUserId: { in: zoom } }] },
    select: { name: true, slackUserId: true, microsoftUserId: true, zoomUserId: true },
  });
  for (const s of staff) {
    if (s.slackUserId) names.set(`slack:${s.slackUserId}`, s.name);
    if (s.microsoftUserId) names.set(`teams:${s.microsoftUserId}`, s.name);
    if (s.zoomUserId) names.set(`zoom:${s.zoomUserId}`, s.name);
  }
  for (const identity of participant.identities) {
    if (ACCOUNT_KINDS.has(identity.kind) && !names.has(`${identity.platform}:${identity.value}`)) names.set(`${identity.platform}:${identity.value}`, participant.name);
  }
  names.set(`sms:${participant.id}`, participant.name);
  return names;
}

/** "Mon 9 Nov" for each session an audit entry names, in its program's zone; this organization's only. */
async function sessionDaysOf(prisma: Db, organizationId: string, entries: { entityType: string; entityId: string; data: unknown }[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const entry of entries) {
    const data = (entry.data ?? {}) as Record<string, unknown>;
    for (const key of ['sessionId', 'missedSessionId']) if (typeof data[key] === 'string') ids.add(data[key] as string);
    if (entry.entityType === 'Session') ids.add(entry.entityId);
  }
  const uuids = [...ids].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (uuids.length === 0) return new Map();
  const sessions = await prisma.session.findMany({ where: { organizationId, id: { in: uuids } }, select: { id: true, startsAt: true, program: { select: { timezone: true } } } });
  return new Map(sessions.map((s) => [s.id, DateTime.fromJSDate(s.startsAt, { zone: s.program.timezone }).toFormat('ccc d LLL')]));
}
