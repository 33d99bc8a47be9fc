import type { ParticipantTimeline } from '../services/participant-timeline.js';
import type { ProgramReport } from '../services/reports.js';
import { formatDateTime, formatDay, formatMinutes, formatSessionStart } from './format.js';
import { html, type Html } from './html.js';
import { renderPage } from './layout.js';
import { renderContact, renderIdentities, renderNotes, type EditForms } from './participant-contact.js';
import { renderAbsences, renderAuditTrail, renderComingUp, renderHistory, renderStrikes } from './participant-history.js';
import { requirementText } from './program-page.js';
import { statusBadge } from './status-style.js';
import { categoryWords } from './participant-words.js';

const SAVED: Record<string, string> = {
  added: 'Participant added.',
  details: 'Details saved.',
  discharged: 'Discharged.',
  enrolled: 'Enrolled in the program.',
  identity: 'Id added.',
  'identity-removed': 'Id removed.',
  note: 'Note added.',
  'sms-yes': 'Recorded: they agreed to texts.',
  'sms-no': 'Recorded: they stopped texts.',
  'sms-same': 'Nothing changed: that was already recorded.',
};

const ENROLLMENT_WORDS: Record<string, string> = { active: 'enrolled', discharged: 'discharged' };

/**
 * One participant: strikes and open follow-ups first, then what is coming up, the sessions newest
 * first, absences, contact, notes, identities and the audit trail. `manage`: the edit, discharge
 * and enrol forms for owners and admins; `saved`: which change just succeeded.
 */
export function renderParticipantPage(data: ParticipantTimeline, forms: EditForms, extra: { manage?: Html; saved?: string } = {}): Html {
  const { participant } = data;
  return renderPage({
    title: participant.name,
    section: 'programs',
    csrfToken: forms.csrfToken,
    body: html`<h1>${participant.name}</h1>
      ${extra.saved && SAVED[extra.saved] ? html`<p class="notice" role="status">${SAVED[extra.saved]}</p>` : ''}
      <ul class="enrollments">${participant.enrollments.map(
        (e) => html`<li>${e.program.name}: ${ENROLLMENT_WORDS[e.status] ?? e.status} since ${formatDay(e.enrolledAt.toISOString().slice(0, 10))}${
          e.dischargedAt ? `, discharged ${formatDay(e.dischargedAt.toISOString().slice(0, 10))}` : ''
        } — <a href="/participants/${participant.id}/summary?program=${e.program.id}">Printable attendance summary</a></li>`,
      )}</ul>

      <section aria-labelledby="strikes-heading"><h2 id="strikes-heading">Strikes and follow-ups</h2>${renderStrikes(data)}</section>
      <section aria-labelledby="coming-heading"><h2 id="coming-heading">Coming up</h2>${renderComingUp(data)}</section>
      <section aria-labelledby="history-heading"><h2 id="history-heading">Sessions, newest first</h2>${renderHistory(data)}</section>
      <section aria-labelledby="absences-heading"><h2 id="absences-heading">Absences reported</h2>${renderAbsences(data)}</section>
      <section aria-labelledby="contact-heading"><h2 id="contact-heading">Contact</h2>${renderContact(data, forms)}</section>
      <section aria-labelledby="notes-heading"><h2 id="notes-heading">Notes</h2>${renderNotes(data, forms)}</section>
      <section aria-labelledby="identities-heading"><h2 id="identities-heading">Identities</h2>
        <p class="muted">How each platform knows them, so attendance and messages find them.</p>${renderIdentities(data, forms)}</section>
      <section aria-labelledby="audit-heading"><h2 id="audit-heading">What happened</h2>${renderAuditTrail(data)}</section>
      ${extra.manage ?? ''}`,
  });
}

/** One participant's attendance in one program over a range, laid out to print (clinical record, billing). */
export function renderSummaryPage(data: { report: ProgramReport; participantName: string; participantId: string; organizationName: string; now: Date; csrfToken: string }): Html {
  const { report } = data;
  const tz = report.program.timezone;
  const totalMinutes = report.rows.reduce((sum, r) => sum + r.presentMinutes, 0);
  return renderPage({
    title: `Attendance summary: ${data.participantName}`,
    section: 'programs',
    csrfToken: data.csrfToken,
    bodyClass: 'summary',
    body: html`<h1>Attendance summary</h1>
      <p><strong>${data.participantName}</strong> · ${report.program.name} · ${data.organizationName}<br>
        ${formatDay(report.from)} to ${formatDay(report.to)} (${report.from} – ${report.to}, ${tz}) · printed ${formatDateTime(data.now, tz)}</p>
      <form method="get" class="inline-form no-print" aria-label="Date range">
        <input type="hidden" name="program" value="${report.program.id}">
        <label for="from">From</label> <input id="from" name="from" type="date" value="${report.from}">
        <label for="to">To</label> <input id="to" name="to" type="date" value="${report.to}">
        <button type="submit" class="secondary">Show</button>
        <button type="button" data-print>Print</button>
        <a href="/participants/${data.participantId}">Back</a>
      </form>

      <h2 id="summary-weeks">Weeks</h2>
      <div class="table-scroll" role="region" aria-labelledby="summary-weeks" tabindex="0"><table><thead><tr><th scope="col">Week of</th><th scope="col" class="num">Sessions attended</th><th scope="col" class="num">Hours credited</th><th scope="col" class="num">Required</th><th scope="col">This week</th></tr></thead>
      <tbody>${report.weeks.map(
        (w) => html`<tr><td>${formatDay(w.weekStart)}${w.partial ? ' (part of the week)' : ''}</td><td class="num">${w.sessionsAttended} of ${w.sessions}</td><td class="num">${formatMinutes(w.creditedMinutes)}</td><td class="num">${formatMinutes(w.requiredMinutes)}</td><td>${requirementText(w)}</td></tr>`,
      )}</tbody></table></div>

      <h2 id="summary-days">Days</h2>
      <div class="table-scroll" role="region" aria-labelledby="summary-days" tabindex="0"><table><thead><tr><th scope="col">Date</th><th scope="col" class="num">Sessions attended</th><th scope="col" class="num">Minutes present</th></tr></thead>
      <tbody>${report.days.map((d) => html`<tr><td>${formatDay(d.date)}</td><td class="num">${d.sessionsAttended} of ${d.sessions}</td><td class="num">${formatMinutes(d.presentMinutes)}</td></tr>`)}</tbody></table></div>

      <h2 id="summary-sessions">Sessions</h2>
      <div class="table-scroll" role="region" aria-labelledby="summary-sessions" tabindex="0"><table><thead><tr><th scope="col">Session</th><th scope="col" class="num">Scheduled</th><th scope="col" class="num">Present</th><th scope="col">Status</th><th scope="col">Reason</th></tr></thead>
      <tbody>${report.rows.map(
        (r) => html`<tr><td>${formatSessionStart(r.startsAt, tz)}</td><td class="num">${formatMinutes(r.scheduledMinutes)}</td><td class="num">${formatMinutes(r.presentMinutes)}</td>
          <td>${statusBadge(r.status, r.staffStatus ? r.detectedStatus : null)}</td><td>${r.reasonCategory ? categoryWords(r.reasonCategory) : ''}</td></tr>`,
      )}</tbody></table></div>
      <p>Total present: ${formatMinutes(totalMinutes)} in ${report.rows.length} sessions.</p>`,
  });
}
