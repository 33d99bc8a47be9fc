import { html, type Html } from './html.js';
import { renderPage } from './layout.js';

export interface LandingLinks {
  add: { label: string; href: string }[];
  signIn: { label: string; href: string }[];
}

/** `/` signed out: what Rollcall is, install buttons and sign-in for the platforms this deployment has. */
export function renderLandingPage(links: LandingLinks, options: { clinicDeleted?: boolean } = {}): Html {
  return renderPage({
    title: 'Attendance for virtual group programs',
    section: 'none',
    body: html`<div class="landing">
      ${options.clinicDeleted ? html`<p class="notice" role="status">Your clinic and all of its data have been deleted.</p>` : ''}
      <h1>Rollcall</h1>
      <p class="lede">Attendance for virtual group programs: intensive outpatient, partial hospitalization and
        other group therapy held on Zoom, Microsoft Teams or Slack.</p>
      <ul class="features">
        <li>Knows who has joined each session, who is late, who left early and who did not come.</li>
        <li>Tells your facilitators in their own channel, in time to reach out, with one-tap follow-ups.</li>
        <li>Lets participants say they will miss a session, and answers a message about a crisis with crisis resources at once.</li>
        <li>Keeps each clinic's records separate, encrypted and audited; names appear as first name and last initial.</li>
      </ul>
      <h2 id="add-heading">Add Rollcall to your clinic</h2>
      ${links.add.length === 0
        ? html`<p class="muted">No chat platform is set up on this Rollcall yet. Whoever runs it for your clinic connects Slack, Teams or Zoom first.</p>`
        : html`<ul class="button-row" aria-labelledby="add-heading">${links.add.map((l) => html`<li><a class="button" href="${l.href}">${l.label}</a></li>`)}</ul>`}
      <h2 id="sign-in-heading">Already using Rollcall?</h2>
      <ul class="button-row" aria-labelledby="sign-in-heading">
        ${links.signIn.map((l) => html`<li><a class="button secondary" href="${l.href}">${l.label}</a></li>`)}
      </ul>
      ${renderSiteFooter()}
    </div>`,
  });
}

export function renderSiteFooter(): Html {
  return html`<footer class="site-footer">
    <ul>
      <li><a href="/privacy">Privacy</a></li>
      <li><a href="/terms">Terms</a></li>
      <li><a href="/support">Support</a></li>
    </ul>
  </footer>`;
}
