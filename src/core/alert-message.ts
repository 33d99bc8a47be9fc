import { DateTime, IANAZone } from 'luxon';

/**
 * The platform-neutral alert message: Slack (Block Kit), Teams (Adaptive Cards) and Zoom Team Chat
 * renderers take this and nothing else. What may appear is fixed here, once: the kind, the
 * participant's display label, the session label and facts about attendance; never a
 * participant's own words or anything clinical (DESIGN.md, "Care and safety").
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

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** Facts an alert carries, stored as JSON: times are ISO-8601 strings so a round trip compares equal. */
export type AlertDetail = { [key: string]: JsonValue };

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

const KINDS: Record<AlertKind, { label: string; severity: AlertSeverity; actions: AlertActionId[] }> = {
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
};

const ACTION_LABELS: Record<AlertActionId, string> = {
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

const RESOLUTIONS: Record<AlertResolution, string> = {
  arrived: 'arrived',
  excused: 'marked excused',
  made_up: 'made up in another session',
  returned: 'came back',
  admitted: 'admitted',
  left_waiting_room: 'left the waiting room',
  session_ended: 'session ended',
  identified: 'identified',
  handled: 'handled',
  dismissed: 'dismissed',
  no_longer_applies: 'no longer applies',
};

/** The kind's label, e.g. `Not joined`. */
export function alertKindLabel(kind: AlertKind): string {
  return KINDS[kind].label;
}

export function isAlertKind(value: string): value is AlertKind {
  return (ALERT_KINDS as readonly string[]).includes(value);
}

export function buildAlertMessage(input: AlertMessageInput): AlertMessage {
  const { kind, state, participantLabel, sessionLabel } = input;
  const spec = KINDS[kind];
  const detail = asRecord(input.detail);
  const resolved = state === 'resolved';
  const resolution = resolutionPhrase(detail.resolution);
  const subject = participantLabel ? `${participantLabel} · ${sessionLabel}` : sessionLabel;
  const lines = [...describe(kind, detail, zoneOf(input.timezone)), ...describeStaffActions(detail, zoneOf(input.timezone))];
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
    actions: resolved ? [] : spec.actions.map((id, i) => ({ id, label: ACTION_LABELS[id], ...(i === 0 ? { style: 'primary' as const } : {}) })),
    metadata: { kind, sessionId: input.sessionId ?? null, participantId: input.participantId ?? null },
    alertId: input.alertId,
    state,
  };
}

const NEXT_STEPS: Record<string, string> = {
  outreach: 'reach out',
  checkin: 'a facilitator check-in',
  formal_review: 'a formal review with the therapist',
  discharge_review: 'a discharge review',
};

/** Lines from the alert's facts; a missing or malformed fact drops its line rather than printing "undefined". */
function describe(kind: AlertKind, detail: Record<string, unknown>, zone: string): string[] {
  const num = (key: string) => (typeof detail[key] === 'number' ? String(detail[key]) : undefined);
  const time = (key: string) => {
    const value = detail[key];
    const at = typeof value === 'string' ? DateTime.fromISO(value, { zone }) : undefined;
    return at?.isValid ? at.toFormat('HH:mm') : undefined;
  };
  const step = typeof detail.action === 'string' ? NEXT_STEPS[detail.action] : undefined;
  const suggestion = step ? [`Suggested next step: ${step}. A person decides.`] : [];
  switch (kind) {
    case 'not_joined': {
      const by = time('noJoinBy');
      return by ? [`No join by ${by}.`] : [];
    }
    case 'late_join': {
      const at = time('joinedAt');
      const late = num('minutesLate');
      return at ? [`Joined at ${at}${late ? `, ${late} min after the start` : ''}.`] : [];
    }
    case 'left_early': {
      const at = time('leftAt');
      return at ? [`Left at ${at}.`] : [];
    }
    case 'short_stay': {
      const [present, required, total] = [num('minutesPresent'), num('requiredMinutes'), num('sessionMinutes')];
      return present && required ? [`Present ${present} min; ${required}${total ? ` of ${total}` : ''} min needed.`] : [];
    }
    case 'waiting_room': {
      const since = time('waitingSince');
      return since ? [`Waiting to be admitted since ${since}.`] : [];
    }
    case 'no_show':
      return ['Did not join the session.'];
    case 'unrecognized_participant': {
      const count = Array.isArray(detail.candidateParticipantIds) ? detail.candidateParticipantIds.length : 0;
      const could = count > 0 ? [`Could be one of ${count} expected participant${count === 1 ? '' : 's'} not in the session.`] : [];
      return ['Joined under a name that matches no expected participant.', ...could];
    }
    case 'strike':
    case 'review_due': {
      const strikes = num('strikes');
      const days = num('windowDays');
      const misses = num('misses');
      const now = num('strikesNow');
      const facts = [
        ...(strikes ? [`Strike ${strikes}${days ? ` in the last ${days} days` : ''}.`] : []),
        ...(misses ? [`${misses} sessions missed in a row with no contact: presumed drop-out.`] : []),
        ...(now !== undefined && detail.resolution === 'no_longer_applies' ? [`Strikes now: ${now} (an absence was excused or a status changed).`] : []),
      ];
      const fallback = kind === 'review_due' ? ['A review is suggested by the program’s policy. A person decides.'] : [];
      return [...facts, ...(suggestion.length > 0 ? suggestion : fallback)];
    }
    case 'absence_reported':
      if (typeof detail.excused !== 'boolean') return [];
      return [detail.excused ? 'The reason is on the program’s excused list.' : 'The reason is not on the program’s excused list.'];
    case 'crisis':
      // Never the message itself: staff open the conversation where access is controlled.
      return ['A message matched the crisis word list; crisis resources were sent automatically. Please reach out now.'];
    case 'session_summary':
      return [];
    case 'hours_at_risk': {
      const [minutes, required] = [num('minutes'), num('requiredMinutes')];
      return [
        ...(minutes && required ? [`This week: ${minutes} of ${required} min.`] : []),
        'The sessions left this week cannot make up the difference. The participant was told kindly; a person decides what helps.',
      ];
    }
    case 'contact_requested':
      return ['Asked to talk to someone after missing a session. Please reach out.'];
    case 'tech_trouble': {
      const times = num('occurrences');
      const days = num('windowDays');
      return [`Technical trouble again${times ? `: ${times} times` : ''}${days ? ` in the last ${days} days` : ''}. Troubleshooting steps and the tech contact were sent.`];
    }
  }
}

/** What staff did about the alert, from `detail.staffActions`, so the channel sees who took it and when. */
function describeStaffActions(detail: Record<string, unknown>, zone: string): string[] {
  const entries = Array.isArray(detail.staffActions) ? detail.staffActions : [];
  return entries.flatMap((entry) => {
    const { action, by, at, what } = asRecord(entry);
    const label = typeof action === 'string' ? STAFF_ACTION_DONE[action] : undefined;
    if (!label || typeof by !== 'string' || typeof at !== 'string') return [];
    const when = DateTime.fromISO(at, { zone });
    // `what` is a fixed phrase chosen from options (a date, a note template, an outcome), never free text.
    const choice = typeof what === 'string' && what ? ` (${what.slice(0, 80)})` : '';
    return [`${label}${choice} by ${by}${when.isValid ? ` at ${when.toFormat('HH:mm')}` : ''}.`];
  });
}

const STAFF_ACTION_DONE: Record<string, string> = {
  reach_out: 'Outreach taken on',
  excuse: 'Marked excused',
  offer_makeup: 'Make-up offered',
  send_checkin: 'Check-in sent',
  open_review: 'Review scheduled',
  link_participant: 'Linked to a participant',
  schedule_review: 'Review scheduled',
  add_note: 'Note added',
  mark_done: 'Marked done',
  dismiss: 'Dismissed',
};

function summaryFields(kind: AlertKind, detail: Record<string, unknown>): { label: string; value: string }[] {
  if (kind !== 'session_summary') return [];
  const counts: [string, string][] = [
    ['present', 'Present'],
    ['late', 'Late'],
    ['leftEarly', 'Left early'],
    ['noShow', 'No-shows'],
    ['absent', 'Absent'],
    ['excused', 'Excused'],
    ['madeUp', 'Made up'],
    ['openFollowUps', 'Open follow-ups'],
  ];
  return counts.flatMap(([key, label]) => (typeof detail[key] === 'number' ? [{ label, value: String(detail[key]) }] : []));
}

function resolutionPhrase(value: unknown): string | undefined {
  return typeof value === 'string' && Object.hasOwn(RESOLUTIONS, value) ? RESOLUTIONS[value as AlertResolution] : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function zoneOf(timezone: string | undefined): string {
  return timezone && IANAZone.isValidZone(timezone) ? timezone : 'UTC';
}
