/**
 * Supplier taskings email each side of the other's steps through the outbox, over a real SMTP server: the supplier's
 * partner admins when a tasking is approved for it or cancelled after that; the unit's mailbox when the supplier
 * accepts, declines or delivers. Each email (and its outbox row) holds the tasking's number and a link, nothing of
 * the case, the scope or the victim. A tasking cancelled before approval tells the supplier nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpCapture } from '../../../test/support/smtp-capture.ts';
import { supplierWorld, VICTIM, type SupplierWorld } from '../../../test/support/supplier-fixtures.ts';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { createTranslator } from '../../web/plugins/i18n.ts';
import { jobHandlers } from '../background-jobs.ts';
import { smtpEmailSender } from '../email/email-sender.ts';
import { createOutboxWorker } from '../outbox-worker.ts';
import { TASKING_EMAIL_JOB } from './tasking-emails.ts';

const quiet = { info: () => undefined, error: () => undefined };
const BASE_URL = 'https://bluelight.example';
const UNIT_MAILBOX = 'cyber.unit@cumbria.police.uk';
const SCOPE = 'Extract the handset seized from Quentin Blackwood and report on the messages';

describe(`supplier tasking emails (${testDialect})`, () => {
  const now = new Date('2026-12-10T09:00:00.000Z');
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let sender: ReturnType<typeof smtpEmailSender>;
  let w: SupplierWorld;
  let seen = 0;

  /** Runs the outbox and answers the emails sent since the last call. */
  const sendAll = async () => {
    const translator = await createTranslator();
    const worker = createOutboxWorker(
      services.database.db,
      services.database.dialect,
      () => now,
      jobHandlers(services, {
        log: quiet,
        email: sender,
        translate: (lng, key, vars) => translator[lng](key, vars),
      }),
      quiet,
    );
    while ((await worker.runOnce(50)) > 0);
    const emails = await smtp.emails();
    const fresh = emails.slice(seen);
    seen = emails.length;
    return fresh.map((e) => ({ to: [...e.to, ...e.cc], subject: e.subject, text: e.text, raw: e.raw }));
  };
  const raise = () =>
    services.suppliers.raise(w.officer, {
      caseReference: w.caseReference,
      supplierId: w.supplier.id,
      capability: 'device-forensics',
      scope: SCOPE,
      deadline: '2026-12-20',
      budgetCapPence: 100_000,
      exhibitIds: [w.exhibitId],
    });
  /** Nothing of the case, scope, people or exhibits in any email or outbox row. */
  const expectNothingPersonal = async (emails: { raw: string; text: string }[]) => {
    const jobs = await services.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('kind', '=', TASKING_EMAIL_JOB)
      .execute();
    for (const secret of [
      w.caseReference,
      SCOPE,
      'Quentin',
      VICTIM.name,
      VICTIM.email,
      'Handset fraud',
      w.officer.email,
      w.exhibitRef,
    ]) {
      for (const email of emails) {
        expect(email.raw, secret).not.toContain(secret);
        expect(email.text, secret).not.toContain(secret);
      }
      for (const job of jobs) expect(job.payload, secret).not.toContain(secret);
    }
  };

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    services = await createTestServices({ SMTP_URL: smtp.url, BASE_URL }, { clock: () => now });
    sender = smtpEmailSender(smtp.url, services.config.emailFrom);
    w = await supplierWorld(services);
    await sendAll(); // the victim's confirmation of the world's report
  });
  afterAll(async () => {
    sender.close();
    await services.cleanup();
    await smtp.close();
  });

  it('tells the supplier of an approval and the unit of acceptance and delivery, by number and link only', async () => {
    const id = await raise();
    expect(await sendAll()).toEqual([]);
    await services.suppliers.approve(w.supervisor, id);
    const approved = await sendAll();
    expect(approved.map((e) => [e.to, e.subject])).toEqual([
      [['lab@acme.example'], `New tasking ${String(id)} from a police unit`],
    ]);
    expect(approved[0]?.text).toContain(`${BASE_URL}/partner/taskings/${String(id)}`);
    await services.suppliers.accept(w.users.supplier, w.supplier, id);
    await services.suppliers.deliver(w.users.supplier, w.supplier, id, [
      { name: 'report.pdf', content: Buffer.from('%PDF-1.4 findings') },
    ]);
    await services.suppliers.complete(w.users.supplier, w.supplier, id, { daysWorked: 1, costPence: 85_000 });
    const unit = await sendAll();
    expect(unit.map((e) => [e.to, e.subject])).toEqual([
      [[UNIT_MAILBOX], `Supplier tasking ${String(id)} accepted`],
      [[UNIT_MAILBOX], `Supplier tasking ${String(id)} delivered`],
    ]);
    expect(unit[0]?.text).toContain(`${BASE_URL}/staff/suppliers/taskings/${String(id)}`);
    await expectNothingPersonal([...approved, ...unit]);
  });

  it('tells the unit of a decline and the supplier of a cancellation, and no one of a cancellation before approval', async () => {
    const declined = await raise();
    await services.suppliers.approve(w.supervisor, declined);
    await services.suppliers.decline(w.users.supplier, w.supplier, declined, {
      reason: 'No examiner free before the deadline',
    });
    const cancelled = await raise();
    await services.suppliers.approve(w.supervisor, cancelled);
    await services.suppliers.cancel(w.officer, cancelled, { reason: 'Quentin admitted it in interview' });
    const early = await raise();
    await services.suppliers.cancel(w.officer, early, { reason: 'Raised by mistake' });
    const emails = await sendAll();
    expect(emails.map((e) => [e.to, e.subject])).toEqual([
      [['lab@acme.example'], `New tasking ${String(declined)} from a police unit`],
      [[UNIT_MAILBOX], `Supplier tasking ${String(declined)} declined`],
      [['lab@acme.example'], `New tasking ${String(cancelled)} from a police unit`],
      [['lab@acme.example'], `Tasking ${String(cancelled)} cancelled`],
    ]);
    // The unit's reason for cancelling stays with the unit.
    for (const email of emails) expect(email.raw).not.toContain('admitted');
    await expectNothingPersonal(emails);
  });

  it('writes to a unit of Welsh forces in Welsh and English', async () => {
    const id = await raise();
    await services.suppliers.approve(w.supervisor, id);
    await services.suppliers.accept(w.users.supplier, w.supplier, id);
    // As if a Welsh force's unit had raised it: the address and languages are read when the email is sent.
    await services.database.db
      .updateTable('supplier_taskings')
      .set({ unit_id: 'gwent-cyber' })
      .where('id', '=', id)
      .execute();
    const emails = await sendAll();
    const toUnit = emails.find((e) => e.to.includes('cyber.unit@gwent.police.uk'));
    expect(toUnit?.subject).toBe(
      `Tasg cyflenwr ${String(id)} wedi’i derbyn / Supplier tasking ${String(id)} accepted`,
    );
    expect(toUnit?.text).toContain(`Mae’r cyflenwr wedi derbyn tasg ${String(id)}`);
    expect(toUnit?.text).toContain(`The supplier has accepted tasking ${String(id)}`);
  });

  it('writes to the supplier of a Welsh forces’ unit in Welsh and English, and of an English unit in English', async () => {
    const welsh = await raise();
    const english = await raise();
    await services.suppliers.approve(w.supervisor, welsh);
    await services.suppliers.approve(w.supervisor, english);
    // As if a Welsh force's unit had raised the first: the languages are read when the email is sent.
    await services.database.db
      .updateTable('supplier_taskings')
      .set({ unit_id: 'gwent-cyber' })
      .where('id', '=', welsh)
      .execute();
    const emails = await sendAll();
    const subjects = emails.map((e) => [e.to, e.subject]);
    expect(subjects).toContainEqual([
      ['lab@acme.example'],
      `Tasg newydd ${String(welsh)} gan uned heddlu / New tasking ${String(welsh)} from a police unit`,
    ]);
    expect(subjects).toContainEqual([
      ['lab@acme.example'],
      `New tasking ${String(english)} from a police unit`,
    ]);
    const cy = emails.find((e) => e.subject.startsWith('Tasg newydd'));
    expect(cy?.text).toContain(`Mae uned heddlu wedi rhoi tasg ${String(welsh)} i’ch sefydliad.`);
    expect(cy?.text).toContain(`A police unit has given your organisation tasking ${String(welsh)}.`);
  });
});
