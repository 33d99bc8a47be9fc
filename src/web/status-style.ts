import { html, type Html } from './html.js';

/** Each status has a word as well as a colour, so the grid reads without colour (and in print). */
export const STATUS_TEXT: Record<string, string> = {
  present: 'Present',
  late: 'Late',
  not_joined: 'Not joined',
  no_show: 'No-show',
  excused: 'Excused',
  made_up: 'Made up',
  pending: 'Expected',
};

export function statusText(status: string): string {
  return STATUS_TEXT[status] ?? status.replace(/_/g, ' ');
}

/** A status badge; a staff decision is marked and says what was detected. */
export function statusBadge(status: string, detected?: string | null): Html {
  const staffSet = detected && detected !== status;
  return html`<span class="status status-${status.replace(/[^a-z_]/g, '')}">${statusText(status)}${staffSet ? html`<span class="staff-set"> (staff; detected ${statusText(detected)})</span>` : ''}</span>`;
}

export const FLAG_TEXT: Record<string, string> = {
  late: 'late',
  left_early: 'left early',
  short_stay: 'short stay',
  reconnected: 'reconnected',
  connection_lost: 'connection lost',
  waiting_room: 'waited in the waiting room',
  unmatched_identity: 'unrecognized',
};
