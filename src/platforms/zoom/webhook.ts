import type { Logger } from 'pino';
import type { PresenceEvent } from '../../core/presence-event.js';
import { isDatabaseUnavailable } from '../../db/database-unavailable.js';
import type { ZoomAccountKey } from './account-key.js';
import { cleanPayloadStrings } from './clean-payload.js';
import { normalizeZoomEvent, type ZoomPayloadIssue } from './normalize.js';
import { answerUrlValidation } from './url-validation.js';
import { verifyZoomSignature, ZOOM_SIGNATURE_HEADER, ZOOM_TIMESTAMP_HEADER } from './verify.js';

/** A signed delivery Rollcall cannot use, to be kept as a dead letter (services/dead-letters.ts). */
export interface UnusableDelivery {
  event: string | null;
  /** Field paths and schema messages, never values. */
  reason: string;
  rawBody: Buffer;
  /** Zoom's account id when the body named one (the store keeps only its keyed hash). */
  accountId: string | null;
}

export interface ZoomWebhookDeps {
  secrets: string[];
  log: Logger;
  nowMs(): number;
  /** Stores the facts durably; resolves only once they are. */
  ingest(events: PresenceEvent[]): Promise<{ stored: number; duplicates: number }>;
  /** Signed deliveries that are not meeting presence (deauthorization, chatbot, recordings); null when not handled. */
  onAppEvent?(event: string, envelope: unknown, log: Logger): Promise<AppEventAnswer | null>;
  /** The keyed hash stored in place of a Zoom account id. */
  accountKey: ZoomAccountKey;
  /** Keeps an unusable signed delivery; resolves only once it is stored. */
  storeDeadLetter(delivery: UnusableDelivery): Promise<void>;
}

/** What an app event handler answers: a response, or the reasons the payload is unusable. */
export type AppEventAnswer = WebhookResponse | { invalid: ZoomPayloadIssue[] };

export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

// 5xx bodies say nothing about the failure: details go to the log only.
// Retry-After as the rest of the app answers while the database is away (http/error-answer.ts).
const UNAVAILABLE: WebhookResponse = { status: 503, headers: { 'retry-after': '5' }, body: { error: { code: 'unavailable', message: 'temporarily unavailable, please retry' } } };
const INTERNAL: WebhookResponse = { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };

const header = (headers: WebhookRequest['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Zoom's event notifications: verify over the raw bytes, answer URL validation, store presence
 * facts, and only then 200. Anything signed is answered 2xx once it is stored: facts, or a dead
 * letter for a body we cannot use (Zoom would otherwise retry it three times, drop it, and may
 * disable the subscription). Only a storage failure is a 5xx (503 while the database is away),
 * so that Zoom retries.
 */
export async function handleZoomWebhook(request: WebhookRequest, deps: ZoomWebhookDeps): Promise<WebhookResponse> {
  const verdict = verifyZoomSignature({
    rawBody: request.rawBody,
    signature: header(request.headers, ZOOM_SIGNATURE_HEADER),
    timestamp: header(request.headers, ZOOM_TIMESTAMP_HEADER),
    secrets: deps.secrets,
    nowMs: deps.nowMs(),
  });
  if (!verdict.ok) {
    deps.log.warn({ reason: verdict.reason, configured: deps.secrets.length > 0 }, 'zoom webhook refused');
    return { status: 401, body: { error: { code: 'unauthorized', message: 'invalid signature' } } };
  }
  try {
    return await handleSignedDelivery(request.rawBody, deps.secrets[verdict.secretIndex]!, deps);
  } catch (error) {
    const unavailable = isDatabaseUnavailable(error);
    deps.log.error({ err: error, unavailable }, 'zoom webhook not stored');
    return unavailable ? UNAVAILABLE : INTERNAL;
  }
}

async function handleSignedDelivery(rawBody: Buffer, secret: string, deps: ZoomWebhookDeps): Promise<WebhookResponse> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    // JSON.parse's message quotes the body: the reason must not.
    return keepDeadLetter(deps, { event: null, reason: 'body: not valid JSON', rawBody, accountId: null });
  }
  const envelope = cleanPayloadStrings(parsed);
  const event = readString(envelope, 'event');
  const accountId = readAccountId(envelope);
  const unusable = (issues: ZoomPayloadIssue[]) => keepDeadLetter(deps, { event, reason: describeIssues(issues), rawBody, accountId });

  if (event === 'endpoint.url_validation') {
    const plainToken = (parsed as { payload?: { plainToken?: unknown } }).payload?.plainToken;
    if (typeof plainToken !== 'string' || plainToken.length === 0) return unusable([{ path: 'payload.plainToken', message: 'required' }]);
    return { status: 200, body: answerUrlValidation(plainToken, secret) };
  }
  if (event && deps.onAppEvent) {
    const answer = await deps.onAppEvent(event, envelope, deps.log);
    if (answer && 'invalid' in answer) return unusable(answer.invalid);
    if (answer) return answer;
  }
  const normalized = normalizeZoomEvent(envelope);
  if (normalized.type === 'invalid') return unusable(normalized.issues);
  if (normalized.type === 'ignored') return { status: 200, body: { status: 'ignored' } };
  const events = normalized.events.map((e) => ({ ...e, accountId: e.accountId ? deps.accountKey(e.accountId) : undefined }));
  const result = await deps.ingest(events);
  return { status: 200, body: { status: result.stored > 0 ? 'stored' : 'duplicate' } };
}

async function keepDeadLetter(deps: ZoomWebhookDeps, delivery: UnusableDelivery): Promise<WebhookResponse> {
  await deps.storeDeadLetter(delivery);
  deps.log.warn({ event: delivery.event, reason: delivery.reason, accountKey: delivery.accountId ? deps.accountKey(delivery.accountId) : null }, 'zoom webhook unusable: kept as a dead letter');
  return { status: 200, body: { status: 'dead_letter' } };
}

function describeIssues(issues: ZoomPayloadIssue[]): string {
  if (issues.length === 0) return 'payload: not usable';
  return issues.map((issue) => `${issue.path || 'body'}: ${issue.message}`).join('; ');
}

function readString(value: unknown, key: string): string | null {
  const found = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof found === 'string' && found !== '' ? found : null;
}

/** Meeting events say `account_id`, chatbot events `accountId`. */
function readAccountId(envelope: unknown): string | null {
  const payload = typeof envelope === 'object' && envelope !== null ? (envelope as { payload?: unknown }).payload : undefined;
  return readString(payload, 'account_id') ?? readString(payload, 'accountId');
}
