import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ModuleName, PlatformModule } from './module.js';

interface RegistryEntry {
  name: ModuleName;
  /** Configured on this deployment; a module that is not is never imported. */
  enabled(config: Config): boolean;
  load(config: Config): Promise<PlatformModule>;
}

/** Every platform Rollcall knows, in mounting order. Adding one is one line here and one folder beside this file. */
export const REGISTRY: readonly RegistryEntry[] = [
  { name: 'slack', enabled: (c) => Boolean(c.slack.signingSecret), load: async () => (await import('./slack/slack-app.js')).slackModule },
  // With Teams off, /api/messages still answers 401 "not configured" (teams-off.ts loads no SDK).
  { name: 'teams', enabled: () => true, load: async (c) => (c.teams.inbound === 'off' ? (await import('./teams/teams-off.js')).teamsOffModule : (await import('./teams/teams-app.js')).teamsModule) },
  { name: 'zoom', enabled: (c) => c.zoom.webhookSecrets.length > 0 || Boolean(c.zoom.clientId), load: async () => (await import('./zoom/zoom-app.js')).zoomModule },
  { name: 'sms', enabled: (c) => Boolean(c.twilio.accountSid && c.twilio.authToken), load: async () => (await import('./sms/sms-module.js')).smsModule },
  // Last: it posts the alerts of any platform without a notifier of its own.
  { name: 'console', enabled: () => true, load: async () => (await import('./console/console-module.js')).consoleModule },
];

/**
 * The modules this configuration enables, imported now. `only` (tests) narrows them further; the
 * console is always kept, since it stands in for the others.
 */
export async function loadEnabledModules(config: Config, log: Logger, only?: readonly ModuleName[]): Promise<PlatformModule[]> {
  const entries = REGISTRY.filter((entry) => entry.enabled(config) && (!only || entry.name === 'console' || only.includes(entry.name)));
  const off = REGISTRY.filter((entry) => !entries.includes(entry)).map((entry) => entry.name);
  log.info({ platforms: entries.map((e) => e.name), off }, 'platform modules');
  return Promise.all(entries.map((entry) => entry.load(config)));
}
