import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'rollcall-config-'));

/** What `openssl rand -base64 32` gives: a token production takes. */
const STRONG_TOKEN = 'q3V9x1Lr8TfKc2Wm5Yp0Hs7Nd4Bg6Zj+QeRaUoXiVtE=';
const productionBase = { NODE_ENV: 'production', ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'), PUBLIC_URL: 'https://rollcall.example', MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001' };

describe('loadConfig', () => {
  it('signs staff in with Microsoft through its own Entra app, or else the bot’s', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).microsoftSignIn).toBeUndefined();
    expect(loadConfig({ DATA_DIR: tempDir(), MICROSOFT_APP_ID: 'bot', MICROSOFT_APP_PASSWORD: 'pw' }).microsoftSignIn).toEqual({ clientId: 'bot', clientSecret: 'pw' });
    expect(loadConfig({ DATA_DIR: tempDir(), MICROSOFT_APP_ID: 'bot', MICROSOFT_APP_PASSWORD: 'pw', MICROSOFT_CLIENT_ID: 'web', MICROSOFT_CLIENT_SECRET: 's' }).microsoftSignIn).toEqual({ clientId: 'web', clientSecret: 's' });
    expect(loadConfig({ DATA_DIR: tempDir() }).slack.oauthUrl).toBe('https://slack.com');
  });

  it('fills the defaults of CONTRACT.md from an empty environment', () => {
    const config = loadConfig({ DATA_DIR: tempDir() });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.zoom.apiUrl).toBe('https://api.zoom.us/v2');
    expect(config.zoom.oauthUrl).toBe('https://zoom.us');
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.encryptionKey).toHaveLength(32);
  });

  it('generates development secrets once into DATA_DIR and reuses them', () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.generatedAdminToken).toBe(first.adminToken);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.adminToken).toBe(first.adminToken);
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
    expect(second.generatedAdminToken).toBeUndefined();
    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).adminToken).toBe(first.adminToken);
  });

  it('prefers secrets given in the environment', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({ DATA_DIR: tempDir(), ADMIN_TOKEN: 'an-admin-token-of-enough-length', ENCRYPTION_KEY: key });
    expect(config.adminToken).toBe('an-admin-token-of-enough-length');
    expect(config.encryptionKey.toString('base64')).toBe(key);
    expect(config.generatedAdminToken).toBeUndefined();
  });

  it('keeps Teams off without an app id, in production too; the development switch only outside production', () => {
    const production = { NODE_ENV: 'production', ADMIN_TOKEN: STRONG_TOKEN, ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'), PUBLIC_URL: 'https://rollcall.example' };
    // A Zoom- or Slack-only clinic needs no Teams setting at all.
    expect(loadConfig({ DATA_DIR: tempDir(), ...production }).teams.inbound).toBe('off');
    expect(loadConfig({ DATA_DIR: tempDir() }).teams.inbound).toBe('off');
    expect(loadConfig({ DATA_DIR: tempDir(), ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS: '1' }).teams.inbound).toBe('development');
    const withApp = loadConfig({ DATA_DIR: tempDir(), ...production, MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001' });
    expect(withApp.teams).toMatchObject({ inbound: 'authenticated', graphUrl: 'https://graph.microsoft.com/v1.0', loginUrl: 'https://login.microsoftonline.com' });
    expect(withApp.teams.openIdMetadataUrl).toBeUndefined();
  });

  it('runs every role by default, takes ROLLCALL_ROLE=web, and refuses another role naming the variable', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).role).toBe('all');
    expect(loadConfig({ DATA_DIR: tempDir(), ROLLCALL_ROLE: 'web' }).role).toBe('web');
    expect(() => loadConfig({ DATA_DIR: tempDir(), ROLLCALL_ROLE: 'worker' })).toThrow(/ROLLCALL_ROLE/);
  });

  it('splits ZOOM_WEBHOOK_SECRET_TOKEN into a rotation list', () => {
    const config = loadConfig({ DATA_DIR: tempDir(), ZOOM_WEBHOOK_SECRET_TOKEN: 'new-secret, old-secret' });
    expect(config.zoom.webhookSecrets).toEqual(['new-secret', 'old-secret']);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT /],
    [{ PORT: '70000' }, /^PORT /],
    [{ DATABASE_URL: 'mysql://localhost/x' }, /^DATABASE_URL must be a postgresql:\/\/ URL/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL /],
    [{ ENCRYPTION_KEY: 'c2hvcnQ=' }, /^ENCRYPTION_KEY must be 32 bytes, base64-encoded/],
    [{ ADMIN_TOKEN: 'short' }, /^ADMIN_TOKEN must be at least 16 characters/],
    [{ PUBLIC_URL: 'not a url' }, /^PUBLIC_URL must be an absolute URL/],
    [{ SLACK_API_URL: 'slack' }, /^SLACK_API_URL /],
    [{ NODE_ENV: 'production' }, /^ADMIN_TOKEN is required when NODE_ENV=production/],
    [{ SLACK_CLIENT_ID: 'abc' }, /^SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are required/],
    [{ MICROSOFT_CLIENT_ID: 'abc' }, /^MICROSOFT_CLIENT_SECRET is required with MICROSOFT_CLIENT_ID/],
    [{ SLACK_OAUTH_URL: 'slack' }, /^SLACK_OAUTH_URL /],
    [
      { NODE_ENV: 'production', ADMIN_TOKEN: STRONG_TOKEN, ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'), PUBLIC_URL: 'https://rollcall.example', ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS: '1' },
      /^ROLLCALL_ALLOW_UNAUTHENTICATED_TEAMS=1 is for local development only and is refused when NODE_ENV=production/,
    ],
    [{ MICROSOFT_BOT_OPENID_METADATA_URL: 'keys' }, /^MICROSOFT_BOT_OPENID_METADATA_URL must be an absolute URL/],
    [{ GRAPH_API_URL: 'graph' }, /^GRAPH_API_URL /],
    [{ ...productionBase, ADMIN_TOKEN: 'a'.repeat(20) }, /^ADMIN_TOKEN is too easy to guess \(it repeats one short pattern\)/],
    [{ ...productionBase, ADMIN_TOKEN: `${'ab'.repeat(10)}abc` }, /^ADMIN_TOKEN is too easy to guess \(it uses too few different characters\)/],
    [{ ...productionBase, ADMIN_TOKEN: 'clinic2026adminzzzzzzzz!!' }, /^ADMIN_TOKEN is too easy to guess \(it has a long run of one character\)/],
    [{ ...productionBase, ADMIN_TOKEN: 'Xq7-abcdefghijkl-P9wz' }, /^ADMIN_TOKEN is too easy to guess \(it has a long run of consecutive characters\)/],
    [{ ...productionBase, ADMIN_TOKEN: 'rollcallclinicadmin' }, /^ADMIN_TOKEN is too easy to guess \(about 89 bits, fewer than 128\)/],
  ])('stops with one line naming the variable for %j', (env, message) => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: tempDir(), ...env });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
