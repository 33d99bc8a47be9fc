import type { StaffAccount } from '../generated/prisma/client.js';
import { formatDateTime } from './format.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';

export interface StaffPageData {
  staff: (StaffAccount & { assignments: { programId: string }[] })[];
  programs: { id: string; name: string }[];
  csrfToken: string;
  done?: string;
}

const ROLES = [
  { value: 'owner', label: 'Owner' },
  { value: 'admin', label: 'Admin' },
  { value: 'facilitator', label: 'Facilitator' },
  { value: 'viewer', label: 'Viewer' },
] as const;

const roleSelect = (id: string, selected: string) => html`<select id="${id}" name="role">
    ${ROLES.map((r) => html`<option value="${r.value}" ${r.value === selected ? 'selected' : ''}>${r.label}</option>`)}
  </select>`;

function via(account: StaffAccount): string {
  return [account.slackUserId ? 'Slack' : '', account.microsoftUserId ? 'Microsoft' : '', account.zoomUserId ? 'Zoom' : ''].filter(Boolean).join(', ');
}

/** Settings → Staff: approve people waiting, set roles, assign facilitators to programs, remove. */
export function renderStaffPage(data: StaffPageData): Html {
  const pending = data.staff.filter((s) => s.status === 'pending');
  const active = data.staff.filter((s) => s.status === 'active');
  const form = (account: StaffAccount, action: string, body: Html | string, button: string, extraClass = '') =>
    html`<form method="post" action="/settings/staff/${account.id}" class="inline-form">${csrfField(data.csrfToken)}<input type="hidden" name="action" value="${action}">${body}<button type="submit" class="${extraClass}">${button}</button></form>`;
  return renderPage({
    title: 'Staff',
    section: 'settings',
    csrfToken: data.csrfToken,
    body: html`<h1>Staff</h1>
      ${data.done ? html`<p class="notice" role="status">Saved.</p>` : ''}
      <p>Owners and admins do everything; facilitators see and act on the programs they are assigned to; viewers read only. People who sign in from your workspace wait here until approved.</p>
      <h2>Waiting for approval</h2>
      ${pending.length === 0
        ? html`<p class="muted">Nobody is waiting.</p>`
        : html`<ul class="staff-list">${pending.map(
            (s) => html`<li class="staff-pending"><strong>${s.name}</strong> ${s.email ? html`<span class="muted">${s.email}</span>` : ''} <span class="muted">via ${via(s)}</span>
              ${form(s, 'approve', html`<label for="approve-role-${s.id}">Role for ${s.name}</label> ${roleSelect(`approve-role-${s.id}`, 'facilitator')}`, `Approve ${s.name}`)}
              ${form(s, 'decline', '', `Decline ${s.name}`, 'secondary')}</li>`,
          )}</ul>`}
      <h2>Active</h2>
      <table class="stack">
        <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Programs</th><th scope="col">Last sign-in</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
        <tbody>${active.map(
          (s) => html`<tr>
            <th scope="row">${s.name}${s.email ? html`<br><span class="muted">${s.email}</span>` : ''}</th>
            <td>${form(s, 'role', html`<label class="visually-hidden" for="role-${s.id}">Role of ${s.name}</label>${roleSelect(`role-${s.id}`, s.role)}`, 'Change role', 'secondary')}</td>
            <td>${s.role === 'facilitator'
              ? form(
                  s,
                  'assign',
                  html`<fieldset><legend class="visually-hidden">Programs of ${s.name}</legend>${data.programs.map(
                    (p) => html`<label><input type="checkbox" name="programId" value="${p.id}" ${s.assignments.some((a) => a.programId === p.id) ? 'checked' : ''}> ${p.name}</label> `,
                  )}</fieldset>`,
                  'Save programs',
                  'secondary',
                )
              : html`<span class="muted">All programs</span>`}</td>
            <td>${s.lastSignInAt ? formatDateTime(s.lastSignInAt) : '—'}</td>
            <td>${form(s, 'remove', '', `Remove ${s.name}`, 'secondary')}</td>
          </tr>`,
        )}</tbody>
      </table>`,
  });
}
