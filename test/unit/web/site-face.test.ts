import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { landingLinks } from '../../../src/http/site/site-routes.js';
import { readLegalDocument } from '../../../src/services/site/site-documents.js';
import { renderLandingPage } from '../../../src/web/landing-page.js';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'rollcall-site-'));
const base = () => ({ DATA_DIR: tempDir(), ADMIN_TOKEN: 'unit-admin-token-0123456789', ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
const slack = { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'secret', SLACK_STATE_SECRET: 'state-secret' };
const teams = { MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'pw' };
const zoom = { ZOOM_CLIENT_ID: 'zoom-client', ZOOM_CLIENT_SECRET: 'zoom-secret' };

describe('the landing page', () => {
  it('offers only the admin-token sign-in when no platform is configured', () => {
    const links = landingLinks(loadConfig(base()));
    expect(links.add).toEqual([]);
    expect(links.signIn).toEqual([{ label: 'Sign in with the admin token', href: '/sign-in' }]);
    const page = renderLandingPage(links).value;
    expect(page).toContain('No chat platform is set up on this Rollcall yet');
    expect(page).not.toContain('Add to');
  });

  it.each([
    ['Slack', slack, { label: 'Add to Slack', href: '/slack/install' }, { label: 'Sign in with Slack', href: '/auth/slack' }],
    ['Teams', teams, { label: 'Add to Teams', href: 'https://teams.microsoft.com/l/app/00000000-0000-0000-0000-000000000001' }, { label: 'Sign in with Microsoft', href: '/auth/microsoft' }],
    ['Zoom', zoom, { label: 'Add to Zoom', href: '/zoom/install' }, { label: 'Sign in with Zoom', href: '/auth/zoom' }],
  ])('offers %s alone when only it is configured', (_name, env, add, signIn) => {
    const links = landingLinks(loadConfig({ ...base(), ...env }));
    expect(links.add).toEqual([add]);
    expect(links.signIn).toEqual([signIn, { label: 'Sign in with the admin token', href: '/sign-in' }]);
    const page = renderLandingPage(links).value;
    expect(page).toContain(`href="${add.href}">${add.label}</a>`);
    expect(page).toContain(`href="${signIn.href}">${signIn.label}</a>`);
  });

  it('offers all three, in order, with the operator\'s Teams install link', () => {
    const links = landingLinks(loadConfig({ ...base(), ...slack, ...teams, ...zoom, TEAMS_INSTALL_URL: 'https://teams.microsoft.com/l/app/store-listing' }));
    expect(links.add.map((l) => l.label)).toEqual(['Add to Slack', 'Add to Teams', 'Add to Zoom']);
    expect(links.add[1]!.href).toBe('https://teams.microsoft.com/l/app/store-listing');
    expect(links.signIn.map((l) => l.label)).toEqual(['Sign in with Slack', 'Sign in with Microsoft', 'Sign in with Zoom', 'Sign in with the admin token']);
  });
});

describe('the legal pages', () => {
  it('default to complete texts naming the operator, the contact and the retention period', async () => {
    const config = loadConfig({ ...base(), OPERATOR_NAME: 'Acme Health IT', SUPPORT_EMAIL: 'help@acme.example', ORGANIZATION_RETENTION_DAYS: '45' });
    const privacy = await readLegalDocument(config, 'privacy');
    expect(privacy.fromOperator).toBe(false);
    expect(privacy.html).toContain('<h1>Privacy policy</h1>');
    expect(privacy.html).toContain('Acme Health IT');
    expect(privacy.html).toContain('href="mailto:help@acme.example"');
    expect(privacy.html).toContain('45 days');
    for (const heading of ['What is stored', 'How long it is kept', 'Export and deletion']) expect(privacy.html).toContain(heading);
    expect((await readLegalDocument(config, 'terms')).html).toContain('<h1>Terms of use</h1>');
    expect((await readLegalDocument(config, 'support')).html).toContain('<h1>Support</h1>');
  });

  it("serve the operator's Markdown file, sanitized", async () => {
    const dir = tempDir();
    const file = path.join(dir, 'terms.md');
    writeFileSync(file, '# Our terms\n\nBe *kind*. <script>alert(1)</script><img src=x onerror=alert(1)> [bad](javascript:alert(1))\n');
    const config = loadConfig({ ...base(), TERMS_FILE: file });
    const terms = await readLegalDocument(config, 'terms');
    expect(terms.fromOperator).toBe(true);
    expect(terms.html).toContain('<h1>Our terms</h1>');
    expect(terms.html).toContain('<em>kind</em>');
    expect(terms.html).not.toMatch(/<script|onerror|javascript:/);
    // The others keep their defaults.
    expect((await readLegalDocument(config, 'privacy')).fromOperator).toBe(false);
  });
});
