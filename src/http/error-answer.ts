import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import { isPrismaError } from '../db/prisma-errors.js';
import { ServiceError } from '../services/service-error.js';
import { ApiError } from './api-error.js';

const SERVICE_STATUS = { invalid_input: 400, not_found: 404, conflict: 409 } as const;

/** Seconds a client is asked to wait while the database is away: platforms retry, browsers reload. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * body-parser's refusals (http-errors with a 4xx status and a `type`), named for the client. Their
 * own messages are not echoed: a zlib message says nothing useful and the rule is one body shape.
 */
const BODY_ERRORS: Record<string, { code: string; message: string }> = {
  'entity.parse.failed': { code: 'invalid_json', message: 'body: not valid JSON' },
  'entity.too.large': { code: 'too_large', message: 'body: too large' },
  'charset.unsupported': { code: 'unsupported_charset', message: 'body: unsupported charset (send UTF-8)' },
  'encoding.unsupported': { code: 'unsupported_encoding', message: 'body: unsupported content-encoding (send identity, gzip, deflate or br)' },
  'parameters.too.many': { code: 'too_many_parameters', message: 'body: too many form fields' },
  'request.aborted': { code: 'aborted', message: 'body: the request was aborted' },
  'request.size.invalid': { code: 'invalid_body', message: 'body: its size did not match content-length' },
};

const GENERIC_5XX = { code: 'internal', message: 'internal error' };
const UNAVAILABLE = { code: 'unavailable', message: 'temporarily unavailable; try again shortly' };

/**
 * What a failed request answers. A 5xx never carries the error's own words (they may hold SQL,
 * source paths or ports): those go to the log only. A database that cannot be reached is 503 with
 * Retry-After, so platforms retry and nothing looks acknowledged.
 */
export function toApiError(error: unknown): ApiError {
  const answer = classifyError(error);
  if (answer.status === 503) return new ApiError(503, UNAVAILABLE.code, UNAVAILABLE.message);
  if (answer.status >= 500) return new ApiError(answer.status, GENERIC_5XX.code, GENERIC_5XX.message);
  return answer;
}

function classifyError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ServiceError) return new ApiError(SERVICE_STATUS[error.kind], error.kind, error.message, error.details);
  if (isDatabaseUnavailable(error)) return new ApiError(503, UNAVAILABLE.code, UNAVAILABLE.message);
  const httpError = error as { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof httpError?.status === 'number' && httpError.status >= 400 && httpError.status < 500 && httpError.expose === true) {
    const known = typeof httpError.type === 'string' ? BODY_ERRORS[httpError.type] : undefined;
    // A decompression failure (a corrupt gzip or br body) reaches us as zlib's error with status 400 and no type.
    return new ApiError(httpError.status, known?.code ?? 'invalid_body', known?.message ?? 'body: could not be read (is the content-encoding right?)');
  }
  if (isPrismaError(error, 'P2002')) return new ApiError(409, 'conflict', 'a record with these values already exists');
  if (isPrismaError(error, 'P2025')) return new ApiError(404, 'not_found', 'not found');
  return new ApiError(500, GENERIC_5XX.code, GENERIC_5XX.message);
}
