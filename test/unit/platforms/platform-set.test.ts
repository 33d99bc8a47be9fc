import { describe, expect, it } from 'vitest';
import type { PresenceEvent } from '../../../src/core/presence-event.js';
import { createPlatformSet } from '../../../src/platforms/platform-set.js';
import { DeliveryError, type Notifier } from '../../../src/services/notifier.js';
import type { ParticipantMessenger } from '../../../src/services/participant-messenger.js';
import type { AttendanceReportSource } from '../../../src/services/reconciliation.js';

const notifier = (): Notifier => ({ post: async () => ({ messageId: 'm' }), update: async () => {} });
const messenger = (): ParticipantMessenger => ({}) as ParticipantMessenger;
const source = (platform: 'zoom' | 'teams', name: string) => ({ platform, name }) as AttendanceReportSource;
const event = (platform: 'zoom' | 'teams', accountId?: string) => ({ platform, accountId }) as PresenceEvent;

describe('the attached platforms', () => {
  it('posts with the platform\'s own notifier, the console\'s for a platform without one, and a stand-in over both', () => {
    const zoom = notifier();
    const console = notifier();
    const set = createPlatformSet();
    set.add('zoom', { notifier: zoom });
    set.add('console', { notifier: console });
    expect(set.notifierFor('zoom')).toBe(zoom);
    expect(set.notifierFor('slack')).toBe(console);
    const standIn = notifier();
    expect(createPlatformSet({ notifiers: { zoom: standIn } }).notifierFor('zoom')).toBe(standIn);
  });

  it('fails a delivery for good when no module can post to the platform', async () => {
    const set = createPlatformSet();
    await expect(set.notifierFor('teams').post({ organizationId: 'o', platform: 'teams', channelId: 'c' }, {} as never)).rejects.toBeInstanceOf(DeliveryError);
  });

  it('finds messengers when asked, so a module attached later is found by one attached before', () => {
    const set = createPlatformSet();
    const lookup = set.messengerFor;
    const teams = messenger();
    set.add('zoom', {});
    set.add('teams', { messenger: teams });
    expect(lookup('teams')).toBe(teams);
    expect(lookup('slack')).toBeUndefined();
  });

  it('lists report sources and close-out steps in registry order; a stand-in source replaces its platform\'s own', () => {
    const set = createPlatformSet({ reportSources: [source('zoom', 'fake zoom')] });
    const a = { name: 'a', run: async () => {} };
    const b = { name: 'b', run: async () => {} };
    set.add('teams', { reportSource: source('teams', 'graph'), closeOutSteps: [a] });
    set.add('zoom', { reportSource: source('zoom', 'past participants'), closeOutSteps: [b] });
    expect(set.reportSources().map((s) => s.name)).toEqual(['fake zoom', 'graph']);
    expect(set.closeOutSteps()).toEqual([a, b]);
  });

  it('scopes an event by its own platform\'s module, and to no organization otherwise', async () => {
    const set = createPlatformSet();
    set.add('zoom', { organizationOf: async (e) => (e.accountId === 'installed' ? 'org-1' : null) });
    set.add('teams', {});
    expect(await set.organizationOf(event('zoom', 'installed'))).toBe('org-1');
    expect(await set.organizationOf(event('zoom', 'other'))).toBeNull();
    expect(await set.organizationOf(event('teams', 'installed'))).toBeNull();
  });

  it('refuses a module attached twice', () => {
    const set = createPlatformSet();
    set.add('zoom', {});
    expect(() => set.add('zoom', {})).toThrow(/attached twice/);
  });

  it('retries every module\'s stored deliveries and waits for all of them to be idle', async () => {
    const done: string[] = [];
    const set = createPlatformSet();
    set.add('slack', { retryStoredDeliveries: async () => void done.push('slack retry'), idle: async () => void done.push('slack idle') });
    set.add('zoom', {});
    set.add('teams', { retryStoredDeliveries: async () => void done.push('teams retry') });
    await set.retryStoredDeliveries();
    await set.idle();
    expect(done).toEqual(['slack retry', 'teams retry', 'slack idle']);
  });
});
