/**
 * The entry of the short-lived process that applies migrations (migrations-in-child.ts): the schema
 * engine's WebAssembly stays in this process and is gone when it exits. Reads the database URL from
 * its environment, prints the applied migration names as one JSON line on stdout.
 */
import { createLogger } from '../logger.js';
import { applyMigrations } from './migrations.js';

const url = process.env.ROLLCALL_MIGRATE_URL;
if (!url) {
  process.stderr.write('ROLLCALL_MIGRATE_URL is not set\n');
  process.exit(2);
}
// Its log lines go to stderr, which the parent passes through to its own.
const log = createLogger(process.env.LOG_LEVEL ?? 'info', process.stderr);
applyMigrations(url, log).then(
  (names) => process.stdout.write(`${JSON.stringify({ applied: names })}\n`),
  (error: unknown) => {
    log.error({ err: error }, 'migrations failed');
    process.exitCode = 1;
  },
);
