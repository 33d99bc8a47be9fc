import type { ParticipantTimeline } from '../services/participant-timeline.js';
import type { ProgramReport } from '../services/reports.js';
import { formatDateTime, formatDay, formatMinutes, formatSessionStart } from './format.js';
import { html, type Html } from './html.js';
import { renderPage } from './layout.js';
import { requirementText } from './program-page.js';
import { FLAG_TEXT, statusBadge } from './status-style.js';

const SAVED: Record<string, string> = { added: 'Participant added.', details: 'Details saved.', discharged: 'Discharged.', enrolled: 'Enrolled in the program.' };

/** `manage`: the edit and discharge forms, for owners and admins; `saved`: which change just succeeded. */
export function renderParticipantPage(data: ParticipantTimeline, csrfToken: string, extra: { manage?: Html; saved?: string } = {}): Html {
  const { participant, attendances, absences, followUps, audit } = data;
  const zone = participant.enrollments[0]?.program.timezone ?? 'UTC';
  return renderPage({
    title: participant.name,
    section: 'programs',
    csrfToken,
    body: html`<h1>${participant.name}</h1>
      ${extra.saved && SAVED[extra.saved] ? html`<p class="notice" role="status">${SAVED[extra.saved]}</p>` : ''}
      <p>${participant.enrollments.map(
        (e) => html`<span>${e.program.name} (${e.status}, since ${formatDay(e.enrolledAt.toISOString().slice(0, 10))}) —
          <a href="/participants/${participant.id}/summary?program=${e.program.id}">Printable attendance summary</a></span><br>`,
      )}</p>

      <h2>Sessions</h2>
      ${attendances.length === 0
        ? html`<p class="muted">No sessions yet.</p>`
        : html`<div class="table-scroll" role="region" aria-label="Sessions" tabindex="0"><table>
          <thead><tr><th scope="col">Session</th><th scope="col">Program</th><th scope="col">Status</th><th scope="col" class="num">Minutes</th><th scope="col">Notes</th></tr></thead>
          <tbody>${attendances.map((a) => {
            const reason = absences.find((x) => x.sessionId === a.sessionId);
            const status = a.overrideStatus ?? a.status;
            return html`<tr>
              <td>${formatSessionStart(a.session.startsAt, a.session.program.timezone)}</td>
              <td>${a.session.program.name}</td>
              <td>${statusBadge(status, a.overrideStatus ? a.status : null)}</td>
              <td class="num">${formatMinutes(a.minutesPresent)} <span class="muted">of ${formatMinutes(Math.round((a.session.endsAt.getTime() - a.session.startsAt.getTime()) / 60_000))}</span></td>
              <td>${[
                ...a.flags.filter((f) => f !== 'late').map((f) => FLAG_TEXT[f] ?? f),
                ...(reason ? [`absence: ${reason.category.replace(/_/g, ' ')}${reason.excused ? ' (excused)' : ''}, reported by ${reason.reportedBy}`] : []),
                ...(a.overrideReason ? [`staff: ${a.overrideReason}`] : []),
              ].join('; ')}</td>
            </tr>`;
          })}</tbody></table></div>`}

      <h2>Absences reported</h2>
      ${absences.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<ul class="timeline">${absences.map(
            (a) => html`<li>${formatDateTime(a.createdAt, zone)}: ${a.category.replace(/_/g, ' ')}, ${a.excused ? 'excused' : 'not excused'}, reported by ${a.reportedBy}${a.reportedVia ? ` via ${a.reportedVia}` : ''}</li>`,
          )}</ul>`}

      <h2>Follow-ups</h2>
      ${followUps.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<ul class="timeline">${followUps.map(
            (f) => html`<li>${f.kind.replace(/_/g, ' ')} (${f.program.name}): <strong>${f.state}</strong>${f.assignee ? `, assigned to ${f.assignee}` : ''}, opened ${formatDateTime(f.createdAt, zone)}</li>`,
          )}</ul>`}

      <h2>What staff did</h2>
      ${audit.length === 0
        ? html`<p class="muted">Nothing recorded.</p>`
        : html`<ul class="timeline">${audit.map((entry) => html`<li>${formatDateTime(entry.createdAt, zone)}: <code>${entry.action}</code> by ${entry.actorName}</li>`)}</ul>`}

      <h2>Identities</h2>
      <ul>${participant.identities.map((i) => html`<li>${i.platform} ${i.kind === 'alias' ? 'learned alias' : i.kind}: <code>${i.value}</code></li>`)}</ul>
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

      <h2>Weeks</h2>
      <table><thead><tr><th scope="col">ISO week</th><th scope="col">Monday</th><th scope="col" class="num">Sessions attended</th><th scope="col" class="num">Hours credited</th><th scope="col" class="num">Required</th><th scope="col">This week</th></tr></thead>
      <tbody>${report.weeks.map(
        (w) => html`<tr><td>${w.week}${w.partial ? ' (part of the week)' : ''}</td><td>${w.weekStart}</td><td class="num">${w.sessionsAttended} of ${w.sessions}</td><td class="num">${formatMinutes(w.creditedMinutes)}</td><td class="num">${formatMinutes(w.requiredMinutes)}</td><td>${requirementText(w)}</td></tr>`,
      )}</tbody></table>

      <h2>Days</h2>
      <table><thead><tr><th scope="col">Date</th><th scope="col" class="num">Sessions attended</th><th scope="col" class="num">Minutes present</th></tr></thead>
      <tbody>${report.days.map((d) => html`<tr><td>${d.date}</td><td class="num">${d.sessionsAttended} of ${d.sessions}</td><td class="num">${formatMinutes(d.presentMinutes)}</td></tr>`)}</tbody></table>

      <h2>Sessions</h2>
      <table><thead><tr><th scope="col">Session</th><th scope="col" class="num">Scheduled</th><th scope="col" class="num">Present</th><th scope="col">Status</th><th scope="col">Reason</th></tr></thead>
      <tbody>${report.rows.map(
        (r) => html`<tr><td>${formatSessionStart(r.startsAt, tz)}</td><td class="num">${formatMinutes(r.scheduledMinutes)}</td><td class="num">${formatMinutes(r.presentMinutes)}</td>
          <td>${statusBadge(r.status, r.staffStatus ? r.detectedStatus : null)}</td><td>${r.reasonCategory?.replace(/_/g, ' ') ?? ''}</td></tr>`,
      )}</tbody></table>
      <p>Total present: ${formatMinutes(totalMinutes)} in ${report.rows.length} sessions.</p>`,
  });
}
