import type { Activity, TurnContext } from 'botbuilder';
import { isDatabaseUnavailable } from '../../db/database-unavailable.js';
import type { PlainHandler, PlainRequest, PlainResponse } from '../module.js';
import type { RollcallTeamsAdapter } from './adapter.js';
import { cleanActivityStrings } from './normalize.js';

/** An answer the handler chose (a refusal, "retry later"); its message is ours and safe to send. */
export class TeamsAnswer extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The handler failed; the cause is for the log only. */
export class TeamsTurnFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('activity handling failed');
  }
}

const RETRY_AFTER_SECONDS = '5';

/** The status and the generic body for an error: internals (SQL, paths, ports) never leave the server. */
function answerFor(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof TeamsAnswer) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof TeamsTurnFailure) {
    return isDatabaseUnavailable(error.cause)
      ? { status: 503, code: 'unavailable', message: 'temporarily unavailable; retry later' }
      : { status: 500, code: 'internal', message: 'internal error' };
  }
  // Anything else failed before the handler ran, in botbuilder's authentication: its
  // AuthenticationError (a statusCode; 500 when the signing keys could not be fetched, so the sender
  // retries) or jsonwebtoken's errors (a bad signature, an expired token), which botbuilder lets
  // through and CloudAdapter would answer 500.
  const { statusCode, name } = (error ?? {}) as { statusCode?: unknown; name?: unknown };
  const unauthorized = { status: 401, code: 'unauthorized', message: 'a valid Bot Framework token is required' };
  if (typeof statusCode === 'number') return statusCode < 500 ? unauthorized : { status: 503, code: 'unavailable', message: 'temporarily unavailable; retry later' };
  if (name === 'JsonWebTokenError' || name === 'TokenExpiredError' || name === 'NotBeforeError') return unauthorized;
  return { status: 500, code: 'internal', message: 'internal error' };
}

// What CloudAdapter.process does to a parsed body before a turn (botbuilder's validateAndFixActivity).
function activityOf(body: Record<string, unknown>): Activity {
  const activity = cleanActivityStrings(body) as Record<string, unknown>;
  for (const field of ['timestamp', 'expiration', 'localTimestamp'] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[`raw${field[0]!.toUpperCase()}${field.slice(1)}`] = value;
      activity[field] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}

/** The body as express.json would read it (JSON, UTF-8); otherwise the answer it would give. */
function readJsonBody(request: PlainRequest): { body: unknown } | { answer: PlainResponse } {
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  if (!/^application\/(?:[\w.+-]+\+)?json\b/.test(contentType)) return { body: undefined };
  const charset = /charset=["']?([\w-]+)/.exec(contentType)?.[1];
  if (charset && charset !== 'utf-8' && charset !== 'utf8') return { answer: { status: 415, body: { error: { code: 'unsupported_charset', message: 'body: unsupported charset (send UTF-8)' } } } };
  try {
    return { body: JSON.parse(request.rawBody.toString('utf8')) };
  } catch {
    return { answer: { status: 400, body: { error: { code: 'invalid_json', message: 'body: not valid JSON' } } } };
  }
}

/**
 * POST /api/messages, a plain handler. The adapter authenticates and runs the turn; every answer
 * but success is written here, so that botbuilder's habit of sending the thrown error's message as
 * the body never reaches a caller, and a database outage answers 503 (Teams retries) rather than 500.
 */
export function createInboundRoute(deps: { adapter: RollcallTeamsAdapter; handle(context: TurnContext): Promise<void> }): PlainHandler {
  const { adapter } = deps;
  return async (request) => {
    const read = readJsonBody(request);
    if ('answer' in read) return read.answer;
    const { body } = read;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
      return { status: 400, body: { error: { code: 'invalid_activity', message: 'the body must be a Bot Framework activity' } } };
    }
    const activity = activityOf(body as Record<string, unknown>);
    try {
      const authorization = request.headers.authorization;
      const invokeResponse = await adapter.authenticateAndRun(typeof authorization === 'string' ? authorization : '', activity, deps.handle);
      return { status: invokeResponse?.status ?? 200, body: invokeResponse?.body };
    } catch (error) {
      const answer = answerFor(error);
      const cause = error instanceof TeamsTurnFailure ? error.cause : error;
      const fields = { activityId: activity.id, type: activity.type, status: answer.status, code: answer.code };
      if (answer.status >= 500) request.log.error({ ...fields, err: cause }, 'teams activity not handled');
      else request.log.warn({ ...fields, reason: error instanceof Error ? error.message : undefined }, 'teams activity refused');
      return {
        status: answer.status,
        ...(answer.status === 503 ? { headers: { 'retry-after': RETRY_AFTER_SECONDS } } : {}),
        body: { error: { code: answer.code, message: answer.message } },
      };
    }
  };
}
