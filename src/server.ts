import { ConfigError, loadConfig } from './config/config.ts';
import { ReferenceDataError } from './reference-data/load-reference-data.ts';
import { services as buildServices } from './services/index.ts';
import { createApp } from './web/app.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const services = buildServices(config);
  await services.migrate();
  const app = await createApp(services);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // Stop accepting connections, let in-flight requests finish, then release the database.
    app
      .close()
      .then(() => services.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => {
    shutdown('SIGTERM');
  });
  process.once('SIGINT', () => {
    shutdown('SIGINT');
  });

  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Bluelight ready at ${config.baseUrl} (database: ${config.database.dialect})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ReferenceDataError) {
    process.stderr.write(`bluelight: ${error.message}\n`);
  } else {
    process.stderr.write(
      `bluelight: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
