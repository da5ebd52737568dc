import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../test/support/staff-fixtures.ts';
import { startSmtpCapture } from '../../test/support/smtp-capture.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import type { StaffMember } from '../domain/access/access-policy.ts';
import { createTranslator } from '../web/plugins/i18n.ts';
import { jobHandlers } from './background-jobs.ts';
import { smtpEmailSender } from './email/email-sender.ts';
import { createOutboxWorker } from './outbox-worker.ts';

const quiet = { info: () => undefined, error: () => undefined };
const BASE_URL = 'https://bluelight.example';
const ORG = { organisation: 'Lakeland Outdoor Ltd', email: 'jo@lakeland.example' };

describe(`Protect: queue workflow, engagements, reach and questionnaires (${testDialect})`, () => {
  const now = new Date('2026-12-09T10:00:00Z');
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let sender: ReturnType<typeof smtpEmailSender>;
  let worker: ReturnType<typeof createOutboxWorker>;
  const member = async (email: string): Promise<StaffMember> => {
    const id = await services.staff.userIdByEmail(email);
    const found = await services.staff.byId(id?.id ?? 0);
    if (found === null) throw new Error(email);
    return found;
  };
  let officer: StaffMember;
  let colleague: StaffMember;
  let otherUnit: StaffMember;
  let analyst: StaffMember;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    services = await createTestServices({ SMTP_URL: smtp.url, BASE_URL }, { clock: () => now });
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
    for (const [email, unitId] of [
      ['protect@nwrocu.example', 'nwrocu-rccu'],
      ['colleague@nwrocu.example', 'nwrocu-rccu'],
      ['protect@ersou.example', 'ersou-rccu'],
    ] as const)
      await addStaff(services, { email, role: 'regional-officer', unitId });
    await addStaff(services, { email: 'analyst@nfib.example', role: 'analyst' });
    officer = await member('protect@nwrocu.example');
    colleague = await member('colleague@nwrocu.example');
    otherUnit = await member('protect@ersou.example');
    analyst = await member('analyst@nfib.example');
  });
  afterAll(async () => {
    sender.close();
    await services.cleanup();
    await smtp.close();
  });

  const drain = async () => {
    while ((await worker.runOnce()) > 0);
  };
  const submit = async () => {
    await services.protectRequests.submit({
      ...ORG,
      contactName: 'Jo Manager',
      phone: null,
      postcode: 'LA23 1AA',
      forceId: 'cumbria',
      help: ['staff-presentation'],
      message: 'We have 40 staff.',
    });
    const queue = await services.protectRequests.forUnit(officer);
    return queue[0]?.id ?? 0;
  };

  it('moves a request new → contacted → scheduled → delivered, refusing every other move, with its history', async () => {
    const id = await submit();
    const protect = services.protectRequests;
    await protect.allocate(officer, id, colleague.email);
    // A status it cannot reach from here, and one that does not exist.
    await expect(
      protect.setStatus(officer, id, { status: 'delivered', outcome: 'done' }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      code: 'protect-transition',
      field: 'status',
    });
    await expect(protect.setStatus(officer, id, { status: 'finished' })).rejects.toMatchObject({
      code: 'protect-status',
    });
    await protect.setStatus(officer, id, { status: 'contacted' });
    await expect(
      protect.setStatus(officer, id, { status: 'scheduled', scheduledFor: '2027-02-30' }),
    ).rejects.toMatchObject({ code: 'protect-scheduled-date', field: 'scheduledFor' });
    await protect.setStatus(colleague, id, { status: 'scheduled', scheduledFor: '2027-01-28' });
    await expect(
      protect.setStatus(colleague, id, { status: 'delivered', outcome: ' ' }),
    ).rejects.toMatchObject({
      code: 'protect-outcome',
    });
    await protect.setStatus(colleague, id, { status: 'delivered', outcome: 'Talk to 40 staff on phishing' });
    // Finished: not even declined now.
    await expect(protect.setStatus(officer, id, { status: 'declined', outcome: 'x' })).rejects.toMatchObject({
      code: 'protect-transition',
    });
    const detail = await protect.detail(officer, id);
    expect(detail.request).toMatchObject({
      status: 'delivered',
      allocatedTo: colleague.email,
      scheduledFor: '2027-01-28',
      outcome: 'Talk to 40 staff on phishing',
    });
    expect(detail.next).toEqual([]);
    expect(detail.events.map((e) => [e.kind, e.detail])).toEqual([
      ['allocated', colleague.email],
      ['status', 'contacted'],
      ['status', 'scheduled: 2027-01-28'],
      ['status', 'delivered: Talk to 40 staff on phishing'],
    ]);
    const audit = await services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('action', 'like', 'protect-%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'protect-allocate',
      'protect-status',
      'protect-status',
      'protect-status',
    ]);
  });

  it('keeps other units, analysts and allocation outside the unit out', async () => {
    const id = await submit();
    const protect = services.protectRequests;
    for (const who of [otherUnit, analyst]) {
      await expect(protect.detail(who, id)).rejects.toMatchObject({ kind: 'not-found' });
      await expect(protect.allocate(who, id, who.email)).rejects.toMatchObject({ kind: 'not-found' });
      await expect(protect.setStatus(who, id, { status: 'contacted' })).rejects.toMatchObject({
        kind: 'not-found',
      });
      await expect(protect.reply(who, id, 'Hello', 'en')).rejects.toMatchObject({ kind: 'not-found' });
    }
    await expect(protect.allocate(officer, id, otherUnit.email)).rejects.toMatchObject({
      code: 'protect-allocate-outside-unit',
    });
    expect((await protect.detail(officer, id)).request).toMatchObject({ status: 'new', allocatedTo: null });
    await expect(services.protectEngagements.reach(analyst)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('emails the reply to the organisation through a real SMTP server, in the officer’s language', async () => {
    const id = await submit();
    await services.protectRequests.reply(
      officer,
      id,
      'Diolch. We can come on 28 January & bring slides.',
      'cy',
    );
    await drain();
    const [email] = await smtp.to(ORG.email);
    expect(email?.subject).toBe('Eich cais Cyber Protect: ateb gan Uned Seiberdroseddu Ranbarthol NWROCU');
    expect(email?.text).toContain('Diolch. We can come on 28 January & bring slides.');
    expect((await services.protectRequests.detail(officer, id)).events.at(-1)).toMatchObject({
      kind: 'reply',
      actor: officer.email,
    });
  });

  it('logs engagements with and without a request, counts reach, and takes each questionnaire answer once', async () => {
    const delivered = (await services.protectRequests.forUnit(officer)).find((r) => r.status === 'delivered');
    const engagements = services.protectEngagements;
    const base = { type: 'presentation', audience: 'business', sector: 'hospitality', lng: 'en' as const };
    // Only a delivered request of the unit, once.
    const fresh = await submit();
    await expect(
      engagements.record(officer, {
        ...base,
        requestId: fresh,
        peopleReached: 5,
        materials: 'x',
        deliveredOn: '2026-12-01',
      }),
    ).rejects.toMatchObject({ code: 'engagement-not-delivered' });
    await expect(
      engagements.record(otherUnit, {
        ...base,
        requestId: delivered?.id ?? 0,
        peopleReached: 5,
        materials: 'x',
        deliveredOn: '2026-12-01',
      }),
    ).rejects.toMatchObject({ kind: 'not-found' });
    await expect(
      engagements.record(officer, {
        ...base,
        type: 'party',
        peopleReached: 5,
        materials: 'x',
        deliveredOn: '2026-12-01',
        organisation: 'A',
      }),
    ).rejects.toMatchObject({ code: 'engagement-type', field: 'type' });
    await expect(
      engagements.record(officer, {
        ...base,
        peopleReached: 0,
        materials: 'x',
        deliveredOn: '2026-12-01',
        organisation: 'A',
      }),
    ).rejects.toMatchObject({ field: 'peopleReached' });
    await expect(
      engagements.record(officer, {
        ...base,
        peopleReached: 3,
        materials: 'x',
        deliveredOn: '2026-12-31',
        organisation: 'A',
      }),
    ).rejects.toMatchObject({ field: 'deliveredOn' });

    await engagements.record(officer, {
      ...base,
      requestId: delivered?.id ?? 0,
      peopleReached: 40,
      materials: 'Phishing slides',
      deliveredOn: '2026-12-01',
    });
    await expect(
      engagements.record(officer, {
        ...base,
        requestId: delivered?.id ?? 0,
        peopleReached: 4,
        materials: 'x',
        deliveredOn: '2026-12-01',
      }),
    ).rejects.toMatchObject({ code: 'engagement-exists' });
    await engagements.record(colleague, {
      type: 'advice-clinic',
      audience: 'community-safety',
      sector: 'public-sector',
      peopleReached: 12,
      materials: 'Leaflets',
      deliveredOn: '2026-11-20',
      organisation: 'Kendal neighbourhood watch',
      lng: 'en',
    });
    await engagements.record(otherUnit, {
      ...base,
      peopleReached: 999,
      materials: 'x',
      deliveredOn: '2026-11-02',
      organisation: 'B',
    });

    const reach = await engagements.reach(officer);
    expect(reach.total).toEqual({ engagements: 2, people: 52 });
    expect(reach.byMonth).toEqual([
      { key: '2026-11', engagements: 1, people: 12 },
      { key: '2026-12', engagements: 1, people: 40 },
    ]);
    expect(reach.bySector).toEqual([
      { key: 'hospitality', engagements: 1, people: 40 },
      { key: 'public-sector', engagements: 1, people: 12 },
    ]);
    expect(reach.byAudience.map((r) => r.key)).toEqual(['business', 'community-safety']);

    // The questionnaire goes only where there is an address: the request's.
    await drain();
    const [invite] = (await smtp.to(ORG.email)).filter((e) => e.subject.startsWith('How was your'));
    const link = /https:\/\/bluelight\.example\/protect\/feedback\/([A-Za-z0-9_-]{43})\?lng=en/.exec(
      invite?.text ?? '',
    );
    expect(link).not.toBeNull();
    const token = link?.[1] ?? '';
    // Only a hash of the token is stored.
    const stored = await services.database.db
      .selectFrom('protect_engagements')
      .select('feedback_token_hash')
      .execute();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(
      await engagements.questionnaire(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`),
    ).toBeNull();
    expect(await engagements.questionnaire(token)).toMatchObject({
      organisation: ORG.organisation,
      type: 'presentation',
    });
    await expect(
      engagements.answer(token, { usefulness: 6, willChange: 'yes', comments: '' }),
    ).rejects.toMatchObject({
      field: 'usefulness',
    });
    // Two answers at once: one is stored.
    const results = await Promise.allSettled([
      engagements.answer(token, { usefulness: 5, willChange: 'yes', comments: 'Staff now report phishing' }),
      engagements.answer(token, { usefulness: 1, willChange: 'no', comments: 'second' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await expect(
      engagements.answer(token, { usefulness: 4, willChange: 'no', comments: '' }),
    ).rejects.toMatchObject({
      kind: 'not-found',
    });
    const summary = (await engagements.reach(officer)).feedback;
    expect(summary.answers).toBe(1);
    expect(summary.averageUsefulness === 5 || summary.averageUsefulness === 1).toBe(true);
    expect((await engagements.reach(otherUnit)).feedback.answers).toBe(0);
  });
});
