import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';

/**
 * PostgreSQL channel carrying `{organizationId, sessionId}` after each session evaluation commits:
 * the evaluator queues the NOTIFY in its transaction (with its session update), and PostgreSQL
 * delivers it only at commit, to every instance listening, so a dashboard on any instance hears it.
 */
export const SESSION_EVALUATED_CHANNEL = 'rollcall_session_evaluated';

export interface SessionEvaluated {
  organizationId: string;
  sessionId: string;
}

export interface DashboardLiveFeed {
  /** Calls `listener` for each evaluation of the organization's sessions, and with null after a reconnect (something may have been missed). */
  subscribe(organizationId: string, listener: (event: SessionEvaluated | null) => void): () => void;
  close(): Promise<void>;
}

/** One LISTEN connection per instance, fanned out in memory to the dashboard's open event streams. */
export async function startDashboardLiveFeed(databaseUrl: string, log: Logger): Promise<DashboardLiveFeed> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel !== SESSION_EVALUATED_CHANNEL || !message.payload) return;
      try {
        const event = JSON.parse(message.payload) as SessionEvaluated;
        emitter.emit(event.organizationId, event);
      } catch {
        log.warn('unreadable session notification');
      }
    });
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = undefined;
      if (error) log.warn({ err: error }, 'session event listener lost its connection');
      next.end().catch(() => {});
      scheduleReconnect();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${SESSION_EVALUATED_CHANNEL}`);
    } catch (error) {
      if (client === next) client = undefined;
      next.end().catch(() => {});
      throw error;
    }
  };
  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (closed) return;
      connect().then(
        // Whatever was notified while disconnected is lost: tell every stream to refresh.
        () => {
          for (const name of emitter.eventNames()) emitter.emit(name, null);
        },
        (error: unknown) => {
          log.warn({ err: error }, 'session event listener could not reconnect');
          scheduleReconnect();
        },
      );
    }, 1000);
    retryTimer.unref();
  };
  await connect();

  return {
    subscribe(organizationId, listener) {
      emitter.on(organizationId, listener);
      return () => emitter.off(organizationId, listener);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      emitter.removeAllListeners();
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
