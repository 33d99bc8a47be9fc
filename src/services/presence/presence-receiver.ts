import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { PresenceEvent } from '../../core/presence-event.js';
import type { Db } from '../../db/database.js';
import type { SessionEvaluator } from '../session-evaluator.js';
import { createSessionLookup, type SessionLookup } from './session-lookup.js';
import { storePresence, type StoreResult } from './store-presence.js';

export type ReceiveResult = StoreResult;

export interface PresenceReceiverDeps {
  prisma: Db;
  log: Logger;
  /** Stamps each fact's arrival, so a backlog can be told from a live stream. */
  clock: Clock;
  evaluator: Pick<SessionEvaluator, 'evaluateSoon'>;
  /** The tenant an event is scoped to (its platform module's say); null: no installation, so the first organization. */
  organizationOf(event: PresenceEvent): Promise<string | null>;
  /** The deployment's first organization (the admin token's): where facts with no installation belong. */
  firstOrganizationId: string;
  /** Which session an event belongs to; createSessionLookup's (briefly remembered) by default. */
  lookup?: SessionLookup;
}

/**
 * The one way presence enters Rollcall, whatever the platform: facts are stored (resolving only
 * once they are, so a webhook may then answer 2xx), then every session they touched is evaluated
 * soon, off the request path.
 */
export function createPresenceReceiver(deps: PresenceReceiverDeps): (events: PresenceEvent[]) => Promise<ReceiveResult> {
  const lookup = deps.lookup ?? createSessionLookup(deps.prisma);
  return async function receive(events) {
    const result = await storePresence({ ...deps, lookup }, events);
    for (const sessionId of result.sessionIds) deps.evaluator.evaluateSoon(sessionId);
    return result;
  };
}
