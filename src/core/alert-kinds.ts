/**
 * Every kind of alert and every facilitator button, once: a kind's label, how urgent it is and
 * which buttons it offers. Renderers and services read this table; nothing else lists kinds.
 */
export const ALERT_KINDS = [
  'not_joined',
  'late_join',
  'left_early',
  'short_stay',
  'waiting_room',
  'no_show',
  'unrecognized_participant',
  'strike',
  'review_due',
  'absence_reported',
  'crisis',
  'session_summary',
  'hours_at_risk',
  'contact_requested',
  'tech_trouble',
  'history_summary',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertState = 'active' | 'resolved';
export type AlertSeverity = 'info' | 'warning' | 'urgent';
export const ALERT_ACTION_IDS = [
  'reach_out',
  'excuse',
  'offer_makeup',
  'send_checkin',
  'open_review',
  'link_participant',
  // Strike and Review due: the FollowUp behind the alert (services/follow-ups.ts).
  'schedule_review',
  'add_note',
  'mark_done',
  'dismiss',
] as const;
export type AlertActionId = (typeof ALERT_ACTION_IDS)[number];

export function isAlertActionId(value: unknown): value is AlertActionId {
  return typeof value === 'string' && (ALERT_ACTION_IDS as readonly string[]).includes(value);
}

export function isAlertKind(value: string): value is AlertKind {
  return (ALERT_KINDS as readonly string[]).includes(value);
}

export interface AlertKindSpec {
  label: string;
  severity: AlertSeverity;
  actions: AlertActionId[];
}

export const ALERT_KIND_SPECS: Record<AlertKind, AlertKindSpec> = {
  not_joined: { label: 'Not joined', severity: 'warning', actions: ['reach_out', 'excuse', 'send_checkin'] },
  late_join: { label: 'Late join', severity: 'info', actions: ['excuse'] },
  left_early: { label: 'Left early', severity: 'warning', actions: ['reach_out', 'excuse'] },
  short_stay: { label: 'Short stay', severity: 'info', actions: ['reach_out', 'excuse', 'offer_makeup'] },
  // Admitting happens in the meeting itself: the alert only has to be seen.
  waiting_room: { label: 'Waiting room', severity: 'warning', actions: [] },
  no_show: { label: 'No-show', severity: 'warning', actions: ['reach_out', 'excuse', 'offer_makeup', 'send_checkin'] },
  unrecognized_participant: { label: 'Unrecognized participant', severity: 'info', actions: ['link_participant'] },
  strike: { label: 'Strike', severity: 'warning', actions: ['reach_out', 'send_checkin', 'add_note', 'mark_done', 'dismiss'] },
  review_due: { label: 'Review due', severity: 'warning', actions: ['schedule_review', 'add_note', 'mark_done', 'dismiss'] },
  absence_reported: { label: 'Absence reported', severity: 'info', actions: ['excuse', 'offer_makeup'] },
  crisis: { label: 'Crisis', severity: 'urgent', actions: ['reach_out'] },
  session_summary: { label: 'Session summary', severity: 'info', actions: [] },
  hours_at_risk: { label: 'Hours at risk', severity: 'warning', actions: ['reach_out', 'send_checkin'] },
  contact_requested: { label: 'Asked to talk', severity: 'warning', actions: ['reach_out'] },
  tech_trouble: { label: 'Technical trouble', severity: 'info', actions: ['reach_out'] },
  // Past sessions entered at once (an import, a back-fill): one post instead of one alert per rung.
  history_summary: { label: 'Imported record', severity: 'info', actions: [] },
};

export const ALERT_ACTION_LABELS: Record<AlertActionId, string> = {
  reach_out: "I'll reach out",
  excuse: 'Mark excused',
  offer_makeup: 'Offer make-up',
  send_checkin: 'Send check-in',
  open_review: 'Open review',
  link_participant: 'Link to participant',
  schedule_review: 'Schedule review',
  add_note: 'Add note',
  mark_done: 'Mark done',
  dismiss: 'Dismiss',
};

/** The kind's label, e.g. `Not joined`. */
export function alertKindLabel(kind: AlertKind): string {
  return ALERT_KIND_SPECS[kind].label;
}
