import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { StaffMember } from '../src/domain/access/access-policy.ts';
import { jobHandlers } from '../src/services/background-jobs.ts';
import { smtpEmailSender } from '../src/services/email/email-sender.ts';
import type { Services } from '../src/services/index.ts';
import { createOutboxWorker } from '../src/services/outbox-worker.ts';
import { createTranslator } from '../src/web/plugins/i18n.ts';
import { startSmtpCapture } from '../test/support/smtp-capture.ts';
import type { Result } from './measure.ts';

const SUBSCRIBERS = Number(process.env.BENCH_ALERT_SUBSCRIBERS ?? 5000);
const quiet = { info: () => undefined, error: () => undefined };

/**
 * Stay-safe alert sending (issue 24), in subscribers sent per minute: BENCH_ALERT_SUBSCRIBERS (5000) confirmed
 * subscribers of one force get an approved alert through the outbox (fan-out, batches of ALERT_BATCH_SIZE, progress
 * recorded after each email) to a real SMTP server on localhost. Baseline: the same emails sent straight from a loop
 * through the same SMTP connection, without the database.
 */
export async function alertsBench(services: Services): Promise<Result> {
  const db = services.database.db;
  const now = new Date().toISOString();
  await sql`
    insert into alert_subscribers (email, lng, created_at)
    select 'bench' || g || '@example.org', 'en', ${now} from generate_series(1, ${SUBSCRIBERS}) as g`.execute(
    db,
  );
  await sql`
    insert into alert_subscriber_areas (subscriber_id, area, requested_at, confirmed_at)
    select id, 'force:gwent', ${now}, ${now} from alert_subscribers`.execute(db);
  const smtp = await startSmtpCapture();
  const sender = smtpEmailSender(smtp.url, services.config.emailFrom);
  try {
    const translator = await createTranslator();
    const worker = createOutboxWorker(
      db,
      services.database.dialect,
      services.clock,
      jobHandlers(services, {
        log: quiet,
        email: sender,
        translate: (lng, key, vars) => translator[lng](key, vars),
      }),
      quiet,
    );
    const staff = (email: string): StaffMember => ({
      email,
      role: 'force-officer',
      forceId: 'gwent',
      unitId: 'gwent-cyber',
    });
    const id = await services.alerts.create(staff('a@gwent.example'), {
      titleEn: 'Fake parcel texts',
      bodyEn: 'Do not click links in texts about parcels you did not expect.',
      titleCy: 'Negeseuon testun parsel ffug',
      bodyCy: 'Peidiwch â chlicio dolenni mewn negeseuon am barseli nad oeddech yn eu disgwyl.',
    });

    const t0 = performance.now();
    await services.alerts.approve(staff('b@gwent.example'), id);
    while ((await worker.runOnce(20)) > 0);
    const oursMinutes = (performance.now() - t0) / 60_000;
    const received = (await smtp.emails()).length;
    if (received !== SUBSCRIBERS)
      throw new Error(`alerts bench: ${String(received)} of ${String(SUBSCRIBERS)} sent`);

    const t1 = performance.now();
    for (let i = 1; i <= SUBSCRIBERS; i++)
      await sender.send({
        to: `bench${String(i)}@example.org`,
        subject: 'Fake parcel texts',
        text: 'Do not click links in texts about parcels you did not expect.',
        headers: { 'List-Unsubscribe': '<https://bluelight.example/alerts/unsubscribe/x>' },
        template: 'email.alert',
        reference: null,
      });
    const baselineMinutes = (performance.now() - t1) / 60_000;
    return {
      name: `stay-safe alert to ${String(SUBSCRIBERS)} subscribers: outbox batches vs a plain send loop (same SMTP server)`,
      ours: {
        perSecond: SUBSCRIBERS / oursMinutes / 60,
        unit: `subscribers (${Math.round(SUBSCRIBERS / oursMinutes)}/min)`,
      },
      baseline: {
        perSecond: SUBSCRIBERS / baselineMinutes / 60,
        unit: `emails (${Math.round(SUBSCRIBERS / baselineMinutes)}/min)`,
      },
    };
  } finally {
    sender.close();
    await smtp.close();
  }
}
