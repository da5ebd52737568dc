import { ConfigError, loadConfig } from './config/config.ts';
import { ReferenceDataError } from './reference-data/load-reference-data.ts';
import { services as buildServices } from './services/index.ts';
import { confirmationEmailHandler } from './services/email/confirmation-email.ts';
import { logEmailSender } from './services/email/email-sender.ts';
import { createOutboxWorker } from './services/outbox-worker.ts';
import { createApp } from './web/app.ts';
import { createTranslator } from './web/plugins/i18n.ts';

const SESSION_PURGE_MS = 60 * 60 * 1000;

async function main(): Promise<void> {
  const config = loadConfig();
  const services = buildServices(config);
  await services.migrate();
  const app = await createApp(services);

  // Background work: the outbox (confirmation emails) and expired-session clean-up.
  const translator = await createTranslator();
  const email = logEmailSender(app.log);
  const worker = createOutboxWorker(
    services.database.db,
    services.database.dialect,
    services.clock,
    {
      'confirmation-email': confirmationEmailHandler(
        email,
        (lng, key, vars) => translator[lng](key, vars),
        config.baseUrl,
      ),
    },
    app.log,
  ).start();
  const purge = setInterval(() => {
    services.sessions.purgeExpired().catch((error: unknown) => {
      app.log.error({ err: error }, 'session clean-up failed');
    });
  }, SESSION_PURGE_MS);
  purge.unref();

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // Stop accepting connections, let in-flight requests finish, then release the database.
    clearInterval(purge);
    app
      .close()
      .then(() => worker.stop())
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
