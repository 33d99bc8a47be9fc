import type { AlertActionId } from './alert-kinds.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** Facts an alert carries, stored as JSON: times are ISO-8601 strings so a round trip compares equal. */
export type AlertDetail = { [key: string]: JsonValue };

/** What ended an alert; a resolved alert's `detail.resolution` holds one of these. */
export type AlertResolution =
  | 'arrived'
  | 'excused'
  | 'made_up'
  | 'returned'
  | 'admitted'
  | 'left_waiting_room'
  | 'session_ended'
  | 'identified'
  | 'handled'
  | 'dismissed'
  | 'no_longer_applies';

/**
 * One thing staff did about an alert, shown on its message. `by` is how the channel names them;
 * `what` is a fixed phrase chosen from options (a date, a note template's label), never free text.
 */
export interface StaffActionEntry {
  action: AlertActionId;
  by: string;
  /** ISO-8601. */
  at: string;
  what?: string;
}

/**
 * The keys of `detail` that belong to the alert's life rather than to the facts that raised it:
 * staff actions survive a re-evaluation, resolution says what ended it.
 */
export interface AlertLifeDetail {
  staffActions?: StaffActionEntry[];
  resolution?: AlertResolution;
  resolvedAt?: string;
}

/** Stored detail read defensively: it comes back from the database as any JSON. */
export function alertDetailOf(value: unknown): AlertDetail {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as AlertDetail) } : {};
}

export function staffActionsOf(detail: unknown): StaffActionEntry[] {
  const entries = alertDetailOf(detail).staffActions;
  return Array.isArray(entries) ? (entries as unknown as StaffActionEntry[]) : [];
}

/** The detail with one more staff action at the end. */
export function withStaffAction(detail: unknown, entry: StaffActionEntry): AlertDetail {
  const line: StaffActionEntry = { action: entry.action, by: entry.by, at: entry.at, ...(entry.what ? { what: entry.what } : {}) };
  return { ...alertDetailOf(detail), staffActions: [...staffActionsOf(detail), line] as unknown as JsonValue };
}

/** The detail saying what ended the alert and when, with any facts that explain it (`strikesNow`). */
export function withResolution(detail: unknown, resolution: AlertResolution, at: Date, facts: AlertDetail = {}): AlertDetail {
  return { ...alertDetailOf(detail), ...facts, resolution, resolvedAt: at.toISOString() };
}

/** The detail of an alert active again: no resolution. */
export function withoutResolution(detail: unknown): AlertDetail {
  const { resolution: _resolution, ...rest } = alertDetailOf(detail);
  return rest;
}
