import { html, trusted, type Html } from './html.js';
import { renderSiteFooter } from './landing-page.js';
import { renderPage } from './layout.js';

const TITLES = { privacy: 'Privacy policy', terms: 'Terms of use', support: 'Support' } as const;

/** /privacy, /terms, /support: the document's HTML is already sanitized (services/site/site-documents.ts). */
export function renderLegalPage(document: keyof typeof TITLES, sanitizedHtml: string, csrfToken?: string): Html {
  return renderPage({
    title: TITLES[document],
    section: 'none',
    csrfToken,
    body: html`<article class="legal">${trusted(sanitizedHtml)}</article>${renderSiteFooter()}`,
  });
}
