/**
 * A supplier with a webhook is told, signed, of a tasking addressed to it once it is approved, and of its
 * cancellation after that; the body is what it reads in the portal, never the case, the raiser or the victims. A
 * supplier without a webhook, another supplier, and a tasking cancelled before approval send nothing; a webhook on
 * this machine is never posted to, and the approval stands while its job waits.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supplierWorld, VICTIM, type SupplierWorld } from '../../../test/support/supplier-fixtures.ts';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { createOutboxWorker } from '../outbox-worker.ts';
import { signWebhook } from '../webhooks.ts';
import { TASKING_EMAIL_JOB } from './tasking-emails.ts';

const quiet = { info: () => undefined, error: () => undefined };

describe(`supplier tasking webhooks (${testDialect})`, () => {
  const now = new Date('2026-12-10T09:00:00.000Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let w: SupplierWorld;
  let receiver: Server;
  let secret = '';
  const deliveries: { headers: IncomingMessage['headers']; body: string }[] = [];

  const runOutbox = async () => {
    const noop = () => Promise.resolve();
    const worker = createOutboxWorker(
      services.database.db,
      services.database.dialect,
      () => now,
      {
        ...services.suppliers.webhookHandlers(services.partners),
        [TASKING_EMAIL_JOB]: noop,
        'confirmation-email': noop,
      },
      quiet,
    );
    while ((await worker.runOnce(50)) > 0);
  };
  const raise = () =>
    services.suppliers.raise(w.officer, {
      caseReference: w.caseReference,
      supplierId: w.supplier.id,
      capability: 'device-forensics',
      scope: 'Extract the handset and report on the messages',
      deadline: '2026-12-20',
      budgetCapPence: 100_000,
      exhibitIds: [w.exhibitId],
    });

  beforeAll(async () => {
    // The supplier's receiver is on this machine: only tests (and development) may allow that.
    services = await createTestServices({ WEBHOOK_ALLOW_INTERNAL_TARGETS: 'true' }, { clock: () => now });
    w = await supplierWorld(services);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body });
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hook`;
    secret = (await services.partners.setWebhook(w.supplier.id, url)) ?? '';
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
    await services.cleanup();
  });

  it('tells the supplier, signed, of a tasking approved for it and of its cancellation, and nothing of the case', async () => {
    const early = await raise();
    await services.suppliers.cancel(w.officer, early, { reason: 'Raised by mistake' });
    const id = await raise();
    await runOutbox();
    expect(deliveries).toEqual([]);

    await services.suppliers.approve(w.supervisor, id);
    await runOutbox();
    expect(deliveries).toHaveLength(1);
    const [sent] = deliveries;
    const timestamp = String(sent?.headers['x-bluelight-timestamp']);
    expect(sent?.headers['x-bluelight-signature']).toBe(signWebhook(secret, timestamp, sent?.body ?? ''));
    expect(sent?.headers['x-bluelight-delivery']).toBe(`supplier-tasking-webhook:${String(id)}:approved`);
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({
      type: 'supplier-tasking',
      event: 'approved',
      tasking: {
        id,
        capability: 'device-forensics',
        scope: 'Extract the handset and report on the messages',
        deadline: '2026-12-20',
        budget_cap_pence: 100_000,
        authorised_by: w.supervisor.email,
        status: 'approved',
      },
    });
    for (const secretValue of [w.caseReference, w.officer.email, VICTIM.name, VICTIM.email, w.exhibitRef])
      expect(sent?.body, secretValue).not.toContain(secretValue);

    await services.suppliers.cancel(w.officer, id, { reason: 'The suspect admitted it' });
    await runOutbox();
    expect(deliveries).toHaveLength(2);
    const cancelled = JSON.parse(deliveries[1]?.body ?? '{}') as { event: string; tasking: object };
    expect(cancelled).toMatchObject({ event: 'cancelled', tasking: { id, status: 'cancelled' } });
    // The unit's reason is its own.
    expect(deliveries[1]?.body).not.toContain('admitted');
  });

  it('sends nothing to a supplier without a webhook, and never another supplier’s tasking', async () => {
    const rival = await services.suppliers.raise(w.officer, {
      caseReference: w.caseReference,
      supplierId: w.otherSupplier.id,
      capability: 'osint',
      scope: 'Extract the handset and report on the messages',
      deadline: '2026-12-20',
      budgetCapPence: 100_000,
      exhibitIds: [],
    });
    await services.suppliers.approve(w.supervisor, rival);
    // A job naming the supplier with a webhook for the rival's tasking (a forged or stale row) sends nothing.
    await services.database.db
      .updateTable('outbox')
      .set({ payload: JSON.stringify({ taskingId: rival, partnerId: w.supplier.id, event: 'approved' }) })
      .where('dedupe_key', '=', `supplier-tasking-webhook:${String(rival)}:approved`)
      .execute();
    const before = deliveries.length;
    await runOutbox();
    expect(deliveries).toHaveLength(before);
    // The rival has no webhook (it reads the portal): its own job is done with nothing sent.
    await services.suppliers.cancel(w.officer, rival, { reason: 'Not needed after all' });
    await runOutbox();
    expect(deliveries).toHaveLength(before);
    const jobs = await services.database.db
      .selectFrom('outbox')
      .select(['dedupe_key', 'status'])
      .where('dedupe_key', 'like', `supplier-tasking-webhook:${String(rival)}:%`)
      .execute();
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done']);
  });
});

describe(`supplier tasking webhooks to an internal address (${testDialect})`, () => {
  const now = new Date('2026-12-10T09:00:00.000Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let w: SupplierWorld;
  let receiver: Server;
  let hits = 0;

  beforeAll(async () => {
    // As production: internal targets are not allowed.
    services = await createTestServices({}, { clock: () => now });
    w = await supplierWorld(services);
    receiver = createServer((_req, res) => {
      hits += 1;
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
    await services.cleanup();
  });

  it('never posts to a supplier webhook on this machine, and the approval stands while the job waits', async () => {
    // Setting one is refused; a URL stored before that rule (planted here) is refused when sending.
    const url = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hook`;
    await expect(services.partners.setWebhook(w.supplier.id, url)).rejects.toThrow();
    await services.partners.setWebhook(w.supplier.id, null);
    await services.database.db
      .updateTable('partners')
      .set({ webhook_url: url, webhook_secret: 'planted-secret' })
      .where('id', '=', w.supplier.id)
      .execute();
    const id = await services.suppliers.raise(w.officer, {
      caseReference: w.caseReference,
      supplierId: w.supplier.id,
      capability: 'device-forensics',
      scope: 'Extract the handset and report on the messages',
      deadline: '2026-12-20',
      budgetCapPence: 100_000,
      exhibitIds: [w.exhibitId],
    });
    await services.suppliers.approve(w.supervisor, id);
    const worker = createOutboxWorker(
      services.database.db,
      services.database.dialect,
      () => now,
      { ...services.suppliers.webhookHandlers(services.partners) },
      quiet,
    );
    await worker.runOnce(50);
    expect(hits).toBe(0);
    const job = await services.database.db
      .selectFrom('outbox')
      .select('status')
      .where('dedupe_key', '=', `supplier-tasking-webhook:${String(id)}:approved`)
      .executeTakeFirstOrThrow();
    expect(job.status).not.toBe('done');
    const row = await services.database.db
      .selectFrom('supplier_taskings')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('approved');
  });
});
