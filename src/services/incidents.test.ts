import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpCapture } from '../../test/support/smtp-capture.ts';
import { makeSubmission, suspect } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import type { Role, StaffMember } from '../domain/access/access-policy.ts';
import { createTranslator } from '../web/plugins/i18n.ts';
import { jobHandlers } from './background-jobs.ts';
import { smtpEmailSender } from './email/email-sender.ts';
import type { IncidentInput } from './incidents.ts';
import { createOutboxWorker } from './outbox-worker.ts';
import { ServiceError } from './service-error.ts';

const quiet = { info: () => undefined, error: () => undefined };
const person = (
  email: string,
  role: Role,
  unitId: string | null,
  forceId: string | null = null,
): StaffMember => ({
  email,
  role,
  unitId,
  forceId,
});
const NW = person('regional@nw.example', 'regional-officer', 'nwrocu-rccu');
const EAST = person('regional@east.example', 'regional-officer', 'ersou-rccu');
const NCCU = person('nccu@nca.example', 'national-officer', 'nccu');
const CUMBRIA = person('officer@cumbria.example', 'force-officer', 'cumbria-cyber', 'cumbria');
const ANALYST = person('analyst@example', 'analyst', null);
const ADMIN = person('admin@example', 'admin', null);
const PREVENT = person('prevent@nw.example', 'prevent-officer', 'nwrocu-rccu');
const SCAM = 'payroll-update@evil-payroll.co.uk';
const BASE_URL = 'https://bluelight.example';

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ServiceError)) throw new Error(`expected a ServiceError, got ${String(error)}`);
  return error;
}

describe(`significant incidents (${testDialect})`, () => {
  let now = new Date('2026-05-04T09:00:00.000Z');
  let ctx: Awaited<ReturnType<typeof createTestServices>>;
  let worker: ReturnType<typeof createOutboxWorker>;
  // The victims' update emails cross a real SMTP server.
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let sender: ReturnType<typeof smtpEmailSender>;
  let incidentId = 0;
  let laterReference = '';
  beforeAll(async () => {
    smtp = await startSmtpCapture();
    ctx = await createTestServices({ SMTP_URL: smtp.url, BASE_URL }, { clock: () => now });
    sender = smtpEmailSender(smtp.url, ctx.config.emailFrom);
    const translator = await createTranslator();
    worker = createOutboxWorker(
      ctx.database.db,
      ctx.database.dialect,
      () => now,
      jobHandlers(ctx, {
        log: quiet,
        email: sender,
        translate: (lng, key, vars) => translator[lng](key, vars),
      }),
      quiet,
    );
  });
  afterAll(async () => {
    sender.close();
    await ctx.cleanup();
    await smtp.close();
  });

  const db = () => ctx.database.db;
  const runAll = async () => {
    await ctx.intelligence.linkPending();
    for (let round = 0; round < 20 && (await worker.runOnce()) > 0; round++);
  };
  const linked = async () =>
    (
      await db()
        .selectFrom('incident_reports as ir')
        .innerJoin('reports as r', 'r.id', 'ir.report_id')
        .select(['r.reference', 'ir.how'])
        .where('ir.incident_id', '=', incidentId)
        .orderBy('r.id')
        .execute()
    ).map((r) => `${r.reference}:${r.how}`);
  const payrollScam = (over: Parameters<typeof makeSubmission>[0] = {}) =>
    ctx.reportIntake.submit(
      makeSubmission({
        narrative: `An email from ${SCAM} asked staff to log in to update their payroll details`,
        suspect: suspect({ emails: [SCAM] }),
        ...over,
      }),
    );
  const rules = (over: Partial<IncidentInput> = {}): IncidentInput => ({
    name: 'Payroll phishing wave',
    nameCy: 'Ton gwe-rwydo cyflogres',
    description: 'Emails pretending to be payroll providers.',
    descriptionCy: 'E-byst yn esgus bod yn ddarparwyr cyflogres.',
    indicators: `${SCAM.toUpperCase()}\n`,
    category: null,
    sector: null,
    from: '2026-05-01T00:00:00.000Z',
    to: null,
    ...over,
  });

  it('lets the NCCU and regional units declare, and links the matching reports already held across forces', async () => {
    const before = await payrollScam();
    const kent = await payrollScam({ postcode: 'ME14 1XX', force: { id: 'kent', candidates: ['kent'] } });
    const unrelated = await ctx.reportIntake.submit(makeSubmission());
    now = new Date('2026-04-20T09:00:00.000Z');
    const tooEarly = await payrollScam();
    now = new Date('2026-05-04T10:00:00.000Z');
    await runAll();

    for (const who of [CUMBRIA, ANALYST, ADMIN, PREVENT])
      expect((await refusal(ctx.incidents.declare(who, rules()))).code).toBe('incident-declare');
    // Bad rules are refused with the field to fix.
    const bad: [Partial<IncidentInput>, string, string][] = [
      [{ indicators: 'not an indicator at all' }, 'indicators', 'incident-indicator'],
      [{ indicators: '' }, 'indicators', 'incident-rules'],
      [{ category: 'made-up' }, 'category', 'incident-category'],
      [{ sector: 'piracy' }, 'sector', 'incident-sector'],
      [{ to: '2026-04-01T00:00:00.000Z' }, 'to', 'incident-window'],
      [{ nameCy: '' }, 'nameCy', 'incident-text'],
    ];
    for (const [over, field, code] of bad) {
      const error = await refusal(ctx.incidents.declare(NW, rules(over)));
      expect([error.kind, error.field, error.code]).toEqual(['invalid', field, code]);
    }
    expect(await db().selectFrom('incidents').selectAll().execute()).toEqual([]);

    incidentId = await ctx.incidents.declare(NW, rules());
    expect(await linked()).toEqual([]);
    await runAll();
    expect(await linked()).toEqual([`${before.reference}:matched`, `${kent.reference}:matched`]);
    expect(await linked()).not.toContain(`${unrelated.reference}:matched`);
    expect(await linked()).not.toContain(`${tooEarly.reference}:matched`);
    expect(await ctx.incidents.openForPublic()).toMatchObject([
      { id: incidentId, name: 'Payroll phishing wave' },
    ]);
  });

  it('links new matching reports through the outbox, and a victim’s “I was affected” report at intake', async () => {
    // A loss, so that the report is a crime routed to a unit (the retention test below has it closed there).
    const later = await payrollScam({
      reporterType: 'organisation',
      organisation: { name: 'Acme', sector: 'finance', employees: '10-49' },
      narrative: `An email from ${SCAM} asked staff to update their payroll details, and two salaries were paid to the new account`,
    });
    laterReference = later.reference;
    const other = await ctx.reportIntake.submit(makeSubmission());
    const affected = await ctx.reportIntake.submit(
      makeSubmission({
        narrative: 'I got one of those emails and typed my password in',
        reporter: {
          name: '',
          victimName: null,
          email: 'victim@home.example',
          phone: null,
          preferredContact: 'email',
        },
        postcode: 'SA1 1AA',
        force: { id: 'south-wales', candidates: ['south-wales'] },
      }),
      { lng: 'cy', incidentId },
    );
    // Linked in the intake's own transaction, before any job runs.
    expect(await linked()).toContain(`${affected.reference}:reported`);
    await runAll();
    const all = await linked();
    expect(all).toContain(`${later.reference}:matched`);
    expect(all.filter((l) => l.startsWith(other.reference))).toEqual([]);
    expect(all).toHaveLength(4);
  });

  it('shows its reports by force and sector, its indicators and partners told, to those who read intelligence only', async () => {
    for (const who of [ADMIN, PREVENT, person('ch@example', 'call-handler', null)])
      expect((await refusal(ctx.incidents.view(who, incidentId))).kind).toBe('not-found');
    const page = await ctx.incidents.view(ANALYST, incidentId);
    expect(page.canRun).toBe(false);
    expect(page).toMatchObject({ total: 4, reported: 1 });
    expect(page.byForce).toEqual([
      { forceId: 'cumbria', reports: 2 },
      { forceId: 'kent', reports: 1 },
      { forceId: 'south-wales', reports: 1 },
    ]);
    expect(page.bySector).toEqual([
      { sector: 'individual', reports: 3 },
      { sector: 'finance', reports: 1 },
    ]);
    expect(page.indicators).toContainEqual({ type: 'email', value: SCAM, reports: 3 });

    // Another region's officers and a force officer see it but do not run it.
    for (const who of [EAST, CUMBRIA, NCCU]) {
      expect((await ctx.incidents.view(who, incidentId)).canRun).toBe(false);
      expect((await refusal(ctx.incidents.recordPartner(who, incidentId, 'Bank', ''))).code).toBe(
        'incident-unit',
      );
      expect((await refusal(ctx.incidents.sendUpdate(who, incidentId, 'x', 'y'))).code).toBe('incident-unit');
      expect((await refusal(ctx.incidents.close(who, incidentId, ''))).code).toBe('incident-unit');
    }
    expect(await db().selectFrom('incident_partners').selectAll().execute()).toEqual([]);
    expect(await db().selectFrom('incident_updates').selectAll().execute()).toEqual([]);

    await ctx.incidents.recordPartner(NW, incidentId, 'UK Finance', 'Told by phone');
    expect((await ctx.incidents.view(NW, incidentId)).partners).toMatchObject([
      { partner: 'UK Finance', note: 'Told by phone', recordedBy: NW.email },
    ]);
  });

  it('sends one update to every linked victim in their own language, through the outbox, and keeps the record once closed', async () => {
    const told = await ctx.incidents.sendUpdate(
      NW,
      incidentId,
      'The site has been taken down.',
      'Mae’r wefan wedi’i thynnu i lawr.',
    );
    expect(told).toBe(4);
    const messages = await db()
      .selectFrom('report_updates as u')
      .innerJoin('reports as r', 'r.id', 'u.report_id')
      .select(['r.lng', 'u.message', 'u.visible_to_victim'])
      .where('u.kind', '=', 'message')
      .execute();
    expect(messages).toHaveLength(4);
    for (const m of messages)
      expect(m).toEqual({
        lng: m.lng,
        message: m.lng === 'cy' ? 'Mae’r wefan wedi’i thynnu i lawr.' : 'The site has been taken down.',
        visible_to_victim: 1,
      });
    expect(messages.filter((m) => m.lng === 'cy')).toHaveLength(1);
    // Only the victim who gave an address is emailed; the email job carries no message, only the reference.
    const emails = await db()
      .selectFrom('outbox')
      .select(['payload', 'dedupe_key'])
      .where('kind', '=', 'update-email')
      .execute();
    expect(emails).toHaveLength(1);
    expect(JSON.parse(emails[0]?.payload ?? '{}')).toMatchObject({ to: 'victim@home.example', lng: 'cy' });
    expect(emails[0]?.payload).not.toContain('taken down');
    // Sent over SMTP in the victim's language: that there is news, and where to read it; not the news itself.
    await runAll();
    const sent = (await smtp.to('victim@home.example')).filter((e) => e.subject.startsWith('Diweddariad'));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain(`${BASE_URL}/report/progress?lng=cy`);
    expect(sent[0]?.text).not.toMatch(/wefan|taken down/);

    await ctx.incidents.close(NW, incidentId, 'Site taken down; 4 victims told.');
    expect((await refusal(ctx.incidents.close(NW, incidentId, ''))).code).toBe('incident-closed');
    expect(await ctx.incidents.openForPublic()).toEqual([]);
    expect(await ctx.incidents.publicIncident(incidentId)).toBeNull();
    const record = await ctx.incidents.view(ANALYST, incidentId);
    expect(record.incident).toMatchObject({
      status: 'closed',
      closedBy: NW.email,
      closingNote: 'Site taken down; 4 victims told.',
    });
    expect(record).toMatchObject({ total: 4 });
    expect(record.updates).toHaveLength(1);
    // A report made now is recorded, no longer linked, and no match job is queued.
    const afterwards = await payrollScam();
    await runAll();
    expect((await linked()).filter((l) => l.startsWith(afterwards.reference))).toEqual([]);
    expect(
      await db()
        .selectFrom('outbox')
        .select('id')
        .where('dedupe_key', '=', `incident-match:${afterwards.reference}`)
        .execute(),
    ).toEqual([]);
    expect(
      (
        await db().selectFrom('audit_log').select('action').where('action', 'like', 'incident-%').execute()
      ).map((a) => a.action),
    ).toEqual(['incident-declared', 'incident-partner-told', 'incident-update-sent', 'incident-closed']);
  });

  it('empties a report’s incident-match job (its indicators) when retention removes its personal data', async () => {
    const job = () =>
      db()
        .selectFrom('outbox')
        .select('payload')
        .where('dedupe_key', '=', `incident-match:${laterReference}`)
        .executeTakeFirstOrThrow();
    expect((await job()).payload).toContain(SCAM);
    // Closed by an officer of whichever unit it was routed to.
    const { unit_id: unitId } = await db()
      .selectFrom('reports')
      .select('unit_id')
      .where('reference', '=', laterReference)
      .executeTakeFirstOrThrow();
    const unit = ctx.reference.unit(unitId ?? '');
    const holder =
      unit?.kind === 'force'
        ? person('o@force.example', 'force-officer', unit.id, unit.force ?? null)
        : person(
            'o@unit.example',
            unit?.kind === 'regional' ? 'regional-officer' : 'national-officer',
            unitId,
          );
    await ctx.casework.setStatus(holder, laterReference, 'closed', 'advice-given');
    now = new Date(now.getTime() + 7 * 366 * 86_400_000);
    expect(await ctx.retention.removeExpiredPersonalData()).toBeGreaterThanOrEqual(1);
    expect((await job()).payload).toBe('{}');
  });
});
