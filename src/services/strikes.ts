import { randomUUID } from 'node:crypto';
import { decideStrikes, DROPOUT_RULE, type StrikeDecision, type StrikeRecord } from '../core/strikes.js';
import { resolvePolicy, type Policy } from '../core/policy.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { createAlert, resolveAlert } from './alerts/alert-outbox.js';
import { writeAudit } from './audit.js';
import { dismissNoLongerApplying, openFollowUp } from './follow-ups.js';
import type { CloseOutStep } from './session-close-out.js';

type Reader = Db | Prisma.TransactionClient;

export interface StrikeDeps {
  prisma: Db;
  clock: Clock;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
}

/** Enough history for the longest window (365 days) and the climbs and proposals inside it. */
const HISTORY_DAYS = 800;

interface ParticipantFacts {
  records: StrikeRecord[];
  contacts: Date[];
  fired: { id: string; rule: string; firedAt: Date; state: string; alertId: string | null; withdrawn: boolean }[];
}

/** One participant's final attendance in one program, their contacts and the proposals already made. */
async function loadFacts(db: Reader, organizationId: string, programId: string, participantId: string, now: Date): Promise<ParticipantFacts> {
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const [rows, participant, absences, followUps] = await Promise.all([
    db.attendance.findMany({
      where: { organizationId, participantId, final: true, session: { programId, startsAt: { gte: since, lte: now } } },
      select: { sessionId: true, status: true, flags: true, overrideStatus: true, session: { select: { startsAt: true } } },
    }),
    db.participant.findFirst({ where: { id: participantId, organizationId }, select: { lastContactAt: true } }),
    db.absence.findMany({
      where: { organizationId, participantId, programId, createdAt: { gte: since } },
      select: { reportedBy: true, createdAt: true, session: { select: { startsAt: true } } },
    }),
    db.followUp.findMany({
      where: { organizationId, programId, participantId, rule: { not: null } },
      select: { id: true, rule: true, createdAt: true, state: true, alertId: true, outcome: true, closedBy: true },
    }),
  ]);
  const contacts: Date[] = participant?.lastContactAt ? [participant.lastContactAt] : [];
  for (const absence of absences) {
    const startsAt = absence.session?.startsAt;
    // Reported ahead (by them, or by staff they told): contact at the session it was for.
    if (absence.reportedBy === 'participant' || (startsAt && absence.createdAt <= startsAt)) {
      contacts.push(startsAt && absence.createdAt <= startsAt ? startsAt : absence.createdAt);
    }
  }
  return {
    records: rows.map((r) => ({ sessionId: r.sessionId, startsAt: r.session.startsAt, status: r.status, flags: r.flags, overrideStatus: r.overrideStatus })),
    contacts,
    fired: followUps.map((f) => ({ id: f.id, rule: f.rule!, firedAt: f.createdAt, state: f.state, alertId: f.alertId, withdrawn: isWithdrawn(f) })),
  };
}

/** Dismissed by the system because the facts stopped supporting it (dismissNoLongerApplying), not by a person. */
const isWithdrawn = (f: { state: string; outcome: string | null; closedBy: string | null }) => f.state === 'dismissed' && f.outcome === 'no_longer_applies' && f.closedBy === 'system';

/**
 * The dedupe key for a proposal: its climb's key, or, when a proposal for that same climb was
 * withdrawn and the count is back on the rung, the next `:again<n>` key. Null when one stands.
 */
async function proposalKey(tx: Prisma.TransactionClient, base: string): Promise<string | null> {
  for (let n = 0; n < 50; n++) {
    const key = n === 0 ? base : `${base}:again${n}`;
    const existing = await tx.followUp.findUnique({ where: { dedupeKey: key }, select: { state: true, outcome: true, closedBy: true } });
    if (!existing) return key;
    if (!isWithdrawn(existing)) return null;
  }
  return null;
}

function decide(facts: ParticipantFacts, policy: Policy, timezone: string, now: Date): StrikeDecision {
  return decideStrikes({ records: facts.records, contacts: facts.contacts, policy, timezone, now, fired: facts.fired });
}

/**
 * Recomputes one participant's strikes in one program and makes the stored proposals match:
 * level-triggered and idempotent. Each newly reached rung (and a presumed drop-out) gets a
 * FollowUp and a `Strike` or `Review due` alert in the program's channel, written together (the
 * outbox); the dedupe key names the participant, program, rule and climb, so a retry or a second
 * instance never proposes twice. A proposal the facts no longer support (its absence excused
 * since) is dismissed by the system and its alert resolved, unless staff already took it on.
 *
 * `quiet` (after history was imported): only the rung the person is on now is proposed, as a
 * follow-up without its own alert (the import posts one summary); rungs passed on the way are
 * recorded as superseded, so they are not proposed later either.
 */
export async function recomputeStrikes(
  deps: StrikeDeps,
  input: { organizationId: string; programId: string; participantId: string },
  options: { quiet?: boolean } = {},
): Promise<(StrikeDecision & { opened: string[] }) | null> {
  const { prisma, clock } = deps;
  const now = clock.now();
  const result = await prisma.$transaction(
    async (tx) => {
      // One recompute per participant and program at a time, across instances.
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`strikes:${input.programId}:${input.participantId}`}))::text AS locked`;
      const program = await tx.program.findFirst({ where: { id: input.programId, organizationId: input.organizationId } });
      if (!program) return null;
      const policy = resolvePolicy(program.policy);
      const facts = await loadFacts(tx, input.organizationId, program.id, input.participantId, now);
      const decision = decide(facts, policy, program.timezone, now);
      const changed: string[] = [];
      // Someone discharged (or never enrolled here) gets no new proposals; old ones may still lapse.
      const enrollment = await tx.enrollment.findFirst({ where: { organizationId: input.organizationId, programId: program.id, participantId: input.participantId }, select: { status: true } });
      const opened: string[] = [];
      const proposals = enrollment?.status === 'active' ? decision.toFire : [];
      const topRung = Math.max(0, ...proposals.filter((p) => p.rule !== DROPOUT_RULE).map((p) => p.count));
      for (const proposal of proposals) {
        const dedupeKey = await proposalKey(tx, `strikes:${input.participantId}:${program.id}:${proposal.climbKey}`);
        if (!dedupeKey) continue;
        if (options.quiet) {
          const superseded = proposal.rule !== DROPOUT_RULE && proposal.count < topRung;
          const id = randomUUID();
          await openFollowUp(tx, { id, organizationId: input.organizationId, programId: program.id, participantId: input.participantId, alertId: null, kind: proposal.action, rule: proposal.rule, dedupeKey, createdAt: now });
          if (superseded) await tx.followUp.update({ where: { id }, data: { state: 'dismissed', outcome: 'superseded_on_import', closedAt: now, closedBy: 'system' } });
          else opened.push(id);
          await writeAudit(tx, {
            organizationId: input.organizationId,
            actor: 'system',
            action: superseded ? 'follow_up.superseded_on_import' : 'follow_up.propose',
            entityType: 'FollowUp',
            entityId: id,
            data: { rule: proposal.rule, kind: proposal.action, participantId: input.participantId, programId: program.id, quiet: true },
          });
          continue;
        }
        const detail = {
          rule: proposal.rule,
          action: proposal.action,
          ...(proposal.rule === 'dropout' ? { misses: proposal.count } : { strikes: proposal.count, windowDays: policy.strikeWindowDays }),
        };
        // The alert names its FollowUp and the FollowUp its alert: the id is chosen first.
        const followUp = { id: randomUUID() };
        const alert = await createAlert(tx, {
          organizationId: input.organizationId,
          programId: program.id,
          participantId: input.participantId,
          subjectKey: input.participantId,
          topic: 'strikes',
          kind: proposal.alertKind,
          detail: { ...detail, followUpId: followUp.id },
          platform: program.alertPlatform,
          channelId: program.alertChannelId,
          dedupeKey,
        });
        await openFollowUp(tx, {
          id: followUp.id,
          organizationId: input.organizationId,
          programId: program.id,
          participantId: input.participantId,
          alertId: alert.id,
          kind: proposal.action,
          rule: proposal.rule,
          dedupeKey,
          createdAt: now,
        });
        await writeAudit(tx, {
          organizationId: input.organizationId,
          actor: 'system',
          action: 'follow_up.propose',
          entityType: 'FollowUp',
          entityId: followUp.id,
          data: { rule: proposal.rule, kind: proposal.action, participantId: input.participantId, programId: program.id, alertId: alert.id },
        });
        changed.push(alert.id);
      }
      const stale = new Set(decision.noLongerApplies);
      for (const proposal of facts.fired.filter((f) => stale.has(f.id) && f.state === 'open')) {
        const followUp = await tx.followUp.findUniqueOrThrow({ where: { id: proposal.id } });
        // Staff who scheduled it or wrote on it decide for themselves.
        if (followUp.assignee || followUp.dueAt || (Array.isArray(followUp.notes) && followUp.notes.length > 0)) continue;
        await dismissNoLongerApplying(tx, followUp.id, now);
        await writeAudit(tx, {
          organizationId: input.organizationId,
          actor: 'system',
          action: 'follow_up.no_longer_applies',
          entityType: 'FollowUp',
          entityId: followUp.id,
          data: { rule: proposal.rule, strikes: decision.strikes },
        });
        if (proposal.alertId) {
          const alert = await tx.alert.findFirst({ where: { id: proposal.alertId, organizationId: input.organizationId, state: 'active' } });
          if (alert) {
            await resolveAlert(tx, alert, { resolution: 'no_longer_applies', at: now, facts: { strikesNow: decision.strikes } });
            changed.push(alert.id);
          }
        }
      }
      return { decision: { ...decision, opened }, changed };
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
  if (!result) return null;
  await deps.enqueueDeliveries(result.changed);
  return result.decision;
}

/** After a finalized session was corrected: recompute the strikes of the participants whose record changed. */
export async function recomputeStrikesForSession(deps: StrikeDeps, sessionId: string, participantIds: string[]): Promise<void> {
  const session = await deps.prisma.session.findUnique({ where: { id: sessionId }, select: { organizationId: true, programId: true } });
  if (!session) return;
  for (const participantId of participantIds) await recomputeStrikes(deps, { organizationId: session.organizationId, programId: session.programId, participantId });
}

/** After a session is final: recompute the strikes of everyone with an attendance in it. */
export function strikesCloseOutStep(deps: StrikeDeps): CloseOutStep {
  return {
    name: 'strikes',
    async run(sessionId) {
      const session = await deps.prisma.session.findUnique({ where: { id: sessionId }, select: { organizationId: true, programId: true } });
      if (!session) return;
      const rows = await deps.prisma.attendance.findMany({ where: { organizationId: session.organizationId, sessionId, final: true }, select: { participantId: true } });
      for (const { participantId } of rows) await recomputeStrikes(deps, { organizationId: session.organizationId, programId: session.programId, participantId });
    },
  };
}

export interface ParticipantStrikeSummary {
  participantId: string;
  strikes: number;
  windowDays: number;
  /** Sessions whose no-show counts now. */
  missSessionIds: string[];
  lates: number;
  lateStrikes: number;
  rungsReached: StrikeDecision['rungsReached'];
  nextRung: StrikeDecision['nextRung'] | null;
  consecutiveMisses: number;
  presumedDropOut: boolean;
  openFollowUps: number;
}

/**
 * The strike picture of a program's participants (or one of them) for the dashboard and the
 * admin API, computed without proposing anything.
 */
export async function loadStrikeSummaries(prisma: Db, organizationId: string, programId: string, participantId: string | undefined, now: Date): Promise<ParticipantStrikeSummary[]> {
  const program = await prisma.program.findFirst({ where: { id: programId, organizationId } });
  if (!program) return [];
  const policy = resolvePolicy(program.policy);
  const enrollments = await prisma.enrollment.findMany({
    where: { organizationId, programId, ...(participantId ? { participantId } : {}) },
    select: { participantId: true },
    orderBy: { enrolledAt: 'asc' },
  });
  const summaries: ParticipantStrikeSummary[] = [];
  for (const { participantId: id } of enrollments) {
    const facts = await loadFacts(prisma, organizationId, programId, id, now);
    const d = decide(facts, policy, program.timezone, now);
    summaries.push({
      participantId: id,
      strikes: d.strikes,
      windowDays: policy.strikeWindowDays,
      missSessionIds: d.missSessionIds,
      lates: d.lates,
      lateStrikes: d.lateStrikes,
      rungsReached: d.rungsReached,
      nextRung: d.nextRung ?? null,
      consecutiveMisses: d.consecutiveMisses,
      presumedDropOut: d.presumedDropOut,
      openFollowUps: await prisma.followUp.count({ where: { organizationId, programId, participantId: id, state: 'open' } }),
    });
  }
  return summaries;
}
