import { readFile } from 'node:fs/promises';
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { Config } from '../../config.js';
import { defaultLegalText, type LegalDocument } from './legal-defaults.js';

export type { LegalDocument } from './legal-defaults.js';

/** Markdown to HTML, sanitized: an operator's file (or a default) may carry raw HTML, never script. */
export function renderMarkdown(markdown: string): string {
  const raw = marked.parse(markdown, { async: false, gfm: true });
  return sanitizeHtml(raw, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'h1', 'h2'],
    allowedAttributes: { a: ['href', 'title'], th: ['scope'], td: ['align'], '*': ['id'] },
    allowedSchemes: ['https', 'http', 'mailto'],
    // No inline styles: the pages' Content-Security-Policy would refuse them anyway.
    allowedStyles: {},
  });
}

const FILE_OF: Record<LegalDocument, keyof Config['site']> = { privacy: 'privacyFile', terms: 'termsFile', support: 'supportFile' };

/**
 * /privacy, /terms, /support: the operator's Markdown file when configured (read on each request,
 * so an edit needs no restart), otherwise Rollcall's default text naming the operator.
 */
export async function readLegalDocument(config: Pick<Config, 'site' | 'organizationRetentionDays'>, document: LegalDocument): Promise<{ html: string; fromOperator: boolean }> {
  const file = config.site[FILE_OF[document]];
  if (file) return { html: renderMarkdown(await readFile(file, 'utf8')), fromOperator: true };
  return { html: renderMarkdown(defaultLegalText(document, config)), fromOperator: false };
}
