import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { loadEnabledModules, REGISTRY } from '../../../src/platforms/registry.js';

const config = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'rollcall-registry-')), ...env });
const log = createLogger('silent');
const names = async (env: Record<string, string>, only?: Parameters<typeof loadEnabledModules>[2]) => (await loadEnabledModules(config(env), log, only)).map((m) => m.name);

describe('the platform registry', () => {
  it('lists each platform once, with the console last', () => {
    expect(REGISTRY.map((e) => e.name)).toEqual(['slack', 'teams', 'zoom', 'sms', 'console']);
  });

  it('loads only what is configured: nothing set gives Teams\' "not configured" answer and the console', async () => {
    expect(await names({})).toEqual(['teams', 'console']);
    const teams = (await loadEnabledModules(config(), log)).find((m) => m.name === 'teams')!;
    const attached = await teams.attach({ log } as never);
    expect(attached.routes?.map((r) => r.path)).toEqual(['/api/messages']);
    expect(attached.notifier).toBeUndefined();
  });

  // The first import of Bolt and the Zoom module compiles them: seconds on a busy 2-core machine.
  it('loads Zoom with a webhook secret and Slack with a signing secret', { timeout: 30_000 }, async () => {
    expect(await names({ ZOOM_WEBHOOK_SECRET_TOKEN: 'z', SLACK_SIGNING_SECRET: 's' })).toEqual(['slack', 'teams', 'zoom', 'console']);
  });

  it('narrows to the modules a test asks for, keeping the console', async () => {
    expect(await names({ ZOOM_WEBHOOK_SECRET_TOKEN: 'z', SLACK_SIGNING_SECRET: 's' }, ['zoom'])).toEqual(['zoom', 'console']);
    // Asking for a platform that is not configured does not load it.
    expect(await names({}, ['slack'])).toEqual(['console']);
  });
});
