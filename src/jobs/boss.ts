import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

export type Boss = PgBoss;

/** pg-boss on the app's own database, in schema `pgboss` (its tables come from pg-boss's own migrations). */
export async function startBoss(url: string, log: Logger): Promise<Boss> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 5 });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  await boss.start();
  return boss;
}
