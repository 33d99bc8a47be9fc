import type { Identity, Participant, Program } from '../generated/prisma/client.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';
import { renderPolicyFields } from './policy-form.js';
import { PLATFORM_LABEL, PLATFORM_OPTIONS } from './form-fields.js';
import type { ClinicConnection } from '../services/installs/connections.js';

/** Settings' "Connections": each platform's workspace, tenant or account, and a Connect button for owners and admins. */
function renderConnections(connections: { list: ClinicConnection[]; canConnect: boolean }): Html {
  const shown = connections.list.filter((c) => c.available || c.connected);
  return html`<section aria-labelledby="connections-heading">
      <h2 id="connections-heading">Connections</h2>
      ${shown.length === 0
        ? html`<p class="muted">No chat or meeting platform is set up on this Rollcall deployment.</p>`
        : html`<ul class="connections">${shown.map(
            (c) => html`<li><strong>${c.label}</strong>:
              ${c.connected ? html`${c.connected.name}${c.connected.live ? '' : html` <span class="muted">(uninstalled)</span>`}` : html`<span class="muted">not connected</span>`}
              ${connections.canConnect && c.available && !c.connected?.live ? html` <a class="button" href="/settings/connect/${c.platform}">Connect ${c.label}</a>` : ''}</li>`,
          )}</ul>`}
    </section>`;
}

export function renderSettingsIndex(programs: { id: string; name: string }[], csrfToken: string, connections?: { list: ClinicConnection[]; canConnect: boolean }, clinic: Html | string = ''): Html {
  return renderPage({
    title: 'Settings',
    section: 'settings',
    csrfToken,
    body: html`<h1>Settings</h1>
      ${clinic}
      <h2>Programs</h2>
      <p>Each program has its attendance policy, its staff channel and its participants' identities.</p>
      ${programs.length === 0 ? html`<p class="muted">No programs yet.</p>` : html`<ul>${programs.map((p) => html`<li><a href="/programs/${p.id}/settings">${p.name}</a></li>`)}</ul>`}
      ${connections ? renderConnections(connections) : ''}
      <h2>Leaving</h2>
      <p><a href="/settings/leaving">Export this clinic's record or delete the clinic</a> (owners).</p>`,
  });
}

export interface ProgramSettingsData {
  program: Program;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  channelErrors?: Record<string, string>;
  participants: (Participant & { identities: Identity[] })[];
  /** The clinic's other programs, offered as make-up partners. */
  partners: { id: string; name: string }[];
  saved?: string;
  csrfToken: string;
}

/** How each platform names a person, as staff would say it. */
const IDENTITY_KIND_WORDS: Record<string, string> = {
  user_id: 'account id',
  email: 'email',
  registrant_id: 'registration id',
  customer_key: 'customer key',
  aad_object_id: 'Microsoft account id',
  alias: 'learned alias',
};

/** A link that opens the channel in its app, where the platform has one that needs no more than the id. */
function channelLink(platform: string, channelId: string): Html {
  if (platform === 'slack') return html`<a href="https://slack.com/app_redirect?channel=${encodeURIComponent(channelId)}" rel="noreferrer">Open in Slack</a>`;
  return html`<span class="muted">(${PLATFORM_LABEL[platform] ?? platform} channel)</span>`;
}

export function renderProgramSettings(data: ProgramSettingsData): Html {
  const { program, csrfToken } = data;
  const errorCount = Object.keys(data.errors).length;
  const channelErrors = data.channelErrors ?? {};
  return renderPage({
    title: `Settings: ${program.name}`,
    section: 'settings',
    csrfToken,
    body: html`<h1>Settings: ${program.name}</h1>
      <p><a href="/programs/${program.id}">Back to attendance</a></p>
      ${data.saved ? html`<p class="notice" role="status">${data.saved === 'channel' ? 'Alert channel saved.' : 'Policy saved.'}</p>` : ''}
      ${errorCount > 0 ? html`<p class="notice error" role="alert">The policy was not saved: ${errorCount === 1 ? 'one field needs' : `${errorCount} fields need`} a change.</p>` : ''}

      <h2 id="policy-heading">Attendance policy</h2>
      <script src="/assets/policy-form.js" defer></script>
      <form method="post" action="/programs/${program.id}/settings" aria-labelledby="policy-heading" novalidate>
        ${csrfField(csrfToken)}
        ${renderPolicyFields(data.values, data.errors, data.partners)}
        <button type="submit">Save policy</button>
      </form>

      <h2 id="channel-heading">Alert channel</h2>
      <p>Alerts go to the <strong>${PLATFORM_LABEL[program.alertPlatform] ?? program.alertPlatform}</strong> channel <code>${program.alertChannelId}</code> ${channelLink(program.alertPlatform, program.alertChannelId)}</p>
      <form method="post" action="/programs/${program.id}/channel" aria-labelledby="channel-heading" class="inline-form">
        ${csrfField(csrfToken)}
        <label for="channel-platform">Platform</label>
        <select id="channel-platform" name="platform">${PLATFORM_OPTIONS.map((p) => html`<option value="${p.value}" ${p.value === program.alertPlatform ? 'selected' : ''}>${p.label}</option>`)}</select>
        <label for="channel-id">Channel id</label>
        <input id="channel-id" name="channelId" value="${program.alertChannelId}" required maxlength="200" ${channelErrors.channelId ? html`aria-invalid="true" aria-describedby="channel-id-error"` : ''}>
        <button type="submit" class="secondary">Save channel</button>
        ${channelErrors.channelId ? html`<p class="field-error" id="channel-id-error">${channelErrors.channelId}</p>` : ''}
      </form>

      <h2>Identities and learned aliases</h2>
      <p class="muted">How each platform names the program's participants. Aliases are display names learned when staff said who an unrecognized joiner was.</p>
      <div class="table-scroll" role="region" aria-label="Identities" tabindex="0"><table>
        <thead><tr><th scope="col">Participant</th><th scope="col">Platform</th><th scope="col">Kind</th><th scope="col">Value</th></tr></thead>
        <tbody>${data.participants.flatMap((p) =>
          p.identities.length === 0
            ? [html`<tr><th scope="row"><a href="/participants/${p.id}">${p.name}</a></th><td colspan="3" class="muted">none (matched by name or email only)</td></tr>`]
            : p.identities.map(
                (i, n) => html`<tr>${n === 0 ? html`<th scope="row" rowspan="${p.identities.length}"><a href="/participants/${p.id}">${p.name}</a></th>` : ''}
                  <td>${PLATFORM_LABEL[i.platform] ?? i.platform}</td><td>${i.kind === 'alias' ? html`<strong>learned alias</strong>` : (IDENTITY_KIND_WORDS[i.kind] ?? 'other id')}</td><td><code>${i.value}</code></td></tr>`,
              ),
        )}</tbody></table></div>`,
  });
}
