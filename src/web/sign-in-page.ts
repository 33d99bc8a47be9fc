import { html, type Html } from './html.js';
import { renderPage } from './layout.js';

export interface SignInButton {
  method: string;
  label: string;
}

export function renderSignInPage(options: { formToken: string; next: string; error?: string; signedOut?: boolean; providers: SignInButton[] }): Html {
  const errorId = 'token-error';
  const next = options.next === '/' ? '' : `?next=${encodeURIComponent(options.next)}`;
  return renderPage({
    title: 'Sign in',
    section: 'none',
    body: html`<div class="sign-in">
      <h1>Sign in to Rollcall</h1>
      ${options.signedOut ? html`<p class="notice" role="status">You are signed out.</p>` : ''}
      ${options.providers.length
        ? html`<ul class="sign-in-providers">
            ${options.providers.map((p) => html`<li><a class="button" href="/auth/${p.method}${next}">Sign in with ${p.label}</a></li>`)}
          </ul>
          <p class="muted">Sign in with the account of the workspace your clinic installed Rollcall in. The person who installed it is the clinic’s owner; everyone else is let in once an owner or admin approves them.</p>
          <h2>Administrator</h2>`
        : ''}
      <form method="post" action="/sign-in">
        <input type="hidden" name="_csrf" value="${options.formToken}">
        <input type="hidden" name="next" value="${options.next}">
        <div class="field">
          <label for="token">Admin token <span class="hint">The administrator’s key: whoever set Rollcall up for your clinic has it. Everyone else signs in with their chat account above.</span></label>
          <input id="token" name="token" type="password" autocomplete="current-password" required size="40"
            ${options.error ? html`aria-invalid="true" aria-describedby="${errorId}"` : ''}>
          ${options.error ? html`<p class="field-error" id="${errorId}">${options.error}</p>` : ''}
        </div>
        <button type="submit">Sign in</button>
      </form>
    </div>`,
  });
}

/** What a "Sign in with …" callback ends in when it does not sign in: waiting, not installed, expired. */
export function renderSignInOutcome(options: { title: string; message: string; retry?: string; install?: boolean }): Html {
  return renderPage({
    title: options.title,
    section: 'none',
    body: html`<div class="sign-in">
      <h1>${options.title}</h1>
      <p>${options.message}</p>
      ${options.install ? html`<p><a href="/">Add Rollcall to your workspace</a></p>` : ''}
      <p>${options.retry ? html`<a href="${options.retry}">Try again</a> · ` : ''}<a href="/sign-in">Back to sign-in</a></p>
    </div>`,
  });
}
