import { alertDetailOf } from './alert-detail.js';
import { ALERT_ACTION_LABELS, ALERT_KIND_SPECS, type AlertActionId, type AlertKind, type AlertSeverity, type AlertState } from './alert-kinds.js';
import { describeAlert, resolutionPhrase, summaryFields } from './describe-alert.js';

// Renderers import the message model and the kinds from here, as one vocabulary.
export { ALERT_ACTION_IDS, ALERT_KINDS, alertKindLabel, isAlertActionId, isAlertKind, type AlertActionId, type AlertKind, type AlertSeverity, type AlertState } from './alert-kinds.js';
export type { AlertDetail, AlertResolution, JsonValue } from './alert-detail.js';

/**
 * The platform-neutral alert message: Slack (Block Kit), Teams (Adaptive Cards) and Zoom Team Chat
 * renderers take this and nothing else. What may appear is fixed here, once: the kind, the
 * participant's display label, the session label and facts about attendance; never a
 * participant's own words or anything clinical (DESIGN.md, "Care and safety").
 */
export interface AlertAction {
  id: AlertActionId;
  label: string;
  style?: 'primary' | 'danger';
}

export interface AlertMessage {
  kind: AlertKind;
  /** The kind's label, e.g. `Not joined`. */
  label: string;
  /** Plain fallback: the label, then the participant's display label and the session label. */
  text: string;
  severity: AlertSeverity;
  title: string;
  lines: string[];
  fields: { label: string; value: string }[];
  actions: AlertAction[];
  /** Slack message metadata payload; Teams and Zoom carry the same values in their action data. */
  metadata: { kind: AlertKind; sessionId: string | null; participantId: string | null };
  alertId: string;
  state: AlertState;
}

export interface AlertMessageInput {
  kind: AlertKind;
  state: AlertState;
  /** Already minimised by the program's `nameDisplay` (see display-name.ts); missing for session-wide alerts. */
  participantLabel?: string;
  sessionLabel: string;
  /** The stored detail (JSON); read defensively, since it comes back from the database. */
  detail?: unknown;
  alertId: string;
  sessionId?: string | null;
  participantId?: string | null;
  /** IANA zone for times in lines (the program's); UTC when missing or unknown. */
  timezone?: string;
}

export function buildAlertMessage(input: AlertMessageInput): AlertMessage {
  const { kind, state, participantLabel, sessionLabel } = input;
  const spec = ALERT_KIND_SPECS[kind];
  const detail = alertDetailOf(input.detail);
  const resolved = state === 'resolved';
  const resolution = resolutionPhrase(detail.resolution);
  const subject = participantLabel ? `${participantLabel} · ${sessionLabel}` : sessionLabel;
  const lines = describeAlert(kind, detail, input.timezone);
  if (resolved) lines.unshift(resolution ? `Resolved: ${resolution}.` : 'Resolved.');
  const fields = [
    ...(participantLabel ? [{ label: 'Participant', value: participantLabel }] : []),
    { label: 'Session', value: sessionLabel },
    ...summaryFields(kind, detail),
  ];
  return {
    kind,
    label: spec.label,
    text: `${spec.label}: ${subject}${resolved ? ` · resolved${resolution ? `: ${resolution}` : ''}` : ''}`,
    // A resolved alert asks nothing of anyone any more.
    severity: resolved ? 'info' : spec.severity,
    title: `${spec.label}${participantLabel ? `: ${participantLabel}` : ''}${resolved ? ' (resolved)' : ''}`,
    lines,
    fields,
    actions: resolved ? [] : spec.actions.map((id, i) => ({ id, label: ALERT_ACTION_LABELS[id], ...(i === 0 ? { style: 'primary' as const } : {}) })),
    metadata: { kind, sessionId: input.sessionId ?? null, participantId: input.participantId ?? null },
    alertId: input.alertId,
    state,
  };
}
