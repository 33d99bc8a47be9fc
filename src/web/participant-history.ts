import { DateTime } from 'luxon';
import type { ParticipantTimeline } from '../services/participant-timeline.js';
import { actorWords, describeAuditEntry, type AuditLookups } from './audit-sentences.js';
import { formatMinutes, formatSessionStart } from './format.js';
import { html, type Html } from './html.js';
import { categoryWords, followUpTitle, PLATFORM_WORDS, strikeSentence } from './participant-words.js';
import { FLAG_TEXT, statusBadge } from './status-style.js';

/** The participant page's record: strikes, what is coming up, sessions, absences, the audit trail. */

type Absence = ParticipantTimeline['absences'][number];

const absenceWords = (a: Absence) => `${categoryWords(a.category)}, ${a.excused ? 'excused' : 'not excused'}`;

function reportedWords(a: Absence, zone: string): string {
  const via = a.reportedVia && a.reportedVia in PLATFORM_WORDS ? PLATFORM_WORDS[a.reportedVia as keyof typeof PLATFORM_WORDS] : undefined;
  const by = a.reportedBy === 'participant' ? `Reported by them${via ? (via === 'text message' ? ' by text message' : ` on ${via}`) : ''}` : 'Recorded by staff';
  return `${by}, ${formatSessionStart(a.createdAt, zone)}`;
}

export function renderStrikes(data: ParticipantTimeline): Html {
  if (data.strikes.length === 0) return html`<p class="muted">Not enrolled in a program now.</p>`;
  return html`${data.strikes.map(
    (s) => html`<div class="card strike-card" data-program-id="${s.programId}">
      <h3>${s.programName}</h3>
      <p class="strike-count"><strong>${strikeSentence(s.strikes, s.windowDays, s.ladder)}</strong></p>
      ${s.presumedDropOut
        ? html`<p class="unmet">Missed ${s.consecutiveMisses} sessions in a row with no contact: a review is due.</p>`
        : s.consecutiveMisses > 1
          ? html`<p>Missed the last ${s.consecutiveMisses} sessions in a row.</p>`
          : ''}
      ${s.openFollowUps.length === 0
        ? html`<p class="muted">No open follow-ups.</p>`
        : html`<p>Open follow-ups:</p><ul>${s.openFollowUps.map(
            (f) => html`<li><a href="/follow-ups#follow-up-${f.id}">${followUpTitle(f.kind)}</a>, opened ${formatSessionStart(f.createdAt, s.programZone)}${f.assignee ? `, assigned to ${f.assignee}` : ', not assigned yet'}</li>`,
          )}</ul>`}
    </div>`,
  )}`;
}

export function renderComingUp(data: ParticipantTimeline): Html {
  if (data.comingUp.length === 0) return html`<p class="muted">No sessions planned.</p>`;
  const reported = new Map(data.absences.filter((a) => a.sessionId).map((a) => [a.sessionId!, a]));
  return html`<ul class="timeline coming-up">${data.comingUp.map((s) => {
    const absence = reported.get(s.id);
    return html`<li data-session-id="${s.id}"><strong>${formatSessionStart(s.startsAt, s.program.timezone)}</strong> · ${s.program.name}${
      absence ? html` — <span class="status status-excused">Absence reported</span> ${absenceWords(absence)}` : ''
    }</li>`;
  })}</ul>`;
}

/** "joined 12 min late", the flags in words, the absence and what staff decided and why. */
function sessionDetails(a: ParticipantTimeline['history'][number], absence: Absence | undefined): string {
  const lateBy = a.firstJoinAt && (a.status === 'late' || a.flags.includes('late')) ? Math.round((a.firstJoinAt.getTime() - a.session.startsAt.getTime()) / 60_000) : 0;
  return [
    ...(lateBy > 0 ? [`joined ${formatMinutes(lateBy)} late`] : []),
    ...a.flags.filter((f) => f !== 'late').flatMap((f) => (FLAG_TEXT[f] ? [FLAG_TEXT[f]] : [])),
    ...(absence ? [`absence reported: ${absenceWords(absence)}`] : []),
    ...(absence?.reason ? [`staff's reason: ${absence.reason}`] : []),
    ...(a.overrideReason ? [`staff decided: ${a.overrideReason}`] : []),
  ].join('; ');
}

export function renderHistory(data: ParticipantTimeline): Html {
  if (data.history.length === 0) return html`<p class="muted">No sessions yet.</p>`;
  const absences = new Map(data.absences.filter((a) => a.sessionId).map((a) => [a.sessionId!, a]));
  return html`<div class="table-scroll" role="region" aria-label="Sessions attended and missed" tabindex="0"><table class="history">
    <thead><tr><th scope="col">Session</th><th scope="col">Program</th><th scope="col">Status</th><th scope="col" class="num">Present</th><th scope="col">Details</th></tr></thead>
    <tbody>${data.history.map((a) => {
      const status = a.overrideStatus ?? a.status;
      const scheduled = Math.round((a.session.endsAt.getTime() - a.session.startsAt.getTime()) / 60_000);
      return html`<tr data-session-id="${a.sessionId}">
        <td>${formatSessionStart(a.session.startsAt, a.session.program.timezone)}</td>
        <td>${a.session.program.name}</td>
        <td>${statusBadge(status, a.overrideStatus ? a.status : null)}</td>
        <td class="num">${formatMinutes(a.minutesPresent)} <span class="muted">of ${formatMinutes(scheduled)}</span></td>
        <td>${sessionDetails(a, absences.get(a.sessionId))}</td>
      </tr>`;
    })}</tbody></table></div>`;
}

export function renderAbsences(data: ParticipantTimeline): Html {
  if (data.absences.length === 0) return html`<p class="muted">None reported.</p>`;
  return html`<ul class="timeline absences">${data.absences.map((a) => {
    const session = a.session ? html`<strong>${formatSessionStart(a.session.startsAt, a.session.program.timezone)}</strong> · ${a.session.program.name}` : html`<strong>No session named</strong> · ${a.program.name}`;
    return html`<li data-absence-id="${a.id}">${session} — ${absenceWords(a)}.
      <span class="muted">${reportedWords(a, data.zone)}.</span>${a.reason ? html` <span>Staff's reason: ${a.reason}</span>` : ''}</li>`;
  })}</ul>`;
}

export function renderAuditTrail(data: ParticipantTimeline): Html {
  if (data.audit.length === 0) return html`<p class="muted">Nothing recorded yet.</p>`;
  const lookups: AuditLookups = {
    sessionDay: (id) => data.lookups.sessionDays.get(id),
    programName: (id) => data.lookups.programNames.get(id),
    followUpKind: (id) => data.lookups.followUpKinds.get(id),
    day: (iso) => {
      const at = DateTime.fromISO(iso, { zone: data.zone });
      return at.isValid ? at.toFormat('ccc d LLL') : undefined;
    },
  };
  return html`<ul class="timeline audit-trail">${data.audit.map(
    (entry) => html`<li><span class="muted">${formatSessionStart(entry.createdAt, data.zone)}</span> — ${describeAuditEntry(entry, actorWords(entry.actor, data.names), lookups)}</li>`,
  )}</ul>`;
}
