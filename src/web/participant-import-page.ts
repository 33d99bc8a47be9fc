import type { Program } from '../generated/prisma/client.js';
import type { ImportPlan } from '../services/participant-import.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';

const COLUMNS: { key: string; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'phone', label: 'Phone' },
  { key: 'zoom', label: 'Zoom' },
  { key: 'teams', label: 'Teams' },
  { key: 'slack', label: 'Slack' },
  { key: 'enrolledOn', label: 'Enrolled on' },
  { key: 'smsConsent', label: 'Agreed to texts' },
];

/** "Import participants": the upload form, and after an upload the preview with each row's problems on it. */
export function renderParticipantImportPage(data: { program: Program; csrfToken: string; plan?: ImportPlan; csv?: string; uploadError?: string }): Html {
  const { program, plan } = data;
  const bad = plan ? plan.rows.filter((r) => Object.keys(r.errors).length > 0).length : 0;
  return renderPage({
    title: `Import participants: ${program.name}`,
    section: 'programs',
    csrfToken: data.csrfToken,
    body: html`<h1>Import participants into ${program.name}</h1>
      <p><a href="/programs/${program.id}">Back to attendance</a> · <a href="/programs/${program.id}/participants/new">Add one participant by hand</a></p>
      <p>A CSV file with a header line naming its columns: <code>name</code> (required), <code>email</code>, <code>phone</code>,
        <code>zoom</code>, <code>teams</code>, <code>slack</code> (each platform's id for the person), <code>enrolment date</code>
        (YYYY-MM-DD, in ${program.timezone}; today when empty) and <code>agreed to texts</code> (yes when your intake form records
        the person's agreement to texts). Nothing is saved until you confirm the preview.</p>
      <p class="muted">Phone numbers need their country code (+1 415 555 0123). Rollcall texts no one who has not agreed.</p>
      ${plan ? renderPreview(data, bad) : ''}
      <h2 id="upload-heading">${plan ? 'Upload another file' : 'Upload a file'}</h2>
      <form method="post" action="/programs/${program.id}/import" enctype="multipart/form-data" aria-labelledby="upload-heading">
        ${csrfField(data.csrfToken)}
        <div class="field"><label for="import-file">CSV file</label>
          <input id="import-file" name="file" type="file" accept=".csv,text/csv" required ${data.uploadError ? html`aria-invalid="true" aria-describedby="import-file-error"` : ''}>
          ${data.uploadError ? html`<p class="field-error" id="import-file-error">${data.uploadError}</p>` : ''}
        </div>
        <button type="submit" class="secondary">Preview</button>
      </form>`,
  });
}

function renderPreview(data: { program: Program; csrfToken: string; plan?: ImportPlan; csv?: string }, bad: number): Html {
  const plan = data.plan!;
  if (plan.fileErrors.length > 0) return html`<div class="notice error" role="alert"><p>The file was not imported:</p><ul>${plan.fileErrors.map((e) => html`<li>${e}</li>`)}</ul></div>`;
  return html`<h2 id="preview-heading">Preview: ${plan.rows.length} ${plan.rows.length === 1 ? 'participant' : 'participants'}</h2>
    ${bad > 0
      ? html`<p class="notice error" role="alert">Nothing was imported: ${bad === 1 ? 'one row needs' : `${bad} rows need`} a change. Correct the file and upload it again.</p>`
      : html`<p class="notice" role="status">Every row can be imported.</p>`}
    <div class="table-scroll" role="region" aria-labelledby="preview-heading" tabindex="0"><table class="import-preview">
      <thead><tr><th scope="col">Line</th>${COLUMNS.map((c) => html`<th scope="col">${c.label}</th>`)}<th scope="col">Problems</th></tr></thead>
      <tbody>${plan.rows.map((row) => {
        const problems = Object.entries(row.errors);
        const value = (key: string) => (key in row.ids ? row.ids[key as 'zoom'] : (row as unknown as Record<string, string>)[key]) ?? '';
        return html`<tr data-line="${row.line}" class="${problems.length ? 'has-error' : ''}"><td>${row.line}</td>
          ${COLUMNS.map((c) => html`<td ${row.errors[c.key] ? html`class="cell-error"` : ''}>${value(c.key)}</td>`)}
          <td>${problems.length === 0 ? html`<span class="muted">none</span>` : html`<ul class="row-errors">${problems.map(([key, message]) => html`<li>${COLUMNS.find((c) => c.key === key)?.label ?? key}: ${message}</li>`)}</ul>`}</td></tr>`;
      })}</tbody></table></div>
    ${bad === 0
      ? html`<form method="post" action="/programs/${data.program.id}/import/apply">
          ${csrfField(data.csrfToken)}
          <input type="hidden" name="csv" value="${data.csv ?? ''}">
          <button type="submit">Import ${plan.rows.length} ${plan.rows.length === 1 ? 'participant' : 'participants'}</button>
        </form>`
      : ''}`;
}
