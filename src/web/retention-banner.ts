import type { RetentionStatus } from '../services/leaving/inactivity.js';
import { formatDateTime } from './format.js';
import { html, type Html } from './html.js';

/** Shown on every signed-in page once no platform is installed: the email-free warning before deletion. */
export function renderRetentionBanner(status: RetentionStatus): Html | '' {
  if (!status.deletesAt) return '';
  const when = formatDateTime(status.deletesAt);
  return html`<div class="notice error" role="alert">
    <strong>Rollcall is not installed on any platform for this clinic.</strong>
    All of this clinic's data will be deleted on ${when} (in ${status.daysLeft} ${status.daysLeft === 1 ? 'day' : 'days'})
    unless Rollcall is installed again. An owner can <a href="/settings/leaving">export the clinic's record</a> before then.
  </div>`;
}
