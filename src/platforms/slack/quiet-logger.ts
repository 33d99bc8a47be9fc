import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Slack's SDKs (Bolt, the Web API client) log request and response bodies at debug and info level,
 * and those carry participants' messages and labels: only their warnings and errors reach our log,
 * as a message string.
 */
export function quietSlackLogger(log: Logger, component: string): SlackLogger {
  const child = log.child({ component });
  const line = (parts: unknown[]) => parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : '')).join(' ').slice(0, 300);
  return {
    debug: () => {},
    info: () => {},
    warn: (...parts: unknown[]) => child.warn(line(parts)),
    error: (...parts: unknown[]) => child.error(line(parts)),
    setLevel: () => {},
    getLevel: () => LogLevel.WARN,
    setName: () => {},
  };
}
