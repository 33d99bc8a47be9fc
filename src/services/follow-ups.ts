import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { writeAudit } from './audit.js';

export type FollowUpChange = { kind: 'assign'; assignee: string } | { kind: 'complete' } | { kind: 'dismiss' };

export interface OpenFollowUp {
  id: string;
  kind: string;
  programId: string;
  programName: string;
  programTimezone: string;
  participantId: string;
  participantName: string;
  assignee: string | null;
  dueAt: Date | null;
  createdAt: Date;
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
    assignee: f.assignee,
    dueAt: f.dueAt,
    createdAt: f.createdAt,
  }));
}

/**
 * Assigns, completes or dismisses a follow-up of the organization, audited. Returns false for an
 * id that is not the organization's, or one no longer open (a second click changes nothing).
 */
export async function changeFollowUp(prisma: Db, input: { organizationId: string; actor: string; followUpId: string; change: FollowUpChange }): Promise<boolean> {
  const { organizationId, actor, followUpId, change } = input;
  return prisma.$transaction(async (tx) => {
    const data = change.kind === 'assign' ? { assignee: change.assignee } : { state: change.kind === 'complete' ? 'done' : 'dismissed' };
    const { count } = await tx.followUp.updateMany({ where: { id: followUpId, organizationId, state: 'open' }, data });
    if (count === 0) return false;
    if (change.kind !== 'assign') await resolveAlertOf(tx, { organizationId, followUpId, actor, state: data.state as 'done' | 'dismissed' });
    await writeAudit(tx, {
      organizationId,
      actor,
      action: `follow_up.${change.kind}`,
      entityType: 'FollowUp',
      entityId: followUpId,
      data: change.kind === 'assign' ? { assignee: change.assignee } : {},
    });
    return true;
  });
}

/**
 * A FollowUp closed from the dashboard resolves its alert too (a Strike or Review due stops asking);
 * the sweep delivers the edit. Who closed it is named as the dashboard names them.
 */
async function resolveAlertOf(tx: Prisma.TransactionClient, input: { organizationId: string; followUpId: string; actor: string; state: 'done' | 'dismissed' }) {
  const followUp = await tx.followUp.findFirst({ where: { id: input.followUpId, organizationId: input.organizationId }, select: { alertId: true } });
  if (!followUp?.alertId) return;
  const alert = await tx.alert.findFirst({ where: { id: followUp.alertId, organizationId: input.organizationId, state: 'active' } });
  if (!alert) return;
  const at = new Date().toISOString();
  const detail = { ...((alert.detail ?? {}) as Record<string, unknown>) };
  const entries = Array.isArray(detail.staffActions) ? detail.staffActions : [];
  detail.staffActions = [...entries, { action: input.state === 'done' ? 'mark_done' : 'dismiss', by: input.actor, at }];
  Object.assign(detail, { resolution: input.state === 'done' ? 'handled' : 'dismissed', resolvedAt: at });
  await tx.alert.update({ where: { id: alert.id }, data: { detail: detail as Prisma.InputJsonValue, state: 'resolved', version: { increment: 1 }, deliveryState: 'pending' } });
}

export interface FollowUpDeps {
  prisma: Db;
  clock: Clock;
  enqueueDeliveries(alertIds: string[]): Promise<void>;
}

/** Chat can only offer choices: these are the notes, outcomes and reasons staff pick from there. */
export const NOTE_TEMPLATES = {
  left_voicemail: 'Left a voicemail',
  sent_message: 'Sent a message',
  spoke: 'Spoke with the participant',
  no_answer: 'Tried to reach them, no answer',
  team_discussed: 'Discussed in the team meeting',
} as const;

export const DONE_OUTCOMES = {
  review_held: 'Review held',
  reached: 'Reached the participant',
  plan_agreed: 'Attendance plan agreed',
  referred: 'Referred to the care team',
} as const;

export const DISMISS_REASONS = {
  excused_since: 'Absence excused since',
  already_handled: 'Already being handled',
  not_needed: 'Not needed',
  recorded_elsewhere: 'Recorded elsewhere',
} as const;

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

/**
 * Changes one FollowUp (state, assignee, outcome, a note, due date), audited, and edits its alert
 * in place: a staff-action line, and resolved once the FollowUp is done or dismissed.
 */
export async function decideFollowUp(
  deps: FollowUpDeps,
  input: { organizationId: string; followUpId: string; actor: string; change: FollowUpDecision; line?: StaffActionLine },
): Promise<Prisma.FollowUpGetPayload<object> | null> {
  const { prisma, clock } = deps;
  const now = clock.now();
  const { change } = input;
  const result = await prisma.$transaction(async (tx) => {
    const current = await tx.followUp.findFirst({ where: { id: input.followUpId, organizationId: input.organizationId } });
    if (!current) return null;
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
      action: `follow_up.${change.state && change.state !== current.state ? change.state : 'update'}`,
      entityType: 'FollowUp',
      entityId: current.id,
      // Which fields changed and the chosen state; never the note's words.
      data: { fields: Object.keys(change).filter((k) => change[k as keyof FollowUpDecision] !== undefined), from: current.state, to: updated.state, alertId: current.alertId },
    });
    let alertId: string | null = null;
    if (current.alertId) {
      const alert = await tx.alert.findFirst({ where: { id: current.alertId, organizationId: input.organizationId } });
      if (alert) {
        const detail = { ...((alert.detail ?? {}) as Record<string, unknown>) };
        if (input.line) {
          const entries = Array.isArray(detail.staffActions) ? detail.staffActions : [];
          detail.staffActions = [...entries, { action: input.line.action, by: input.line.by, at: now.toISOString(), ...(input.line.what ? { what: input.line.what } : {}) }];
        }
        const state = closing ? 'resolved' : reopening ? 'active' : alert.state;
        if (closing) Object.assign(detail, { resolution: updated.state === 'done' ? 'handled' : 'dismissed', resolvedAt: now.toISOString() });
        if (reopening) delete detail.resolution;
        await tx.alert.update({ where: { id: alert.id }, data: { detail: detail as Prisma.InputJsonValue, state, version: { increment: 1 }, deliveryState: 'pending' } });
        alertId = alert.id;
      }
    }
    return { updated, alertId };
  });
  if (!result) return null;
  if (result.alertId) await deps.enqueueDeliveries([result.alertId]);
  return result.updated;
}

/** The next seven days in the program's zone, as `YYYY-MM-DD` choices labelled like "Thu 3 Dec". */
export function reviewDateOptions(now: Date, timezone: string): { value: string; label: string }[] {
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  return Array.from({ length: 7 }, (_, i) => {
    const day = today.plus({ days: i + 1 });
    return { value: day.toISODate()!, label: day.toFormat('ccc d LLL') };
  });
}

/** A chosen review day is due at 09:00 local that day. */
export function reviewDueAt(isoDate: string, timezone: string): Date | null {
  const day = DateTime.fromISO(isoDate, { zone: timezone });
  return day.isValid ? day.set({ hour: 9, minute: 0, second: 0, millisecond: 0 }).toJSDate() : null;
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
