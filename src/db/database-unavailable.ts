/**
 * Whether an error means the database could not be reached or dropped the connection, as opposed to
 * a query it refused. Inbound routes answer such errors with 503 so that the platform retries;
 * nothing was stored, so nothing may be acknowledged.
 *
 * Errors arrive in several shapes: Prisma's known request errors (P1001 and friends, or the driver
 * adapter's error kind in `meta`), raw `pg` errors from pg-boss and LISTEN clients (socket codes,
 * SQLSTATE class 08 and the shutdown codes 57P01–57P03), and pg's plain "Connection terminated".
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);
const SHUTDOWN_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES = /connection terminated|connection timeout|server closed the connection|can't reach database server|terminating connection|the database system is (starting up|shutting down|in recovery mode)/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } }; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SHUTDOWN_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  const kind = e.meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  // AggregateError (several connection attempts) and wrapped causes.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
