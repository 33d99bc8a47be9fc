import { html, type Html, type Part } from './html.js';
import { currentPageViewer } from './page-viewer.js';
import { renderRetentionBanner } from './retention-banner.js';

export type Section = 'today' | 'programs' | 'follow-ups' | 'settings' | 'none';

export interface PageOptions {
  title: string;
  section: Section;
  body: Part;
  /** Present when signed in: the nav and the sign-out form need it. */
  csrfToken?: string;
  /** Extra class on <body>, e.g. `print-summary`. */
  bodyClass?: string;
}

const NAV: { section: Section; href: string; label: string }[] = [
  { section: 'today', href: '/', label: 'Today' },
  { section: 'programs', href: '/programs', label: 'Programs' },
  { section: 'follow-ups', href: '/follow-ups', label: 'Follow-ups' },
  { section: 'settings', href: '/settings', label: 'Settings' },
];

/** Every page's frame: a skip link, the nav, the sign-out form, one <main>. */
export function renderPage(options: PageOptions): Html {
  const viewer = options.csrfToken ? currentPageViewer() : undefined;
  const who = viewer
    ? html`<p class="who"><span class="clinic">${viewer.clinicName}</span> · <span class="person">${viewer.name}</span>${
        viewer.manages ? html` · <a href="/settings/staff">Staff</a> · <a href="/settings/tokens">API tokens</a>` : ''
      }</p>`
    : '';
  // Sign-out sits outside the nav so that a phone can put it beside the brand (pages.css).
  const nav = options.csrfToken
    ? html`<nav aria-label="Main">
        <ul>
          ${NAV.map((item) => html`<li><a href="${item.href}" ${item.section === options.section ? html`aria-current="page"` : ''}>${item.label}</a></li>`)}
        </ul>
      </nav>
      <form method="post" action="/sign-out" class="sign-out">
        <input type="hidden" name="_csrf" value="${options.csrfToken}">
        <button type="submit">Sign out</button>
      </form>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Rollcall</title>
<link rel="icon" href="/favicon.ico" type="image/png">
<link rel="stylesheet" href="/assets/dashboard.css">
<link rel="stylesheet" href="/assets/pages.css">
<script src="/assets/dashboard.js" defer></script>
</head>
<body class="${options.bodyClass ?? ''}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">Rollcall</a>
  ${who}
  ${nav}
</header>
<main id="main" tabindex="-1">
${viewer?.retention ? renderRetentionBanner(viewer.retention) : ''}
${options.body}
</main>
</body>
</html>`;
}

/** A hidden CSRF field for a form of the signed-in session. */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
