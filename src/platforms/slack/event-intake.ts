import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Db } from '../../db/database.js';
import {
  completeStoredDelivery,
  failStoredDelivery,
  pruneDeliveries,
  storeDelivery,
  takeDueDeliveries,
  type StoredDelivery,
} from '../../services/inbound-deliveries.js';
import { errorCodeOf, isOutage } from './bolt-errors.js';
import { isSignedBySlack } from './verify.js';
import type { PlainHandler } from '../module.js';

/** An Events API delivery: the envelope around one event. */
export interface SlackEventEnvelope {
  type: 'event_callback';
  event_id: string;
  team_id?: string;
  event: { type: string; bot_id?: string };
}

export interface SlackEventIntakeDeps {
  signingSecret: string;
  prisma: Db;
  box: SecretBox;
  clock: Clock;
  log: Logger;
  /** Works one stored event (Bolt's listeners); rejects when the work did not get done. */
  processEvent(envelope: SlackEventEnvelope): Promise<void>;
}

export interface SlackEventIntake {
  /** In front of Bolt on POST /slack/events: answers Events API deliveries, passes anything else on (null). */
  handle: PlainHandler;
  /** Works stored events whose attempt failed or whose process died (the minute job calls it). */
  retryDue(): Promise<void>;
  /** Resolves when the events being worked now are done. */
  idle(): Promise<void>;
}

const UNAVAILABLE = { error: { code: 'unavailable', message: 'temporarily unavailable, try again' } };
const PRUNE_EVERY = 500;
// Slack's payloads are a few kilobytes; a modal's state is the largest.
export const SLACK_BODY_LIMIT = '1mb';

/**
 * Events API deliveries are stored before they are acknowledged: verify the signature over the raw
 * body, store the event (sealed, keyed by event_id) in one INSERT, answer 200, then work it from the
 * stored row. Slack never retries a 200, so nothing is acknowledged that is not stored; while the
 * database is away the answer is 503 and Slack retries. A retry of a stored event is answered 200
 * and not worked again. Interactivity, slash commands and url_verification pass through to Bolt.
 */
export function createSlackEventIntake(deps: SlackEventIntakeDeps): SlackEventIntake {
  const { prisma, box, clock, log } = deps;
  const running = new Set<Promise<void>>();
  let stores = 0;
  const sealingContext = (eventId: string) => `slack-event:${eventId}`;

  async function work(delivery: StoredDelivery): Promise<void> {
    const ids = { eventId: delivery.deliveryId, attempt: delivery.attempts };
    try {
      const envelope = JSON.parse(box.open(delivery.payload, sealingContext(delivery.deliveryId))) as SlackEventEnvelope;
      await deps.processEvent(envelope);
      await completeStoredDelivery(prisma, delivery, clock.now());
    } catch (error) {
      const code = errorCodeOf(error);
      // While the database is away this write fails too: the lease then runs out and the sweep retries.
      const outcome = await failStoredDelivery(prisma, delivery, code, clock.now()).catch(() => null);
      if (outcome?.gaveUp) log.error({ ...ids, code }, 'slack event failed too often: left as a failure');
      else log.warn({ ...ids, code }, 'slack event failed; it will be retried from storage');
    }
  }

  const start = (delivery: StoredDelivery) => {
    const job = work(delivery).finally(() => running.delete(job));
    running.add(job);
  };

  const handle: PlainHandler = async (request) => {
    const rawBody = request.rawBody.toString('utf8');
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const signed = isSignedBySlack({
      rawBody,
      signature: header('x-slack-signature'),
      timestamp: header('x-slack-request-timestamp'),
      signingSecret: deps.signingSecret,
      nowMs: Date.now(),
    });
    if (!signed) {
      log.warn('slack request refused: bad or stale signature');
      return { status: 401 };
    }
    const envelope = eventEnvelopeOf(rawBody, header('content-type'));
    // Interactivity, slash commands and url_verification: Bolt's.
    if (!envelope) return null;
    // Our own replies in a DM come back as events; nothing listens to them.
    if (envelope.event.bot_id) return { status: 200 };
    const now = clock.now();
    try {
      stores += 1;
      if (stores % PRUNE_EVERY === 1) await pruneDeliveries(prisma, 'slack', now);
      const result = await storeDelivery(prisma, 'slack', envelope.event_id, box.seal(rawBody, sealingContext(envelope.event_id)), now);
      if (result === 'duplicate') log.info({ eventId: envelope.event_id, retry: header('x-slack-retry-num') ?? null }, 'slack event already stored');
      // Stored: worked from the row, after the answer is on its way.
      else start(result.stored);
      return { status: 200 };
    } catch (error) {
      if (!isOutage(error)) throw error;
      log.warn({ eventId: envelope.event_id, code: errorCodeOf(error) }, 'slack event not stored: database unavailable; Slack will retry');
      return { status: 503, body: UNAVAILABLE };
    }
  };

  return {
    handle,
    async retryDue() {
      for (const delivery of await takeDueDeliveries(prisma, 'slack', clock.now())) await work(delivery);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/** The envelope when the body is an Events API delivery with an event id; null for anything else. */
function eventEnvelopeOf(rawBody: string, contentType: string | undefined): SlackEventEnvelope | null {
  if (!contentType?.startsWith('application/json')) return null;
  try {
    const body = JSON.parse(rawBody) as Partial<SlackEventEnvelope> | null;
    if (body?.type !== 'event_callback' || typeof body.event_id !== 'string' || !body.event_id || typeof body.event?.type !== 'string') return null;
    return body as SlackEventEnvelope;
  } catch {
    return null;
  }
}
