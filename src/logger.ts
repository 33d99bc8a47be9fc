import pino, { type Logger } from 'pino';

/**
 * Logs carry ids, never names, emails or message text (DESIGN.md, "Care and safety"). The redact
 * list is a net under that rule for fields that slip into a logged object, not a licence to log them.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'rollcall' },
      // Driver errors carry their client object (connection settings, queues): keep what identifies the error.
      serializers: {
        err: (error: { name?: string; message?: string; code?: unknown; stack?: string }) => ({
          type: error?.name,
          message: error?.message,
          code: error?.code,
          stack: error?.stack,
        }),
      },
      redact: {
        paths: ['*.name', '*.email', '*.text', '*.displayName', '*.user_name', 'req.headers.authorization', 'req.headers.cookie'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
