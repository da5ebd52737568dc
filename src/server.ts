import { ConfigError, loadConfig } from './config/config.ts';
import { ReferenceDataError } from './reference-data/load-reference-data.ts';
import { services as buildServices } from './services/index.ts';
import { confirmationEmailHandler, updateEmailHandler } from './services/email/victim-emails.ts';
import { logEmailSender, smtpEmailSender } from './services/email/email-sender.ts';
import { createOutboxWorker } from './services/outbox-worker.ts';
import { webhookHandler } from './services/webhooks.ts';
import { publishStixHandler } from './services/sharing.ts';
import { createApp } from './web/app.ts';
import { createTranslator } from './web/plugins/i18n.ts';

const CLEAN_UP_MS = 60 * 60 * 1000;

async function main(): Promise<void> {
  const config = loadConfig();
  const services = buildServices(config);
  await services.migrate();
  const app = await createApp(services);

  // Background work: the outbox (emails to victims, unit notifications), and hourly clean-up of expired
  // sessions and finished per-client limit counters.
  const translator = await createTranslator();
  const email =
    config.smtpUrl === null ? logEmailSender(app.log) : smtpEmailSender(config.smtpUrl, config.emailFrom);
  const translate = (lng: 'en' | 'cy', key: string, vars?: Record<string, string>) =>
    translator[lng](key, vars);
  const worker = createOutboxWorker(
    services.database.db,
    services.database.dialect,
    services.clock,
    {
      'confirmation-email': confirmationEmailHandler(email, translate, config.baseUrl),
      'update-email': updateEmailHandler(email, translate, config.baseUrl),
      'publish-stix': publishStixHandler(services.sharing),
      'victim-support-referral': services.referrals.deliveryHandler(app.log),
      'victim-support-withdrawal': services.referrals.withdrawalHandler(app.log),
      'partner-webhook': webhookHandler(services.database.db, services.partners, services.clock),
      // Units see transferred reports in their queue at once; this records that they were told.
      'unit-notification': (payload) => {
        app.log.info({ notification: payload }, 'unit notified of a transferred report');
        return Promise.resolve();
      },
    },
    app.log,
  ).start();
  const purge = setInterval(() => {
    Promise.all([services.sessions.purgeExpired(), services.clientLimits.purgeFinishedWindows()]).catch(
      (error: unknown) => {
        app.log.error({ err: error }, 'hourly clean-up failed');
      },
    );
  }, CLEAN_UP_MS);
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
