import type { ImportPlan } from '../services/report-imports/plan-import.js';
import { formatMinutes, formatSessionStart } from './format.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';

export interface ImportPageData {
  program: { id: string; name: string; timezone: string };
  csrfToken: string;
  /** After "Preview": what each file will do, and the files themselves to send again on "Import". */
  preview?: { plans: ImportPlan[]; files: string[]; zone: string };
  error?: string;
}

/**
 * Programs → Import attendance: the reports a clinic downloads from Zoom (participants CSV) and
 * Teams (attendance download), uploaded, previewed file by file, then imported on confirmation.
 */
export function renderImportPage(data: ImportPageData): Html {
  const { program } = data;
  return renderPage({
    title: `Import attendance · ${program.name}`,
    section: 'programs',
    csrfToken: data.csrfToken,
    body: html`<p><a href="/programs/${program.id}">← ${program.name}</a></p>
      <h1>Import attendance</h1>
      <p>Add past sessions from the attendance reports Zoom and Teams let you download: Zoom’s <em>Participants</em> report
        (Reports → Usage → Participants → Export) and a Teams meeting’s <em>Attendance</em> download. Imported sessions are
        history: nobody is alerted or messaged about them. Strikes are counted once, afterwards, and your channel gets one summary.</p>
      ${data.error ? html`<div class="notice error" role="alert"><p>${data.error}</p><p>Nothing was imported.</p></div>` : ''}
      ${data.preview ? renderPreview(data.preview, program, data.csrfToken) : renderUpload(program, data.csrfToken)}`,
  });
}

function renderUpload(program: ImportPageData['program'], csrfToken: string): Html {
  return html`<form method="post" action="/programs/${program.id}/attendance-import" enctype="multipart/form-data">
    ${csrfField(csrfToken)}
    <div class="field">
      <label for="reports">Report files <span class="hint">One file per session; choose several at once.</span></label>
      <input id="reports" name="reports" type="file" accept=".csv,.tsv,text/csv,text/tab-separated-values" multiple required>
    </div>
    <div class="field">
      <label for="zone">Time zone of the reports <span class="hint">The zone of the Zoom account or of whoever downloaded them.</span></label>
      <input id="zone" name="zone" value="${program.timezone}" required>
    </div>
    <button type="submit">Preview</button>
  </form>`;
}

function renderPreview(preview: NonNullable<ImportPageData['preview']>, program: ImportPageData['program'], csrfToken: string): Html {
  const created = preview.plans.filter((p) => p.session.create).length;
  return html`<h2>What will be imported</h2>
    <p>${preview.plans.length} ${preview.plans.length === 1 ? 'report' : 'reports'}: ${created} new ${created === 1 ? 'session' : 'sessions'},
      ${preview.plans.length - created} matched to sessions already on the schedule.</p>
    ${preview.plans.map((plan, index) => renderPlan(plan, index, program.timezone))}
    <form method="post" action="/programs/${program.id}/attendance-import/apply">
      ${csrfField(csrfToken)}
      <input type="hidden" name="zone" value="${preview.zone}">
      ${preview.files.map((file) => html`<input type="hidden" name="file" value="${file}">`)}
      <button type="submit">Import ${preview.plans.length} ${preview.plans.length === 1 ? 'report' : 'reports'}</button>
      <a href="/programs/${program.id}/attendance-import">Choose other files</a>
    </form>`;
}

function renderPlan(plan: ImportPlan, index: number, zone: string): Html {
  const source = plan.format === 'zoom_participants' ? 'Zoom participants report' : 'Teams attendance report';
  return html`<section class="import-plan" aria-labelledby="plan-${index}">
    <h3 id="plan-${index}">${formatSessionStart(plan.session.startsAt, zone)} <span class="muted">(${source})</span></h3>
    <p>${plan.session.create ? 'A new session will be created for it.' : plan.session.alreadyFinal ? 'It adds to a session already recorded; its record is corrected.' : 'It matches a session on the schedule.'}</p>
    <div class="table-scroll" role="region" aria-label="People in the report of ${formatSessionStart(plan.session.startsAt, zone)}" tabindex="0"><table>
      <thead><tr><th scope="col">Participant</th><th scope="col">Recognized by</th><th scope="col" class="num">Time in the meeting</th></tr></thead>
      <tbody>${plan.matched.map((p) => html`<tr><th scope="row">${p.name}</th><td>${MATCHED_BY[p.matchedBy] ?? p.matchedBy}</td><td class="num">${formatMinutes(p.minutes)}</td></tr>`)}</tbody>
    </table></div>
    ${plan.absent.length ? html`<p>Not in the report (recorded as not attending): ${plan.absent.map((a) => a.name).join(', ')}.</p>` : ''}
    ${plan.unmatched.length
      ? html`<p>Not recognized (kept with the session, linked to no one): ${plan.unmatched.map((u) => `${u.name}${u.guest ? ' (guest)' : ''} – line ${u.lines.join(', ')}`).join('; ')}.</p>`
      : ''}
    ${plan.waitingRoom.length ? html`<p>Time in the waiting room, not counted as attendance: ${plan.waitingRoom.map((w) => w.name).join(', ')}.</p>` : ''}
    ${plan.skipped.length ? html`<p>Lines that could not be read: ${plan.skipped.map((s) => `line ${s.line} (${s.reason})`).join('; ')}.</p>` : ''}
  </section>`;
}

const MATCHED_BY: Record<string, string> = {
  email: 'email',
  alias: 'a name they used before',
  display_name: 'name',
  user_id: 'platform account',
  registrant_id: 'registration',
  customer_key: 'registration',
  entered: 'entered by staff',
};
