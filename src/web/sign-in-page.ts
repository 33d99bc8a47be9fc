import { html, type Html } from './html.js';
import { renderPage } from './layout.js';

export function renderSignInPage(options: { formToken: string; next: string; error?: string; signedOut?: boolean }): Html {
  const errorId = 'token-error';
  return renderPage({
    title: 'Sign in',
    section: 'none',
    body: html`<div class="sign-in">
      <h1>Sign in to Rollcall</h1>
      ${options.signedOut ? html`<p class="notice" role="status">You are signed out.</p>` : ''}
      <form method="post" action="/sign-in">
        <input type="hidden" name="_csrf" value="${options.formToken}">
        <input type="hidden" name="next" value="${options.next}">
        <div class="field">
          <label for="token">Admin token <span class="hint">The ADMIN_TOKEN of this deployment, or another admin API token of your clinic.</span></label>
          <input id="token" name="token" type="password" autocomplete="current-password" required size="40"
            ${options.error ? html`aria-invalid="true" aria-describedby="${errorId}"` : ''}>
          ${options.error ? html`<p class="field-error" id="${errorId}">${options.error}</p>` : ''}
        </div>
        <button type="submit">Sign in</button>
      </form>
      <p class="muted">Sign-in with Slack, Microsoft or Zoom is planned; see docs/dashboard.md.</p>
    </div>`,
  });
}
