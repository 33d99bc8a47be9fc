import type { StaffActionEntry } from '../core/alert-detail.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { appendStaffAction, reactivateAlert, resolveAlert } from './alerts/alert-outbox.js';
import { writeAudit } from './audit.js';

/**
 * FollowUp rows change here and only here: `decideFollowUp` is the one path for what staff decide
 * (chat buttons, the admin API, the dashboard); the primitives below it open, take on and lapse
 * follow-ups inside the transactions of the services that propose them.
 */

type Writer = Db | Prisma.TransactionClient;

/** What the dashboard's forms change; an assignee is `staff:<staffAccountId>` there, null to unassign. */
export type FollowUpChange = { kind: 'assign'; assignee: string | null } | { kind: 'note'; note: string } | { kind: 'complete'; outcome?: string } | { kind: 'dismiss'; outcome?: string };

export interface FollowUpNote {
  by: string;
  at: string;
  text: string;
}

export interface OpenFollowUp {
  id: string;
  kind: string;
  programId: string;
  programName: string;
  programTimezone: string;
  participantId: string;
  participantName: string;
  /** `ladder:<strikes>`, `dropout`, or null for one staff opened. */
  rule: string | null;
  assignee: string | null;
  notes: FollowUpNote[];
  dueAt: Date | null;
  createdAt: Date;
}

/** The stored notes as written by decideFollowUp; anything else in the column is left out. */
export function readNotes(value: unknown): FollowUpNote[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((n) => {
    const note = (n ?? {}) as Record<string, unknown>;
    return typeof note.text === 'string' ? [{ by: String(note.by ?? ''), at: String(note.at ?? ''), text: note.text }] : [];
  });
}

/** The open queue of the organization (or one program, or one participant), oldest first. */
export async function listOpenFollowUps(prisma: Db, organizationId: string, filter: { programId?: string; participantId?: string } = {}): Promise<OpenFollowUp[]> {
  const rows = await prisma.followUp.findMany({
    where: { organizationId, state: 'open', ...filter },
    include: { program: { select: { name: true, timezone: true } }, participant: { select: { name: true } } },
    orderBy: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
    take: 500,
  });
  return rows.map((f) => ({
    id: f.id,
    kind: f.kind,
    programId: f.programId,
    programName: f.program.name,
    programTimezone: f.program.timezone,
    participantId: f.participantId,
    participantName: f.participant.name,
    rule: f.rule,
    assignee: f.assignee,
    notes: readNotes(f.notes),
    dueAt: f.dueAt,
    createdAt: f.createdAt,
  }));
}

export interface FollowUpDeps {
  prisma: Db;
  clock: Clock;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
}

export interface FollowUpDecision {
  state?: 'open' | 'done' | 'dismissed';
  assignee?: string | null;
  outcome?: string;
  note?: string;
  dueAt?: Date | null;
}

/**
 * What the alert's message says staff did: the action and a fixed phrase (a date, a template's
 * label). Free text from the admin API stays on the FollowUp and is never shown in a channel.
 */
export interface StaffActionLine {
  action: 'schedule_review' | 'add_note' | 'mark_done' | 'dismiss' | 'open_review';
  by: string;
  what?: string;
}

export interface DecideFollowUpInput {
  organizationId: string;
  followUpId: string;
  actor: string;
  change: FollowUpDecision;
  line?: StaffActionLine;
  /** Only an open FollowUp may change (a second click on a closed one changes nothing: null). */
  requireOpen?: boolean;
  /** The audit entry's action when the caller names decisions its own way (the dashboard's `follow_up.complete`). */
  auditAction?: string;
}

/**
 * Changes one FollowUp (state, assignee, outcome, a note, due date) on the app clock, audited, and
 * edits its alert in the same transaction: a staff-action line, resolved once the FollowUp is done
 * or dismissed, active again when it is reopened. The alert's new version is enqueued for delivery
 * at once. Null for an id that is not the organization's (or not open, with `requireOpen`).
 */
export async function decideFollowUp(deps: FollowUpDeps, input: DecideFollowUpInput): Promise<Prisma.FollowUpGetPayload<object> | null> {
  const { prisma, clock } = deps;
  const now = clock.now();
  const { change } = input;
  const result = await prisma.$transaction(async (tx) => {
    // Two decisions on one FollowUp (a double click, two staff) take turns: the second sees the first.
    await tx.$queryRaw`SELECT id FROM "FollowUp" WHERE id = ${input.followUpId}::uuid FOR UPDATE`;
    const current = await tx.followUp.findFirst({ where: { id: input.followUpId, organizationId: input.organizationId } });
    if (!current || (input.requireOpen && current.state !== 'open')) return null;
    const closing = change.state && change.state !== 'open' && current.state === 'open';
    const reopening = change.state === 'open' && current.state !== 'open';
    const notes = change.note ? [...(Array.isArray(current.notes) ? current.notes : []), { by: input.actor, at: now.toISOString(), text: change.note }] : undefined;
    const updated = await tx.followUp.update({
      where: { id: current.id },
      data: {
        state: change.state,
        assignee: change.assignee,
        outcome: change.outcome,
        dueAt: change.dueAt,
        ...(notes ? { notes: notes as Prisma.InputJsonValue } : {}),
        ...(closing ? { closedAt: now, closedBy: input.actor } : {}),
        ...(reopening ? { closedAt: null, closedBy: null } : {}),
      },
    });
    await writeAudit(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: input.auditAction ?? `follow_up.${change.state && change.state !== current.state ? change.state : 'update'}`,
      entityType: 'FollowUp',
      entityId: current.id,
      // Which fields changed and the chosen state; never the note's words.
      data: { fields: Object.keys(change).filter((k) => change[k as keyof FollowUpDecision] !== undefined), from: current.state, to: updated.state, alertId: current.alertId },
    });
    const alert = current.alertId ? await tx.alert.findFirst({ where: { id: current.alertId, organizationId: input.organizationId } }) : null;
    if (!alert) return { updated, alertId: null };
    const entry: StaffActionEntry | undefined = input.line && { action: input.line.action, by: input.line.by, at: now.toISOString(), ...(input.line.what ? { what: input.line.what } : {}) };
    if (closing) await resolveAlert(tx, alert, { resolution: updated.state === 'done' ? 'handled' : 'dismissed', at: now, ...(entry ? { staffAction: entry } : {}) });
    else if (reopening) await reactivateAlert(tx, alert, entry);
    else if (entry) await appendStaffAction(tx, alert.id, entry);
    // Nothing the channel shows changed (an assignee, a due date from the admin API): no edit.
    else return { updated, alertId: null };
    return { updated, alertId: alert.id };
  });
  if (!result) return null;
  if (result.alertId) await deps.enqueueDeliveries([result.alertId]);
  return result.updated;
}

/**
 * The dashboard's form actions as decisions on an open FollowUp, audited under the dashboard's
 * names (`follow_up.assign|note|complete|dismiss`); who acted is named as the dashboard names them.
 * The channel hears that a note was added or an outcome chosen, never their words.
 */
export function dashboardDecision(change: FollowUpChange, actor: string): Pick<DecideFollowUpInput, 'change' | 'line' | 'requireOpen' | 'auditAction'> {
  const auditAction = `follow_up.${change.kind}`;
  if (change.kind === 'assign') return { change: { assignee: change.assignee }, requireOpen: true, auditAction };
  if (change.kind === 'note') return { change: { note: change.note }, line: { action: 'add_note', by: actor }, requireOpen: true, auditAction };
  const done = change.kind === 'complete';
  return {
    change: { state: done ? 'done' : 'dismissed', ...(change.outcome ? { outcome: change.outcome } : {}) },
    line: { action: done ? 'mark_done' : 'dismiss', by: actor },
    requireOpen: true,
    auditAction,
  };
}

export interface NewFollowUp {
  /** Given when the caller's alert must name it before it exists (a Strike's `detail.followUpId`). */
  id?: string;
  organizationId: string;
  programId: string;
  participantId: string;
  alertId: string | null;
  kind: string;
  assignee?: string;
  rule?: string;
  dedupeKey?: string;
  createdAt?: Date;
}

export async function openFollowUp(db: Writer, followUp: NewFollowUp): Promise<{ id: string }> {
  return db.followUp.create({ data: followUp, select: { id: true } });
}

/** A facilitator takes an open FollowUp on ("I'll reach out" on a Strike's proposal). */
export async function assignFollowUp(db: Writer, followUpId: string, assignee: string): Promise<void> {
  await db.followUp.update({ where: { id: followUpId }, data: { assignee } });
}

/** A rule's proposal the facts no longer support, closed by the system (services/strikes.ts). */
export async function dismissNoLongerApplying(db: Writer, followUpId: string, now: Date): Promise<void> {
  await db.followUp.update({ where: { id: followUpId }, data: { state: 'dismissed', outcome: 'no_longer_applies', closedAt: now, closedBy: 'system' } });
}

export function serializeFollowUp(f: Prisma.FollowUpGetPayload<object>) {
  return {
    id: f.id,
    programId: f.programId,
    participantId: f.participantId,
    alertId: f.alertId,
    kind: f.kind,
    rule: f.rule,
    state: f.state,
    assignee: f.assignee,
    dueAt: f.dueAt,
    outcome: f.outcome,
    notes: f.notes,
    closedAt: f.closedAt,
    closedBy: f.closedBy,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  };
}
