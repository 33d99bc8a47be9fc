import { DeliveryError } from '../../services/notifier.js';

/** A Zoom API or OAuth answer that was not 2xx (or no answer at all: status 0). */
export class ZoomHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** Zoom's numeric error `code` when the body had one (e.g. 3001 meeting does not exist). */
    readonly zoomCode?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(`zoom ${method} ${path}: ${status === 0 ? 'no answer' : `HTTP ${status}${zoomCode ? ` (code ${zoomCode})` : ''}`}`);
  }

  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 408 || this.status >= 500;
  }
}

export interface ZoomRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `Bearer <token>` or `Basic <base64>`. */
  authorization: string;
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * One call to Zoom's REST API or OAuth endpoint with Node's fetch. Answers the parsed JSON (or null
 * for an empty body); throws ZoomHttpError otherwise. Logs nothing: callers log ids.
 */
export async function zoomRequest<T = unknown>(url: string, request: ZoomRequest): Promise<T> {
  const method = request.method ?? 'GET';
  const path = new URL(url).pathname;
  const headers: Record<string, string> = { authorization: request.authorization, accept: 'application/json' };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(request.timeoutMs ?? 10_000), redirect: 'error' });
  } catch {
    throw new ZoomHttpError(method, path, 0);
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    const code = (parsed as { code?: unknown } | null)?.code;
    throw new ZoomHttpError(method, path, response.status, typeof code === 'number' ? code : undefined, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  return parsed as T;
}

export const basicAuth = (clientId: string, clientSecret: string) => `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;

/** The outbox's retry decision for a failed Zoom call: 429 (after Retry-After) and 5xx retry, other 4xx never will. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof ZoomHttpError) {
    const after = error.status === 429 ? Math.max(1, error.retryAfterSeconds ?? 1) : error.retryAfterSeconds;
    return new DeliveryError(error.message, error.retryable, after);
  }
  return new DeliveryError(`zoom: ${String((error as Error)?.message ?? error)}`, true);
}
