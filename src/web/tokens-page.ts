import { formatDateTime } from './format.js';
import { html, type Html } from './html.js';
import { csrfField, renderPage } from './layout.js';

export interface TokensPageData {
  tokens: { id: string; label: string; createdBy: string; createdAt: Date; lastUsedAt: Date | null; operator: boolean }[];
  csrfToken: string;
  /** A token just created: shown this once, never again. */
  created?: { label: string; token: string };
  error?: string;
}

/** Settings → API tokens: the clinic's admin API tokens, created (shown once) and revoked here. */
export function renderTokensPage(data: TokensPageData): Html {
  return renderPage({
    title: 'API tokens',
    section: 'settings',
    csrfToken: data.csrfToken,
    body: html`<h1>API tokens</h1>
      <p>Tokens for scripts and tools that use your clinic’s admin API (described in Rollcall’s API documentation). Each sees only this clinic. Only a hash is stored: a token is shown once, when it is created.</p>
      ${data.created
        ? html`<div class="notice" role="status"><p>New token “${data.created.label}”. Copy it now; it will not be shown again.</p><p><code class="new-token">${data.created.token}</code></p></div>`
        : ''}
      <form method="post" action="/settings/tokens">
        ${csrfField(data.csrfToken)}
        <div class="field">
          <label for="label">Label <span class="hint">What it is for, e.g. “EHR sync”.</span></label>
          <input id="label" name="label" required maxlength="80" ${data.error ? html`aria-invalid="true" aria-describedby="label-error"` : ''}>
          ${data.error ? html`<p class="field-error" id="label-error">${data.error}</p>` : ''}
        </div>
        <button type="submit">Create token</button>
      </form>
      <table class="stack">
        <thead><tr><th scope="col">Label</th><th scope="col">Created by</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Revoke</span></th></tr></thead>
        <tbody>${data.tokens.map(
          (t) => html`<tr>
            <th scope="row">${t.label}</th>
            <td>${t.createdBy}</td>
            <td>${formatDateTime(t.createdAt)}</td>
            <td>${t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</td>
            <td>${t.operator
              ? html`<span class="muted">Set by the operator</span>`
              : html`<form method="post" action="/settings/tokens/${t.id}/revoke">${csrfField(data.csrfToken)}<button type="submit" class="secondary">Revoke ${t.label}</button></form>`}</td>
          </tr>`,
        )}</tbody>
      </table>`,
  });
}
