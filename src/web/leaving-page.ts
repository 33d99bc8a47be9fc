import type { RetentionStatus } from '../services/leaving/inactivity.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';

export interface LeavingPageData {
  clinicName: string;
  csrfToken: string;
  retention: RetentionStatus;
  retentionDays: number;
  /** The deployment's first organization (the ADMIN_TOKEN's) is never deleted from here. */
  deletable: boolean;
  /** Platforms still installed: the clinic is deleted only once none is. */
  installed: ('slack' | 'teams' | 'zoom')[];
  error?: string;
}

const PLATFORM_NAMES = { slack: 'Slack', teams: 'Microsoft Teams', zoom: 'Zoom' } as const;
const UNINSTALL_HINTS = {
  slack: 'Slack: a workspace admin removes Rollcall under Settings & administration → Manage apps.',
  teams: 'Teams: remove the Rollcall app from each team and chat it was added to (or a Teams admin blocks it for the tenant).',
  zoom: 'Zoom: an account admin removes Rollcall in the Zoom App Marketplace under Manage → Added apps.',
} as const;

/** Settings, Leaving: export the clinic's whole record, or delete the clinic (owner only). */
export function renderLeavingPage(data: LeavingPageData): Html {
  const errorId = 'confirm-error';
  return renderPage({
    title: 'Export or delete this clinic',
    section: 'settings',
    csrfToken: data.csrfToken,
    body: html`<h1>Export or delete this clinic</h1>
      <h2>Export</h2>
      <p>Download every record of ${data.clinicName}: programs, schedules, sessions, participants, attendance, alerts,
        follow-ups, staff and the audit log, as CSV files and JSON in one zip. Secrets (tokens) are never included.
        The download is recorded in the audit log.</p>
      <form method="post" action="/settings/leaving/export">
        ${csrfField(data.csrfToken)}
        <button type="submit">Download the clinic's record (zip)</button>
      </form>
      <h2>Delete this clinic</h2>
      ${data.deletable
        ? html`<p>Deleting removes every record of ${data.clinicName} at once, for everyone, and cannot be undone. Export first if you need a copy.
            Rollcall must be uninstalled from every platform first, so that nothing more arrives for this clinic.</p>
          ${data.installed.length > 0
            ? html`<p class="notice" id="still-installed">Still installed: ${data.installed.map((p) => PLATFORM_NAMES[p]).join(', ')}. ${data.installed.map((p) => html`${UNINSTALL_HINTS[p]} `)}</p>`
            : ''}
          <form method="post" action="/settings/leaving/delete">
            ${csrfField(data.csrfToken)}
            <div class="field">
              <label for="confirm-name">Type the clinic's name, <strong>${data.clinicName}</strong>, to confirm</label>
              <input id="confirm-name" name="confirmName" type="text" autocomplete="off" required size="40"
                ${data.error ? html`aria-invalid="true" aria-describedby="${errorId}"` : ''}>
              ${data.error ? html`<p class="field-error" id="${errorId}">${data.error}</p>` : ''}
            </div>
            <button type="submit" class="danger">Delete ${data.clinicName} and all its data</button>
          </form>`
        : html`<p>This is the first clinic of this Rollcall, the one the administrator’s key belongs to. It is not deleted from the dashboard;
            whoever runs Rollcall removes it together with Rollcall itself.</p>`}
      <h2>When no platform is installed</h2>
      <p>If Rollcall is uninstalled from every platform, this clinic's data is deleted ${data.retentionDays} days later.
        From then on a banner on every page shows the date. Installing again stops the countdown.</p>`,
  });
}
