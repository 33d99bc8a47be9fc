import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startRollcall } from './rollcall.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`rollcall: configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const started = Date.now();
  const rollcall = await startRollcall({ config, log });
  log.info({ port: rollcall.port, startupMs: Date.now() - started, embedded: !config.databaseUrl }, 'rollcall ready');
  process.stdout.write(`Rollcall is running: dashboard at ${config.publicUrl}/\n`);
  if (config.generatedAdminToken) {
    process.stdout.write(`Admin API token (generated, stored in ${config.dataDir}/secrets.json): ${config.generatedAdminToken}\n`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    rollcall.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`rollcall: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
