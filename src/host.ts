import type { BacklogTiming } from './core/backlog-hold.js';
import type { CareQueues } from './jobs/care-jobs.js';
import type { EngineQueues } from './jobs/engine-jobs.js';
import type { PlatformHost } from './platforms/module.js';
import type { PlatformSet } from './platforms/platform-set.js';
import { createPresenceReceiver } from './services/presence/presence-receiver.js';
import { createSessionEvaluator } from './services/session-evaluator.js';
import { recomputeStrikesForSession } from './services/strikes.js';

export interface HostParts extends Pick<PlatformHost, 'config' | 'log' | 'clock' | 'prisma' | 'box' | 'organizationId'> {
  queues: EngineQueues & CareQueues;
  /** Filled as modules attach; the host's messenger and tenant lookups read it when called. */
  platforms: PlatformSet;
  backlogTiming?: BacklogTiming;
  /** evaluateSoon's debounce window (services/session-evaluator.ts); its default otherwise. */
  evaluationDebounceMs?: number;
}

/**
 * The one object platform modules, services and routes are handed: the database, the clock, the
 * queues, the evaluator and the receive seam. Services take the parts they need of it.
 */
export function createHost(parts: HostParts): PlatformHost {
  const { config, log, clock, prisma, box, organizationId, queues, platforms } = parts;
  const base = {
    config,
    log,
    clock,
    prisma,
    box,
    organizationId,
    enqueueDeliveries: queues.enqueueDeliveries,
    enqueueParticipantMessages: queues.enqueueParticipantMessages,
    messengerFor: platforms.messengerFor,
  };
  const evaluator = createSessionEvaluator({
    ...base,
    scheduleWake: queues.scheduleWake,
    enqueueCloseOut: queues.enqueueCloseOut,
    backlogTiming: parts.backlogTiming,
    debounceMs: parts.evaluationDebounceMs,
    // A web instance keeps its event loop for acknowledgements: instances that work jobs evaluate.
    handOff: config.role === 'web' ? queues.enqueueEvaluation : undefined,
    // A correction of a final record (an excuse, a report merged in, a link) recounts those people's strikes.
    afterFinalAttendanceChanged: (sessionId, participantIds) => recomputeStrikesForSession(base, sessionId, participantIds),
  });
  const receive = createPresenceReceiver({ prisma, log, clock, evaluator, organizationOf: platforms.organizationOf, firstOrganizationId: organizationId });
  return { ...base, evaluator, receive };
}
