import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config/config.ts';
import { ReferenceDataError } from './reference-data/load-reference-data.ts';
import { services as buildServices } from './services/index.ts';
import { logEmailSender, smtpEmailSender } from './services/email/email-sender.ts';
import {
  jobHandlers,
  runFeedPulls,
  runHousekeeping,
  runNotificationChecks,
  warnBankHolidayCoverage,
} from './services/background-jobs.ts';
import { createOutboxWorker } from './services/outbox-worker.ts';
import pretty from 'pino-pretty';
import { createApp } from './web/app.ts';
import { DEMO_DOMAIN, demoAccountsPresent } from './services/demo/demo.ts';
import { createMetrics, startMetricsServer } from './web/plugins/metrics.ts';
import { createTranslator } from './web/plugins/i18n.ts';
import { narrativeModel } from './domain/classification/ngram.ts';

const CLEAN_UP_MS = 60 * 60 * 1000;
const NOTIFICATION_CHECK_MS = 60 * 1000;
const FEED_CHECK_MS = 30 * 1000;

async function main(): Promise<void> {
  const config = loadConfig();
  const services = buildServices(config);
  await services.migrate();
  // Read now, not on the first report: a build without it stops start-up, and no reporter waits for it.
  narrativeModel();
  if (config.nodeEnv === 'production' && (await demoAccountsPresent(services)))
    throw new ConfigError(
      'DATABASE_URL',
      `the database holds demo accounts (…@${DEMO_DOMAIN}) whose passwords were printed; production never runs on it`,
    );
  // A person at a terminal reads lines, not JSON; anything else (a log collector, production) gets JSON.
  const readable = process.stdout.isTTY && config.nodeEnv !== 'production';
  const metrics = createMetrics(services);
  const app = await createApp(services, {
    metrics,
    ...(readable ? { logStream: pretty({ translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) } : {}),
  });

  // Before the first hourly check: a year the bank holidays do not cover is said at once.
  warnBankHolidayCoverage(services, app.log);

  // Background work: the outbox (emails to victims, referrals, partner pushes, unit notifications), and hourly
  // housekeeping (expired sessions, finished per-client limit counters, orphaned evidence, the retention rule).
  const translator = await createTranslator();
  // Production always has SMTP_URL (see config); only development writes a note of each email to the log.
  const email =
    config.smtpUrl === null
      ? logEmailSender(app.log)
      : smtpEmailSender(config.smtpUrl, config.emailFrom, {
          requireTls: config.nodeEnv === 'production',
        });
  const translate = (lng: 'en' | 'cy', key: string, vars?: Record<string, string>) =>
    translator[lng](key, vars);
  const worker = createOutboxWorker(
    services.database.db,
    services.database.dialect,
    services.clock,
    jobHandlers(services, { log: app.log, email, translate }),
    app.log,
    (job, dead) => {
      metrics.jobFailed(job.kind, dead);
    },
  ).start();
  const metricsServer =
    config.metricsPort === null
      ? null
      : await startMetricsServer(metrics, config.metricsHost, config.metricsPort);
  // Links new reports to others sharing their indicators, batched, a moment after each is acknowledged.
  const linker = services.intelligence.startLinking(250, (error: unknown) => {
    app.log.error({ err: error }, 'linking reports failed; retried on the next poll');
  });
  const purge = setInterval(() => {
    void runHousekeeping(services, app.log);
  }, CLEAN_UP_MS);
  purge.unref();
  // Overdue first contact and the daily digests (see docs/operations.md, Notifications to units).
  const notificationChecks = setInterval(() => {
    void runNotificationChecks(services, app.log);
  }, NOTIFICATION_CHECK_MS);
  notificationChecks.unref();
  // External feeds due for a pull (docs/operations.md, External feeds); a round still running skips the next tick.
  // Shutdown does not wait for a pull: each page is its own transaction, and the feed's lease lets the next
  // instance resume from the last stored page.
  let feedRound: Promise<void> | null = null;
  const feedChecks = setInterval(() => {
    feedRound ??= runFeedPulls(services, app.log).finally(() => {
      feedRound = null;
    });
  }, FEED_CHECK_MS);
  feedChecks.unref();

  const pidFile = join(config.dataDir, 'server.pid');
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // Stop accepting connections, let in-flight requests finish, then release the database.
    clearInterval(purge);
    clearInterval(notificationChecks);
    clearInterval(feedChecks);
    metricsServer?.close();
    rmSync(pidFile, { force: true });
    app
      .close()
      .then(() => worker.stop())
      .then(() => linker.stop())
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
  // `bluelight restore` refuses while this names a live process: a restore under a running service would be lost.
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(pidFile, `${process.pid}\n`);
  const startup = Math.round(process.uptime() * 1000);
  app.log.info(
    { startupMs: startup },
    `Bluelight ready at ${config.baseUrl} (database: ${config.database.dialect}, started in ${startup} ms)`,
  );
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
