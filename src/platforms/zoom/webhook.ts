import type { Logger } from 'pino';
import type { PresenceEvent } from '../../core/presence-event.js';
import { normalizeZoomEvent } from './normalize.js';
import { answerUrlValidation } from './url-validation.js';
import { verifyZoomSignature, ZOOM_SIGNATURE_HEADER, ZOOM_TIMESTAMP_HEADER } from './verify.js';

export interface ZoomWebhookDeps {
  secrets: string[];
  log: Logger;
  nowMs(): number;
  /** Stores the facts durably; resolves only once they are. */
  ingest(events: PresenceEvent[]): Promise<{ stored: number; duplicates: number }>;
  /** Signed deliveries that are not meeting presence (deauthorization, chatbot, recordings); null when not handled. */
  onAppEvent?(event: string, envelope: unknown, log: Logger): Promise<WebhookResponse | null>;
}

export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface WebhookResponse {
  status: number;
  body: unknown;
}

const header = (headers: WebhookRequest['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Zoom's event notifications: verify over the raw bytes, answer URL validation, store presence
 * facts, and only then 200. A storage failure is a 5xx so that Zoom retries; a well-signed
 * event we do not use is a 200 so that it does not.
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
  let envelope: unknown;
  try {
    envelope = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return { status: 400, body: { error: { code: 'invalid_json', message: 'body: not valid JSON' } } };
  }
  const event = (envelope as { event?: unknown })?.event;
  if (event === 'endpoint.url_validation') {
    const plainToken = (envelope as { payload?: { plainToken?: unknown } }).payload?.plainToken;
    if (typeof plainToken !== 'string' || plainToken.length === 0) {
      return { status: 400, body: { error: { code: 'invalid_input', message: 'payload.plainToken: required' } } };
    }
    return { status: 200, body: answerUrlValidation(plainToken, deps.secrets[verdict.secretIndex]!) };
  }
  if (typeof event === 'string' && deps.onAppEvent) {
    const answer = await deps.onAppEvent(event, envelope, deps.log);
    if (answer) return answer;
  }
  const normalized = normalizeZoomEvent(envelope);
  if (normalized.type === 'invalid') {
    deps.log.warn({ event, issues: normalized.issues.map((i) => i.path) }, 'zoom webhook malformed');
    const first = normalized.issues[0];
    return { status: 400, body: { error: { code: 'invalid_input', message: first ? `${first.path}: ${first.message}` : 'invalid', details: normalized.issues } } };
  }
  if (normalized.type === 'ignored') return { status: 200, body: { status: 'ignored' } };
  const result = await deps.ingest(normalized.events);
  return { status: 200, body: { status: result.stored > 0 ? 'stored' : 'duplicate' } };
}
