import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

export type Boss = PgBoss;

/** pg-boss on the app's own database, in schema `pgboss` (its tables come from pg-boss's own migrations). */
export async function startBoss(url: string, log: Logger): Promise<Boss> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 5 });
  let stopping = false;
  boss.on('stopped', () => (stopping = true));
  // When the server stops, pg-boss's idle connections are terminated: expected, not an error.
  boss.on('error', (error) => (stopping ? log.debug({ err: error }, 'job queue connection closed') : log.error({ err: error }, 'job queue error')));
  const stop = boss.stop.bind(boss);
  boss.stop = (options) => {
    stopping = true;
    return stop(options);
  };
  await boss.start();
  return boss;
}
