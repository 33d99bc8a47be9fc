import { html, type Html } from './html.js';
import { renderPage } from './layout.js';

/** "Connect Teams": the code the tenant's installer writes to the bot, and how. */
export function renderTeamsConnectPage(data: { code: string; csrfToken: string }): Html {
  return renderPage({
    title: 'Connect Microsoft Teams',
    section: 'settings',
    csrfToken: data.csrfToken,
    body: html`<h1>Connect Microsoft Teams</h1>
      <ol>
        <li>Install Rollcall in your Microsoft 365 tenant (from the Teams app store, or the app package your Teams admin uploads), in a team or as a personal app.</li>
        <li>Within ten minutes, the person who installed it writes this to Rollcall in Teams (in a channel, mention Rollcall first):
          <pre class="connect-code"><code>connect ${data.code}</code></pre>
        </li>
        <li>Rollcall answers “Connected”. The tenant’s Teams channels and chats now belong to this clinic.</li>
      </ol>
      <p class="muted">The code names only this clinic and expires in ten minutes. A tenant already used by another clinic with programs or participants cannot be moved here.</p>
      <p><a href="/settings">Back to Settings</a></p>`,
  });
}
