import type { PlatformModule } from '../module.js';

/**
 * Teams not configured (no MICROSOFT_APP_ID): /api/messages answers 401 to everything, nothing is
 * read, and no SDK is loaded. Alerts for Teams channels go to the console.
 */
export const teamsOffModule: PlatformModule = {
  name: 'teams',
  async attach(host) {
    host.log.info('Teams is off (MICROSOFT_APP_ID is not set): /api/messages answers 401');
    const answer = { status: 401, body: { error: { code: 'teams_off', message: 'Teams is not configured on this server' } } };
    return { routes: [{ method: 'POST', path: '/api/messages', handler: async () => answer }] };
  },
};
