import { html, type Html } from './html.js';
import { renderPage } from './layout.js';

export function renderErrorPage(options: { status: number; message: string; csrfToken?: string }): Html {
  const title = options.status === 404 ? 'Not found' : options.status === 403 ? 'Not allowed' : 'Something went wrong';
  return renderPage({
    title,
    section: 'none',
    csrfToken: options.csrfToken,
    body: html`<h1>${title}</h1><p>${options.message}</p><p><a href="/">Back to Today</a></p>`,
  });
}
