import { DateTime, IANAZone } from 'luxon';
import type { AlertResolution } from './alert-detail.js';
import type { AlertKind } from './alert-kinds.js';

/**
 * The words of an alert's message: lines from its facts and from what staff did, the summary's
 * counts, the phrase for what ended it. Only facts about attendance, never a participant's own
 * words or anything clinical (DESIGN.md, "Care and safety").
 */
export function describeAlert(kind: AlertKind, detail: Record<string, unknown>, timezone: string | undefined): string[] {
  const zone = zoneOf(timezone);
  return [...describe(kind, detail, zone), ...describeStaffActions(detail, zone)];
}

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
    case 'history_summary': {
      const [sessions, proposed] = [num('sessions'), num('followUpsOpened')];
      return [
        ...(sessions ? [`${sessions} past ${sessions === '1' ? 'session was' : 'sessions were'} added to the record. No alerts were raised about them.`] : []),
        proposed && proposed !== '0'
          ? `Strikes were recounted: ${proposed} follow-up${proposed === '1' ? '' : 's'} proposed, each for the rung the person is on now (see Follow-ups). A person decides.`
          : 'Strikes were recounted: no follow-up is needed.',
      ];
    }
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

export function summaryFields(kind: AlertKind, detail: Record<string, unknown>): { label: string; value: string }[] {
  if (kind !== 'session_summary' && kind !== 'history_summary') return [];
  const counts: [string, string][] = [
    ['present', 'Present'],
    ['late', 'Late'],
    ['leftEarly', 'Left early'],
    ['shortStay', 'Short stay'],
    ['noShow', 'No-shows'],
    ['absent', 'Absent'],
    ['excused', 'Excused'],
    ['madeUp', 'Made up'],
    ['openFollowUps', 'Open follow-ups'],
  ];
  return counts.flatMap(([key, label]) => (typeof detail[key] === 'number' ? [{ label, value: String(detail[key]) }] : []));
}

export function resolutionPhrase(value: unknown): string | undefined {
  return typeof value === 'string' && Object.hasOwn(RESOLUTIONS, value) ? RESOLUTIONS[value as AlertResolution] : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function zoneOf(timezone: string | undefined): string {
  return timezone && IANAZone.isValidZone(timezone) ? timezone : 'UTC';
}
