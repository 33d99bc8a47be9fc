import { isDatabaseUnavailable } from '../../db/database-unavailable.js';

/**
 * Bolt wraps what a listener or `authorize` threw (UnknownError and AuthorizationError keep it as
 * `original`, MultipleListenerError as `originals`): the error and everything it wraps.
 */
export function boltErrorChain(error: unknown, depth = 0): unknown[] {
  if (typeof error !== 'object' || error === null || depth > 3) return [error];
  const e = error as { original?: unknown; originals?: unknown };
  const inner = [...(e.original === undefined ? [] : [e.original]), ...(Array.isArray(e.originals) ? e.originals : [])];
  return [error, ...inner.flatMap((i) => boltErrorChain(i, depth + 1))];
}

/** The database could not be reached, wherever in Bolt's wrapping that was said. */
export function isOutage(error: unknown): boolean {
  return boltErrorChain(error).some((e) => isDatabaseUnavailable(e));
}

/** A code for logs and InboundDelivery.lastError: never a message, which could quote a participant. */
export function errorCodeOf(error: unknown): string {
  const chain = boltErrorChain(error);
  const inner = chain[chain.length - 1] as { code?: unknown; name?: unknown } | null | undefined;
  const code = inner && typeof inner === 'object' && typeof inner.code === 'string' ? inner.code : undefined;
  const name = inner && typeof inner === 'object' && typeof inner.name === 'string' ? inner.name : 'Error';
  return (isOutage(error) ? `database_unavailable:${code ?? name}` : (code ?? name)).slice(0, 100);
}

/**
 * A Slack call made after the press or command is durably handled (editing the message, opening a
 * picker): its failure is logged, not answered 5xx, since a 5xx would tell Slack, and the person,
 * that nothing was done.
 */
export async function callSlackAfterDurableWork(log: { warn(obj: object, msg: string): void }, method: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    log.warn({ method, code: errorCodeOf(error), slackError: (error as { data?: { error?: unknown } }).data?.error }, 'slack call after the work failed');
  }
}
