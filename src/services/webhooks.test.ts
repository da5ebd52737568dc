import { unitContactsFile } from '../../test/support/unit-contacts-file.ts';
import { submitAssessed } from '../../test/support/taxii-publication.ts';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmission, suspect } from '../../test/support/submissions.ts';
import {
  createTestServices,
  TEST_AUDIT_SIGNING_KEY,
  TEST_DATA_KEY,
  testDialect,
} from '../../test/support/test-services.ts';
import { retryDelayMs } from '../domain/outbox/retry.ts';
import { createOutboxWorker } from './outbox-worker.ts';
import { postSigned, signWebhook, webhookHandler } from './webhooks.ts';
import { publishStixHandler } from './sharing.ts';
import type { CliIo } from '../cli/cli-io.ts';
import { runCli } from '../cli/main.ts';

const quiet = { info: () => undefined, error: () => undefined };

interface Delivery {
  headers: IncomingMessage['headers'];
  body: string;
}

describe(`partner webhooks against a real HTTP receiver (${testDialect})`, () => {
  let now = new Date('2026-11-29T09:00:00.000Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let server: Server;
  let url = '';
  const deliveries: Delivery[] = [];
  let answers: number[] = [];

  beforeAll(async () => {
    // The receiver is on this machine: only tests (and development) may allow that.
    services = await createTestServices({ WEBHOOK_ALLOW_INTERNAL_TARGETS: 'true' }, { clock: () => now });
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body });
        res.statusCode = answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await services.cleanup();
  });

  const worker = () =>
    createOutboxWorker(
      services.database.db,
      services.database.dialect,
      () => now,
      {
        'publish-stix': publishStixHandler(services.sharing),
        'partner-webhook': webhookHandler(services.database.db, services.partners, () => now),
      },
      quiet,
    );

  it('pushes new objects a partner may read, signed, retrying with backoff until accepted', async () => {
    const bank = await services.partners.add({ name: 'Bank', sectors: ['finance'], tlp: 'amber' });
    const secret = (await services.partners.setWebhook(bank.id, url)) ?? '';
    const telco = await services.partners.add({ name: 'Telco', sectors: ['telecoms'], tlp: 'clear' });
    await services.partners.setWebhook(telco.id, url);

    // A victim who left a phone number: not anonymous, so what they name is shared at once.
    const report = await submitAssessed(
      services,
      makeSubmission({
        reporter: {
          name: 'A Person',
          victimName: null,
          email: null,
          phone: '+447700900123',
          preferredContact: 'phone',
        },
        suspect: suspect({ bankAccounts: ['40-11-22 33445566'] }),
      }),
    );
    await services.intelligence.linkPending();
    const id = (await services.intelligence.reportIdOf(report.reference)) ?? 0;
    // The report queued its own publication: one worker pass publishes it, the next pushes it.
    await worker().runOnce();
    const published = await services.database.db
      .selectFrom('taxii_objects')
      .select('stix_type')
      .where('stix_type', '=', 'indicator')
      .execute();
    expect(published).toHaveLength(1);

    answers = [500];
    await worker().runOnce();
    // One push refused (bank), the telco's had nothing it may read (amber finance object), so was not sent.
    expect(deliveries).toHaveLength(1);
    const job = await services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'partner-webhook')
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(job.attempts).toBe(1);

    // Not yet due: nothing is sent again.
    await worker().runOnce();
    expect(deliveries).toHaveLength(1);
    now = new Date(now.getTime() + retryDelayMs(0) + 1000);
    await worker().runOnce();
    expect(deliveries).toHaveLength(2);
    const [first, second] = deliveries;
    // The same delivery id both times, so the partner can drop a repeat.
    expect(second?.headers['x-bluelight-delivery']).toBe(first?.headers['x-bluelight-delivery']);
    const timestamp = String(second?.headers['x-bluelight-timestamp']);
    expect(second?.headers['x-bluelight-signature']).toBe(signWebhook(secret, timestamp, second?.body ?? ''));
    expect(second?.headers['content-type']).toBe('application/stix+json;version=2.1');
    const bundle = JSON.parse(second?.body ?? '{}') as {
      type: string;
      objects: { type: string; pattern?: string }[];
    };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.map((o) => o.pattern)).toContain(
      "[user-account:account_type = 'uk-bank-account' AND user-account:user_id = '401122-33445566']",
    );
    const done = await services.database.db
      .selectFrom('outbox')
      .select('status')
      .where('kind', '=', 'partner-webhook')
      .execute();
    expect(done.every((j) => j.status === 'done')).toBe(true);
    // Nothing more to send: publishing again unchanged adds nothing and queues nothing.
    await services.sharing.publishReport(id);
    await worker().runOnce();
    expect(deliveries).toHaveLength(2);
  });

  it('stores the signing secret sealed, and seals one stored plain by an earlier version at start-up', async () => {
    const partner = await services.partners.add({ name: 'Sealed', sectors: ['finance'], tlp: 'clear' });
    const secret = (await services.partners.setWebhook(partner.id, url)) ?? '';
    const stored = async () =>
      (
        await services.database.db
          .selectFrom('partners')
          .select('webhook_secret')
          .where('id', '=', partner.id)
          .executeTakeFirstOrThrow()
      ).webhook_secret ?? '';
    expect(await stored()).not.toContain(secret);
    expect(services.partners.webhooks.open(partner.id, await stored())).toBe(secret);
    // As an earlier version left it.
    await services.database.db
      .updateTable('partners')
      .set({ webhook_secret: 'plain-old-secret' })
      .where('id', '=', partner.id)
      .execute();
    await services.migrate();
    expect(await stored()).toMatch(/^v1:/);
    expect(services.partners.webhooks.open(partner.id, await stored())).toBe('plain-old-secret');
  });
});

describe(`partner webhooks never call internal addresses (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let server: Server;
  let port = 0;
  let received = 0;

  beforeAll(async () => {
    services = await createTestServices();
    server = createServer((req, res) => {
      received++;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await services.cleanup();
  });

  it('refuses at delivery a URL stored before the rule (or registered while its name pointed elsewhere)', async () => {
    const bank = await services.partners.add({ name: 'Bank', sectors: ['finance'], tlp: 'amber' });
    await services.database.db
      .updateTable('partners')
      .set({
        webhook_url: `http://127.0.0.1:${String(port)}/hook`,
        webhook_secret: services.partners.webhooks.seal(bank.id, 'secret'),
      })
      .where('id', '=', bank.id)
      .execute();
    const push = webhookHandler(services.database.db, services.partners, services.clock);
    // The job fails (so it is retried, then dead and visible), naming no URL; nothing reaches the receiver.
    const failure = await push({ partnerId: bank.id, fromId: 0, toId: 1 }, { dedupe_key: 'k' }).then(
      () => null,
      (error: unknown) => (error as Error).message,
    );
    expect(failure).toMatch(/internal address, not sent/);
    expect(failure).not.toContain('127.0.0.1');
    expect(received).toBe(0);
  });

  it('connects only through a lookup that refuses a name resolving to an internal address (DNS can change)', async () => {
    const send = (lookup?: typeof services.partners.webhooks.lookup) =>
      postSigned(`http://localhost:${String(port)}/hook`, 's', 'd', 'text/plain', 'x', new Date(), {
        lookup,
      });
    await expect(send(services.partners.webhooks.lookup)).rejects.toThrow(/resolves to an internal address/);
    expect(received).toBe(0);
    // The same request without the guard reaches the receiver: the refusal above is the lookup's.
    await send();
    expect(received).toBe(1);
  });
});

describe(`partner webhooks in production: https only (${testDialect})`, () => {
  const production = {
    NODE_ENV: 'production',
    BASE_URL: 'https://bluelight.example',
    SMTP_URL: 'smtp://mail.bluelight.example:587',
    VICTIM_SUPPORT_URL: 'off',
  };
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let server: Server;
  let url = '';
  let received = 0;

  beforeAll(async () => {
    services = await createTestServices(production);
    server = createServer((req, res) => {
      received++;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await services.cleanup();
  });

  it('refuses an http:// webhook from the CLI with a message and a non-zero exit', async () => {
    const bank = await services.partners.add({ name: 'Bank', sectors: ['finance'], tlp: 'amber' });
    const err: string[] = [];
    const out: string[] = [];
    const io: CliIo = {
      stdin: Readable.from([]),
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: {
        ...production,
        DATABASE_URL: services.databaseUrl,
        SESSION_SECRET: 'cli-test-secret-cli-test-secret-cli-test',
        DATA_KEY: TEST_DATA_KEY,
        AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
        UNIT_CONTACTS_FILE: unitContactsFile(),
      },
      cwd: mkdtempSync(join(tmpdir(), 'bluelight-webhook-')),
    };
    const code = await runCli(['partner', 'webhook', '--id', String(bank.id), '--url', url], io);
    expect(code).not.toBe(0);
    expect(err.join('')).toMatch(/--url must be an https:\/\/ URL when NODE_ENV=production/);
    expect(out.join('')).toBe('');
    const row = await services.database.db
      .selectFrom('partners')
      .select('webhook_url')
      .where('id', '=', bank.id)
      .executeTakeFirstOrThrow();
    expect(row.webhook_url).toBeNull();
  });

  it('never pushes to an http:// address stored before the rule: the job fails, nothing is sent', async () => {
    const bank = await services.partners.add({ name: 'Old Bank', sectors: ['finance'], tlp: 'amber' });
    await services.database.db
      .updateTable('partners')
      .set({ webhook_url: url, webhook_secret: 'old-secret' })
      .where('id', '=', bank.id)
      .execute();
    await submitAssessed(
      services,
      makeSubmission({ suspect: suspect({ bankAccounts: ['40-11-22 33445566'] }) }),
    );
    const worker = createOutboxWorker(
      services.database.db,
      services.database.dialect,
      services.clock,
      {
        'publish-stix': publishStixHandler(services.sharing),
        'partner-webhook': webhookHandler(services.database.db, services.partners, services.clock),
      },
      quiet,
    );
    await worker.runOnce();
    await worker.runOnce();
    expect(received).toBe(0);
    const job = await services.database.db
      .selectFrom('outbox')
      .select(['status', 'last_error'])
      .where('kind', '=', 'partner-webhook')
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('pending');
    expect(job.last_error).toMatch(/not https/);
  });
});
