import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../test/support/staff-fixtures.ts';
import { startSmtpCapture, type CapturedEmail } from '../../test/support/smtp-capture.ts';
import { makeSubmission } from '../../test/support/submissions.ts';
import {
  createTestServices,
  testConfig,
  testDialect,
  testReference,
} from '../../test/support/test-services.ts';
import type { StaffMember } from '../domain/access/access-policy.ts';
import type { ReportSubmission } from '../domain/report/report-submission.ts';
import { createTranslator } from '../web/plugins/i18n.ts';
import { jobHandlers, runNotificationChecks } from './background-jobs.ts';
import { smtpEmailSender } from './email/email-sender.ts';
import { services as buildServices } from './index.ts';
import { createOutboxWorker } from './outbox-worker.ts';
import { notifyUnitOfVictimInformation } from './unit-notifications.ts';

const quiet = { info: () => undefined, error: () => undefined };
const CUMBRIA = { mailbox: 'cyber.unit@cumbria.police.uk', outOfHours: 'cyber.oncall@cumbria.police.uk' };
const DYFED_POWYS = 'cyber.unit@dyfed-powys.police.uk';
const SCOTLAND = { outOfHours: 'cyber.oncall@scotland.police.uk' };
const NORTH_WEST_ROCU = 'cyber.unit@nwrocu.police.uk';
const BASE_URL = 'https://bluelight.example';

/** Distinctive personal data: none of it may reach a unit's email, in any spelling. */
const PERSON = {
  name: 'Zebedee Quigglesworth',
  email: 'zebedee.quigglesworth@example.net',
  phone: '07700 900461',
  narrative: 'The Periwinkle Lagoon shop took my savings for a violin I never received',
  transferReason: 'Zebedee has moved to Aberystwyth',
  organisation: 'Quigglesworth Violins Ltd',
};
const PERSONAL_STRINGS = [
  PERSON.name,
  'Quigglesworth',
  PERSON.email,
  PERSON.phone,
  '07700900461',
  '7700 900461',
  'Periwinkle',
  'violin',
  'Aberystwyth',
  PERSON.organisation,
];

describe(`unit notifications by email through a real SMTP server (${testDialect})`, () => {
  // Tuesday 8 December 2026, 10:00 UK time (GMT): working hours.
  let now = new Date('2026-12-08T10:00:00Z');
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let sender: ReturnType<typeof smtpEmailSender>;
  let worker: ReturnType<typeof createOutboxWorker>;
  let supervisor: StaffMember;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    services = await createTestServices(
      { SMTP_URL: smtp.url, BASE_URL, FIRST_CONTACT_DAYS: '5' },
      { clock: () => now },
    );
    sender = smtpEmailSender(smtp.url, services.config.emailFrom);
    const translator = await createTranslator();
    worker = createOutboxWorker(
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
    await addStaff(services, { email: 'sup@cumbria.example', role: 'force-supervisor', forceId: 'cumbria' });
    const member = await services.staff.userIdByEmail('sup@cumbria.example');
    const found = await services.staff.byId(member?.id ?? 0);
    if (found === null) throw new Error('no supervisor');
    supervisor = found;
  });
  afterAll(async () => {
    sender.close();
    await services.cleanup();
    await smtp.close();
  });

  /** Runs every due job, as the server's worker does. */
  async function drain() {
    await services.intelligence.linkPending();
    while ((await worker.runOnce()) > 0);
  }

  /** Emails to units received since `before` (victims' own confirmation emails left out). */
  async function unitEmailsSince(before: number): Promise<CapturedEmail[]> {
    const all = (await smtp.emails()).slice(before);
    return all.filter((e) => e.recipients.every((r) => /police\.uk$|nca\.gov\.uk$|\.example$/.test(r)));
  }

  /** An ordinary report: the force's cyber crime unit, not urgent. */
  const ordinary = {
    category: 'online-harassment' as const,
    narrative: 'someone keeps sending me abusive messages',
  };
  const submit = async (overrides: Partial<ReportSubmission> = {}) =>
    (await services.reportIntake.submit(makeSubmission({ ...ordinary, ...overrides }))).reference;
  const member = async (email: string) => {
    const id = await services.staff.userIdByEmail(email);
    const found = await services.staff.byId(id?.id ?? 0);
    if (found === null) throw new Error(email);
    return found;
  };
  const inDyfedPowys = {
    force: { id: 'dyfed-powys', candidates: ['dyfed-powys'] },
    postcode: 'SA31 1AA',
  };

  const childAtRisk = {
    category: 'child-sexual-abuse' as const,
    narrative: 'someone is grooming my daughter',
  };

  it('tells the unit at once of a new urgent report (a child at risk, or a vulnerable victim), and of no other new report', async () => {
    const before = (await smtp.emails()).length;
    const urgent = await submit(childAtRisk);
    const vulnerable = await submit({ vulnerability: ['over-70'] });
    await submit();
    await drain();
    const emails = await unitEmailsSince(before);
    expect(emails.map((e) => e.recipients)).toEqual([[CUMBRIA.mailbox], [CUMBRIA.mailbox]]);
    const [first, second] = emails;
    expect(first?.subject).toBe(`URGENT: New urgent report: ${urgent}`);
    expect(first?.text).toContain(`Reference: ${urgent}`);
    expect(first?.text).toContain('Type: Online child sexual abuse');
    expect(first?.text).toContain(`${BASE_URL}/staff/reports/${urgent}`);
    expect(first?.cc).toEqual([]);
    expect(second?.subject).toBe(`URGENT: New urgent report: ${vulnerable}`);
  });

  it('tells the receiving unit of a transfer in, without the officer’s reason', async () => {
    const reference = await submit();
    await drain();
    const before = (await smtp.emails()).length;
    await services.casework.transfer(
      supervisor,
      reference,
      'dyfed-powys-cyber',
      'the victim moved to Carmarthen',
    );
    await drain();
    const emails = await unitEmailsSince(before);
    expect(emails.map((e) => e.recipients)).toEqual([[DYFED_POWYS]]);
    // A Welsh force's unit: Welsh, then English.
    expect(emails[0]?.subject).toBe(
      `Adroddiad wedi’i drosglwyddo i’ch uned: ${reference} / Report transferred to your unit: ${reference}`,
    );
    expect(emails[0]?.raw).not.toContain('Carmarthen');
  });

  it('tells the unit of new information from the victim (the call the victim’s follow-ups make)', async () => {
    const reference = await submit();
    await drain();
    const before = (await smtp.emails()).length;
    const report = await services.database.db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    await services.database.db
      .transaction()
      .execute((trx) => notifyUnitOfVictimInformation(trx, report, 'addition-1', now));
    // The same addition told twice (a retried use case) is one email.
    await services.database.db
      .transaction()
      .execute((trx) => notifyUnitOfVictimInformation(trx, report, 'addition-1', now));
    await drain();
    const emails = await unitEmailsSince(before);
    expect(emails.map((e) => e.recipients)).toEqual([[CUMBRIA.mailbox]]);
    expect(emails[0]?.subject).toBe(`New information from the victim: ${reference}`);
  });

  it('tells the unit a change of category routes a report to, and its own unit once if it became urgent', async () => {
    const toFraud = await submit();
    const toUrgent = await submit();
    await drain();
    const before = (await smtp.emails()).length;
    await services.recategorise.recategorise(supervisor, toFraud, {
      category: 'online-shopping-fraud',
      reason: 'a fraud, not harassment',
    });
    await services.recategorise.recategorise(supervisor, toUrgent, {
      category: 'child-sexual-abuse',
      reason: 'the messages are to a child',
    });
    await services.recategorise.recategorise(supervisor, toUrgent, {
      category: 'sextortion',
      reason: 'sextortion after all',
    });
    await services.recategorise.recategorise(supervisor, toUrgent, {
      category: 'child-sexual-abuse',
      reason: 'a child after all',
    });
    await drain();
    const emails = await unitEmailsSince(before);
    expect(emails.map((e) => [e.recipients.join(), e.subject])).toEqual([
      ['nfib.assessment@cityoflondon.police.uk', `Report transferred to your unit: ${toFraud}`],
      [CUMBRIA.mailbox, `URGENT: New urgent report: ${toUrgent}`],
    ]);
  });

  it('sends a job queued by the version before (a transfer with its free-text reason) without the reason', async () => {
    const reference = await submit();
    await drain();
    const before = (await smtp.emails()).length;
    await services.database.db
      .insertInto('outbox')
      .values({
        kind: 'unit-notification',
        dedupe_key: `transfer:${reference}:${now.toISOString()}`,
        payload: JSON.stringify({
          unit: 'dyfed-powys-cyber',
          reference,
          reason: 'the victim moved to Tenby',
        }),
        status: 'pending',
        attempts: 0,
        run_after: now.toISOString(),
        last_error: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .execute();
    await drain();
    const emails = await unitEmailsSince(before);
    expect(emails.map((e) => [e.recipients.join(), e.subject])).toEqual([
      [
        DYFED_POWYS,
        `Adroddiad wedi’i drosglwyddo i’ch uned: ${reference} / Report transferred to your unit: ${reference}`,
      ],
    ]);
    expect(emails[0]?.text).toContain('Type: Online harassment');
    expect(emails[0]?.raw).not.toContain('Tenby');
  });

  it('tells the regional unit of a Cyber Protect request, with a link to its Protect queue', async () => {
    const before = (await smtp.emails()).length;
    await services.protectRequests.submit({
      organisation: 'Carlisle Widgets',
      contactName: 'Pat Example',
      email: 'pat@widgets.example.org',
      phone: null,
      postcode: 'CA1 1AA',
      forceId: 'cumbria',
      help: ['staff-presentation'],
      message: '',
    });
    await drain();
    const emails = await unitEmailsSince(before);
    expect(emails.map((e) => e.recipients)).toEqual([[NORTH_WEST_ROCU]]);
    expect(emails[0]?.subject).toMatch(/^New Cyber Protect request: Cyber Protect request \d+$/);
    expect(emails[0]?.text).toContain(`${BASE_URL}/staff#protect-requests`);
    expect(emails[0]?.raw).not.toContain('Widgets');
  });

  it('tells the unit once when first contact becomes overdue, and never of a report someone has contacted', async () => {
    const overdue = await submit();
    const contacted = await submit();
    await services.casework.setStatus(supervisor, contacted, 'assessed', null);
    await drain();
    const before = (await smtp.emails()).length;
    const start = now;
    now = new Date(start.getTime() + 5 * 86_400_000 - 60_000);
    expect(await services.unitNotifications.notifyOverdueFirstContact()).toBe(0);
    now = new Date(start.getTime() + 5 * 86_400_000 + 60_000);
    // Every instance checks every minute: the unit is told once.
    await runNotificationChecks(services, quiet);
    await runNotificationChecks(services, quiet);
    await drain();
    await runNotificationChecks(services, quiet);
    await drain();
    const emails = await unitEmailsSince(before);
    const told = emails.filter((e) => e.subject.startsWith('First contact overdue'));
    expect(told.map((e) => e.subject)).toContain(`First contact overdue: ${overdue}`);
    expect(told.filter((e) => e.subject.endsWith(overdue))).toHaveLength(1);
    expect(told.map((e) => e.subject)).not.toContain(`First contact overdue: ${contacted}`);
    expect(told.find((e) => e.subject.endsWith(overdue))?.recipients).toEqual([CUMBRIA.mailbox]);
    expect(told[0]?.text).toContain('more than 5 days');
    now = start;
  });

  it('retries a notification the mail server refused, then delivers it once', async () => {
    const reference = await submit(childAtRisk);
    const before = (await smtp.emails()).length;
    smtp.refuse(true);
    await drain();
    const job = () =>
      services.database.db
        .selectFrom('outbox')
        .selectAll()
        .where('dedupe_key', '=', `unit-notification:urgent-report:${reference}`)
        .executeTakeFirstOrThrow();
    expect(await job()).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await job()).last_error).toMatch(/^email not sent: E[A-Z]+ 451/);
    expect(await unitEmailsSince(before)).toEqual([]);
    smtp.refuse(false);
    const start = now;
    now = new Date(start.getTime() + 30_000);
    await drain();
    expect((await job()).status).toBe('done');
    const emails = await unitEmailsSince(before);
    expect(emails.map((e) => e.subject)).toEqual([`URGENT: New urgent report: ${reference}`]);
    now = start;
  });

  it('copies the out-of-hours contact on urgent items out of hours only', async () => {
    const start = now;
    // Saturday 12 December 2026, 03:00 UK time.
    now = new Date('2026-12-12T03:00:00Z');
    const before = (await smtp.emails()).length;
    const urgent = await submit(childAtRisk);
    const ordinary = await submit();
    await services.casework.transfer(supervisor, ordinary, 'dyfed-powys-cyber', 'moved');
    await drain();
    const emails = await unitEmailsSince(before);
    const urgentEmail = emails.find((e) => e.subject.endsWith(urgent));
    expect(urgentEmail?.recipients).toEqual([CUMBRIA.mailbox, CUMBRIA.outOfHours]);
    expect(urgentEmail?.to).toEqual([CUMBRIA.mailbox]);
    expect(urgentEmail?.cc).toEqual([CUMBRIA.outOfHours]);
    // A non-urgent transfer at the weekend waits in the mailbox: no one is called out for it.
    expect(emails.find((e) => e.subject.endsWith(ordinary))?.recipients).toEqual([DYFED_POWYS]);
    now = start;
  });

  it('sends a daily digest of the unit’s non-urgent items to those who chose it, once a day, even after a restart', async () => {
    await addStaff(services, { email: 'digest@cumbria.example', role: 'force-officer', forceId: 'cumbria' });
    await addStaff(services, { email: 'mailbox@cumbria.example', role: 'force-officer', forceId: 'cumbria' });
    await addStaff(services, {
      email: 'sup@dyfed.example',
      role: 'force-supervisor',
      forceId: 'dyfed-powys',
    });
    await services.unitNotifications.chooseDigest(await member('digest@cumbria.example'), true);
    await services.unitNotifications.chooseDigest(await member('mailbox@cumbria.example'), false);
    const start = now;
    // Wednesday 9 December 2026 at 11:00: a transfer in, a victim's addition and an urgent report.
    now = new Date('2026-12-09T11:00:00Z');
    const elsewhere = await submit(inDyfedPowys);
    await services.casework.transfer(
      await member('sup@dyfed.example'),
      elsewhere,
      'cumbria-cyber',
      'Cumbria’s',
    );
    const added = await submit();
    const report = await services.database.db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', added)
      .executeTakeFirstOrThrow();
    await services.database.db
      .transaction()
      .execute((trx) => notifyUnitOfVictimInformation(trx, report, 'digest-1', now));
    const urgent = await submit(childAtRisk);
    await drain();

    const before = (await smtp.emails()).length;
    // Not yet 07:00 on Thursday: no digest.
    now = new Date('2026-12-10T06:59:00Z');
    expect(await services.unitNotifications.enqueueDigests()).toBe(0);
    now = new Date('2026-12-10T07:01:00Z');
    await runNotificationChecks(services, quiet);
    await runNotificationChecks(services, quiet);
    // The worker restarts (a new services container on the same database) and checks again.
    const restarted = buildServices(testConfig(services.databaseUrl, { SMTP_URL: smtp.url, BASE_URL }), {
      reference: testReference(),
      clock: () => now,
    });
    expect(await restarted.unitNotifications.enqueueDigests()).toBe(0);
    await restarted.close();
    await drain();
    now = new Date('2026-12-10T15:00:00Z');
    await runNotificationChecks(services, quiet);
    await drain();

    const digests = (await smtp.to('digest@cumbria.example')).filter((e) =>
      e.subject.startsWith('Daily digest'),
    );
    expect(digests).toHaveLength(1);
    const digest = digests[0];
    expect(digest?.recipients).toEqual(['digest@cumbria.example']);
    expect(digest?.subject).toBe(
      'Daily digest for Cumbria Constabulary Cyber and Digital Crime Unit: 2 non-urgent items',
    );
    expect(digest?.text).toContain(`${elsewhere}: Report transferred to your unit`);
    expect(digest?.text).toContain(`${added}: New information from the victim`);
    expect(digest?.text).toContain(`${BASE_URL}/staff/reports/${added}`);
    expect(digest?.text).not.toContain(urgent);
    expect(await smtp.to('mailbox@cumbria.example')).toEqual([]);
    expect(
      (await smtp.emails()).slice(before).filter((e) => e.subject.startsWith('Daily digest')),
    ).toHaveLength(1);

    // The next day's digest has nothing to list: nothing is sent.
    now = new Date('2026-12-11T07:30:00Z');
    expect(await services.unitNotifications.enqueueDigests()).toBe(1);
    await drain();
    expect(
      (await smtp.to('digest@cumbria.example')).filter((e) => e.subject.startsWith('Daily digest')),
    ).toHaveLength(1);
    now = start;
  });

  it('sends the digest of a Welsh force’s unit in Welsh, then English, each with its own links', async () => {
    await addStaff(services, {
      email: 'digest@dyfed.example',
      role: 'force-officer',
      forceId: 'dyfed-powys',
    });
    const person = await member('digest@dyfed.example');
    await services.unitNotifications.chooseDigest(person, true);
    const unit = services.reference.unit('dyfed-powys-cyber');
    expect(unit?.nameCy).toBeDefined();
    const start = now;
    // Saturday 12 December 2026 at 11:00: new information from the victim on a Dyfed-Powys report.
    now = new Date('2026-12-12T11:00:00Z');
    const added = await submit(inDyfedPowys);
    const report = await services.database.db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', added)
      .executeTakeFirstOrThrow();
    await services.database.db
      .transaction()
      .execute((trx) => notifyUnitOfVictimInformation(trx, report, 'digest-cy-1', now));
    await drain();
    now = new Date('2026-12-13T07:01:00Z');
    await runNotificationChecks(services, quiet);
    await drain();

    const digests = (await smtp.to('digest@dyfed.example')).filter((e) => e.subject.startsWith('Crynodeb'));
    expect(digests).toHaveLength(1);
    const digest = digests[0];
    expect(digest?.recipients).toEqual(['digest@dyfed.example']);
    expect(digest?.subject).toBe(
      `Crynodeb dyddiol ar gyfer ${unit?.nameCy ?? ''}: 1 eitem nad ydynt yn frys / Daily digest for ${unit?.name ?? ''}: 1 non-urgent items`,
    );
    // The Welsh first, its links opening the workspace and the settings in Welsh; then the whole English text.
    const text = digest?.text ?? '';
    const cy = text.indexOf('Eitemau nad ydynt yn frys');
    const en = text.indexOf('Non-urgent items');
    expect(cy).toBeGreaterThan(-1);
    expect(en).toBeGreaterThan(cy);
    expect(text.slice(0, en)).toContain(`${BASE_URL}/staff/reports/${added}?lng=cy`);
    expect(text.slice(0, en)).toContain(`${BASE_URL}/staff/account?lng=cy`);
    expect(text.slice(en)).toContain(`${added}: New information from the victim`);
    expect(text.slice(en)).toContain(`${BASE_URL}/staff/reports/${added}\n`);
    expect(text.slice(en)).not.toContain('?lng=cy');
    // As it crossed the wire: UTF-8 declared, so ŵ and ’ arrive as written.
    expect(digest?.raw).toMatch(/charset=utf-8/i);
    await services.unitNotifications.chooseDigest(person, false);
    now = start;
  });

  it('puts no personal data in any email to a unit, whatever the trigger', async () => {
    await addStaff(services, { email: 'privacy@cumbria.example', role: 'force-officer', forceId: 'cumbria' });
    await addStaff(services, {
      email: 'sup2@dyfed.example',
      role: 'force-supervisor',
      forceId: 'dyfed-powys',
    });
    await services.unitNotifications.chooseDigest(await member('privacy@cumbria.example'), true);
    const start = now;
    now = new Date('2026-12-14T02:00:00Z'); // Monday 02:00: out of hours, so the on-call contact is copied too
    const before = (await smtp.emails()).length;
    const victim = {
      reporter: {
        name: PERSON.name,
        victimName: null,
        email: PERSON.email,
        phone: PERSON.phone,
        preferredContact: 'email' as const,
      },
      narrative: PERSON.narrative,
    };
    const urgent = await submit({ ...victim, vulnerability: ['over-70'] });
    const plain = await submit({ ...victim, ...inDyfedPowys });
    await drain();
    // Transferred to Cumbria with a reason naming the victim; the victim then adds information to both.
    await services.casework.transfer(
      await member('sup2@dyfed.example'),
      plain,
      'cumbria-cyber',
      PERSON.transferReason,
    );
    for (const reference of [urgent, plain]) {
      const report = await services.database.db
        .selectFrom('reports')
        .selectAll()
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
      await services.database.db
        .transaction()
        .execute((trx) => notifyUnitOfVictimInformation(trx, report, 'personal-1', now));
    }
    await services.protectRequests.submit({
      organisation: PERSON.organisation,
      contactName: PERSON.name,
      email: PERSON.email,
      phone: PERSON.phone,
      postcode: 'CA1 1AA',
      forceId: 'cumbria',
      help: ['other'],
      message: PERSON.narrative,
    });
    await drain();
    // The day's digest at 07:00, then first contact overdue six days later.
    now = new Date('2026-12-14T07:10:00Z');
    await runNotificationChecks(services, quiet);
    await drain();
    now = new Date('2026-12-20T08:00:00Z');
    await runNotificationChecks(services, quiet);
    await drain();

    const emails = (await smtp.emails()).slice(before);
    const toUnits = emails.filter((e) => !e.recipients.includes(PERSON.email));
    const subjects = toUnits.map((e) => e.subject);
    expect(subjects).toContain(`URGENT: New urgent report: ${urgent}`);
    expect(subjects).toContain(`Report transferred to your unit: ${plain}`);
    expect(subjects).toContain(`URGENT: New information from the victim: ${urgent}`);
    expect(subjects).toContain(`New information from the victim: ${plain}`);
    expect(subjects.some((s) => s.startsWith('New Cyber Protect request'))).toBe(true);
    expect(subjects).toContain(`URGENT: First contact overdue: ${urgent}`);
    const digest = toUnits.find((e) => e.recipients.includes('privacy@cumbria.example'));
    expect(digest?.text).toContain(`${plain}: Report transferred to your unit`);
    expect(toUnits.some((e) => e.cc.includes(CUMBRIA.outOfHours))).toBe(true);
    for (const email of toUnits)
      for (const text of [email.raw, email.text, email.subject])
        for (const personal of PERSONAL_STRINGS)
          expect(text.toLowerCase()).not.toContain(personal.toLowerCase());
    // Nor in what the outbox and the record of notifications keep.
    const stored = JSON.stringify([
      await services.database.db
        .selectFrom('outbox')
        .select('payload')
        .where('kind', 'like', 'unit-notification%')
        .execute(),
      await services.database.db.selectFrom('unit_notifications').selectAll().execute(),
    ]).toLowerCase();
    for (const personal of PERSONAL_STRINGS) expect(stored).not.toContain(personal.toLowerCase());
    now = start;
  });
  it('writes to the units of Welsh forces in Welsh and English, and to others in English', async () => {
    const before = (await smtp.emails()).length;
    // Dyfed-Powys's and Gwent's units (force units), the Welsh forces' regional unit (TARIAN), and Cumbria's.
    const gwent = await submit();
    const dyfed = await submit({ ...inDyfedPowys, ...childAtRisk });
    const english = await submit(childAtRisk);
    const regional = await submit();
    await drain();
    await services.casework.transfer(supervisor, gwent, 'gwent-cyber', 'moved');
    await services.casework.transfer(supervisor, regional, 'tarian-rccu', 'organised');
    await drain();
    const emails = await unitEmailsSince(before);
    const to = (reference: string) => emails.filter((e) => e.subject.endsWith(reference));
    const [welsh] = to(dyfed);
    expect(welsh?.recipients).toEqual([DYFED_POWYS]);
    expect(welsh?.subject).toBe(
      `BRYS: Adroddiad brys newydd: ${dyfed} / URGENT: New urgent report: ${dyfed}`,
    );
    const text = welsh?.text ?? '';
    // The Welsh first, its link opening the workspace in Welsh; then the whole English text.
    const cy = text.indexOf(`Cyfeirnod: ${dyfed}`);
    const en = text.indexOf(`Reference: ${dyfed}`);
    expect(cy).toBeGreaterThan(-1);
    expect(en).toBeGreaterThan(cy);
    expect(text.indexOf(`${BASE_URL}/staff/reports/${dyfed}?lng=cy`)).toBeGreaterThan(cy);
    expect(text.slice(en)).toContain(`${BASE_URL}/staff/reports/${dyfed}\n`);
    expect(text.slice(en)).toContain('Type: Online child sexual abuse');
    expect(text.slice(0, en)).not.toContain('Type:');
    expect(to(gwent).map((e) => [e.recipients.join(), e.subject])).toEqual([
      [
        'cyber.unit@gwent.police.uk',
        `Adroddiad wedi’i drosglwyddo i’ch uned: ${gwent} / Report transferred to your unit: ${gwent}`,
      ],
    ]);
    expect(to(regional).map((e) => e.subject)).toEqual([
      `Adroddiad wedi’i drosglwyddo i’ch uned: ${regional} / Report transferred to your unit: ${regional}`,
    ]);
    // An English force's unit: English only.
    expect(to(english).map((e) => [e.recipients.join(), e.subject])).toEqual([
      [CUMBRIA.mailbox, `URGENT: New urgent report: ${english}`],
    ]);
    expect(to(english)[0]?.text).not.toContain('Cyfeirnod');
  });

  it('counts the bank holidays of the unit’s own nation as out of hours', async () => {
    const start = now;
    const scotland = {
      force: { id: 'police-scotland', candidates: ['police-scotland'] },
      postcode: 'EH1 1AA',
    };
    const urgentAt = async (at: string, where: Partial<ReportSubmission> = {}) => {
      now = new Date(at);
      const before = (await smtp.emails()).length;
      const reference = await submit({ ...childAtRisk, ...where });
      await drain();
      return (await unitEmailsSince(before)).find((e) => e.subject.endsWith(reference));
    };
    // Monday 28 December 2026, 10:00: Boxing Day's substitute day in England, Wales and Scotland.
    expect((await urgentAt('2026-12-28T10:00:00Z'))?.cc).toEqual([CUMBRIA.outOfHours]);
    // Monday 30 November 2026, 10:00: St Andrew's Day, a bank holiday in Scotland only.
    expect((await urgentAt('2026-11-30T10:00:00Z', scotland))?.cc).toEqual([SCOTLAND.outOfHours]);
    expect((await urgentAt('2026-11-30T10:00:00Z'))?.cc).toEqual([]);
    // Tuesday 1 December 2026, 10:00: a working day in both.
    expect((await urgentAt('2026-12-01T10:00:00Z', scotland))?.cc).toEqual([]);
    now = start;
  });
});
