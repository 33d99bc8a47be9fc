/**
 * A request a service refuses: the caller (admin API, chat adapter) decides how to say so. Kept
 * here so that services never depend on the HTTP layer; src/http/app.ts maps it to 400/404/409.
 */
export class ServiceError extends Error {
  constructor(
    readonly kind: 'invalid_input' | 'not_found' | 'conflict',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
