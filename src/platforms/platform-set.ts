import type { Platform, PresenceEvent } from '../core/presence-event.js';
import { DeliveryError, type Notifier } from '../services/notifier.js';
import type { ParticipantMessenger } from '../services/participant-messenger.js';
import type { AttendanceReportSource } from '../services/reconciliation.js';
import type { CloseOutStep } from '../services/session-close-out.js';
import type { ModuleName, PlatformCapabilities } from './module.js';

/** Capabilities that stand in for a platform's own (tests, the demo's console channel). */
export interface StandIns {
  notifiers?: Partial<Record<Platform, Notifier>>;
  messengers?: Partial<Record<Platform, ParticipantMessenger>>;
  reportSources?: AttendanceReportSource[];
}

export interface PlatformSet {
  add(name: ModuleName, capabilities: PlatformCapabilities): void;
  /** Attached modules in registry order, with what each offers. */
  readonly attached: readonly { name: ModuleName; capabilities: PlatformCapabilities }[];
  /** The platform's notifier; the console module's for a platform without one. */
  notifierFor(platform: Platform): Notifier;
  messengerFor(platform: Platform): ParticipantMessenger | undefined;
  reportSources(): AttendanceReportSource[];
  closeOutSteps(): CloseOutStep[];
  organizationOf(event: PresenceEvent): Promise<string | null>;
  retryStoredDeliveries(): Promise<void>;
  idle(): Promise<void>;
}

/**
 * The modules attached to one running Rollcall. Lookups read the set when they are made; nothing
 * is served before every module has attached (the server listens last).
 */
export function createPlatformSet(standIns: StandIns = {}): PlatformSet {
  const attached: { name: ModuleName; capabilities: PlatformCapabilities }[] = [];
  const of = (name: ModuleName) => attached.find((a) => a.name === name)?.capabilities;
  const all = <T>(pick: (c: PlatformCapabilities) => T | undefined) => attached.flatMap((a) => (pick(a.capabilities) === undefined ? [] : [pick(a.capabilities)!]));
  return {
    attached,
    add(name, capabilities) {
      if (of(name)) throw new Error(`platform module ${name} attached twice`);
      attached.push({ name, capabilities });
    },
    notifierFor: (platform) => standIns.notifiers?.[platform] ?? of(platform)?.notifier ?? of('console')?.notifier ?? refuse(platform),
    messengerFor: (platform) => standIns.messengers?.[platform] ?? of(platform)?.messenger,
    reportSources() {
      const given = standIns.reportSources ?? [];
      return [...given, ...all((c) => c.reportSource).filter((source) => !given.some((g) => g.platform === source.platform))];
    },
    closeOutSteps: () => attached.flatMap((a) => a.capabilities.closeOutSteps ?? []),
    async organizationOf(event) {
      return (await of(event.platform)?.organizationOf?.(event)) ?? null;
    },
    async retryStoredDeliveries() {
      for (const retry of all((c) => c.retryStoredDeliveries)) await retry();
    },
    async idle() {
      await Promise.all(all((c) => c.idle).map((idle) => idle()));
    },
  };
}

/** No module here can post to the platform: the delivery fails for good (its state says why). */
function refuse(platform: Platform): Notifier {
  const fail = async (): Promise<never> => {
    throw new DeliveryError(`${platform}: no chat module is attached for this platform`, false);
  };
  return { post: fail, update: fail };
}
