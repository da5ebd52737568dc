/**
 * Specialist suppliers through the pages (issue 22, MSP): a unit tasks a supplier from a case, a second person
 * approves it, the supplier works it in the partner portal (accepts, downloads what was released, returns
 * deliverables, says it has finished) and the unit closes it with a rating. And the attacks: another unit, another
 * supplier, a partner that is no supplier, no session at all; the victim's details never reaching the supplier.
 */
import { createHash } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { signInStaff } from '../../../../test/support/staff-fixtures.ts';
import {
  EXHIBIT_FILE,
  PARTNER_PASSWORD,
  supplierWorld,
  VICTIM,
  type SupplierWorld,
} from '../../../../test/support/supplier-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';

const sha256 = (content: Uint8Array) => createHash('sha256').update(content).digest('hex');
const now = new Date('2026-12-10T09:00:00.000Z');

describe(`specialist supplier pages (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let w: SupplierWorld;
  let taskingId = 0;
  const staff = (email: string) => {
    const totp = w.totps[email];
    if (totp === undefined) throw new Error(`no ${email}`);
    return signInStaff(ctx.app, email, totp, now);
  };
  const portal = async (email: string) => {
    await ctx.services.database.db
      .updateTable('users')
      .set({ totp_last_step: 0 })
      .where('email', '=', email)
      .execute();
    const client = new FormClient(ctx.app);
    await client.get('/partner/sign-in');
    await client.post('/partner/sign-in', {
      email,
      password: PARTNER_PASSWORD,
      code: new TOTP({ secret: Secret.fromBase32(w.secrets[email] ?? '') }).generate({
        timestamp: now.getTime(),
      }),
    });
    expect(client.path).toBe('/partner');
    return client;
  };

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    w = await supplierWorld(ctx.services);
  });
  afterAll(() => ctx.close());

  it('raises a tasking from a case, with every bad input named on the page, then a second person approves it', async () => {
    const officer = await staff(w.officer.email);
    const list = await officer.get('/staff/suppliers');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Acme Forensics');
    expect(list.body).toContain('Device forensics');
    expect(list.body).toContain('ISO/IEC 17025');
    expect(list.body).toContain('Dana Examiner (NPPV level 3');

    await officer.get('/staff/suppliers/taskings/new?case=');
    expect(officer.path).toBe('/staff/suppliers');
    expect(errorSummaryOf(officer.last?.body ?? '')).toEqual([
      'case: Enter the reference of the case the work is for',
    ]);
    await officer.get('/staff/suppliers/taskings/new?case=CASE-NOTAREALCASE00');
    expect(errorSummaryOf(officer.last?.body ?? '')).toEqual([
      'case: Enter the reference of one of your cases',
    ]);

    const form = await officer.get(`/staff/suppliers/taskings/new?case=${w.caseReference}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(w.exhibitRef);
    const empty = await officer.post('/staff/suppliers/taskings', { case: w.caseReference });
    expect(errorSummaryOf(empty.body)).toEqual([
      'offer: Choose a supplier and capability',
      'scope: Enter the scope of the work',
      'deadline: Enter a deadline',
      'budget_cap: Enter the budget cap in pounds, for example 4000 or 4000.00',
    ]);
    const good = {
      case: w.caseReference,
      offer: `${String(w.supplier.id)}:device-forensics`,
      scope: 'Extract the handset and report on messages about the parcel scam',
      deadline: '2026-12-20',
      budget_cap: '4,000',
      exhibits: [String(w.exhibitId)],
    };
    const personal = await officer.post('/staff/suppliers/taskings', {
      ...good,
      scope: `Ring ${VICTIM.name} first`,
    });
    expect(errorSummaryOf(personal.body)).toEqual([
      'scope: Take the victim’s personal details out of the scope: the supplier reads it',
    ]);
    // What was typed is kept for the person to correct.
    expect(personal.body).toContain('Ring Ottoline Marchbanks first');
    const cheap = await officer.post('/staff/suppliers/taskings', { ...good, budget_cap: '100' });
    expect(errorSummaryOf(cheap.body)).toEqual([
      'budget_cap: The budget cap must be at least one day at the supplier’s rate (£850.00)',
    ]);
    const raised = await officer.post('/staff/suppliers/taskings', good);
    taskingId = Number(/\/staff\/suppliers\/taskings\/(\d+)$/.exec(officer.path)?.[1]);
    expect(taskingId).toBeGreaterThan(0);
    expect(raised.body).toContain('Awaiting approval');
    expect(raised.body).not.toContain('Approve and release');
    // The raiser cannot approve their own, even by posting the form.
    const own = await officer.post(`/staff/suppliers/taskings/${String(taskingId)}/approve`);
    expect(errorSummaryOf(own.body, { linked: false })).toEqual([
      'action: Someone else must approve a tasking you raised',
    ]);

    const supervisor = await staff(w.supervisor.email);
    const page = await supervisor.get(`/staff/suppliers/taskings/${String(taskingId)}`);
    expect(page.body).toContain('Approve and release');
    const approved = await supervisor.post(`/staff/suppliers/taskings/${String(taskingId)}/approve`);
    expect(approved.body).toContain('The tasking was approved and its exhibits released to the supplier.');
    const again = await supervisor.post(`/staff/suppliers/taskings/${String(taskingId)}/approve`);
    expect(errorSummaryOf(again.body, { linked: false })).toEqual([
      'action: The tasking has moved on since you opened it',
    ]);
  });

  it('keeps taskings from another unit, another supplier, a partner that is no supplier and the signed out', async () => {
    const id = String(taskingId);
    const stranger = await staff(w.stranger.email);
    expect((await stranger.get(`/staff/suppliers/taskings/${id}`)).statusCode).toBe(404);
    expect(
      (await stranger.post(`/staff/suppliers/taskings/${id}/approve`, {}, { follow: false })).statusCode,
    ).toBe(404);
    for (const [step, fields] of [
      ['close', { rating: '1' }],
      ['cancel', { reason: 'Not mine to cancel' }],
    ] as const)
      expect(
        (await stranger.post(`/staff/suppliers/taskings/${id}/${step}`, fields, { follow: false }))
          .statusCode,
      ).toBe(404);
    await stranger.get(`/staff/suppliers/taskings/new?case=${w.caseReference}`);
    expect(errorSummaryOf(stranger.last?.body ?? '')).toEqual([
      'case: Enter the reference of one of your cases',
    ]);

    const file = `/partner/taskings/${id}/files/${sha256(EXHIBIT_FILE)}`;
    for (const email of [w.users.otherSupplier.email, w.users.bank.email]) {
      const client = await portal(email);
      for (const path of [`/partner/taskings/${id}`, file])
        expect([email, path, (await client.get(path)).statusCode]).toEqual([email, path, 404]);
      for (const path of [
        `/partner/taskings/${id}/accept`,
        `/partner/taskings/${id}/complete`,
        `/partner/taskings/${id}/decline`,
      ])
        expect([
          email,
          path,
          (await client.post(path, { days: '1', cost: '1', reason: 'Not ours to do' }, { follow: false }))
            .statusCode,
        ]).toEqual([email, path, 404]);
      const upload = await client.upload(
        `/partner/taskings/${id}/deliverables`,
        [{ name: 'x.txt', content: 'x' }],
        'files',
        {
          follow: false,
        },
      );
      expect([email, upload.statusCode]).toEqual([email, 404]);
    }
    const rival = await portal(w.users.otherSupplier.email);
    expect((await rival.get('/partner/taskings')).body).toContain('You have no taskings.');
    const bank = await portal(w.users.bank.email);
    expect((await bank.get('/partner/taskings')).statusCode).toBe(404);
    expect((await bank.get('/partner')).body).not.toContain('href="/partner/taskings"');

    // Signed out, or with a staff session: sent to sign in before anything is read.
    const nobody = new FormClient(ctx.app);
    for (const path of ['/partner/taskings', `/partner/taskings/${id}`, file]) {
      const res = await ctx.app.inject({ method: 'GET', url: path });
      expect([path, res.statusCode, res.headers.location]).toEqual([path, 303, '/partner/sign-in']);
    }
    const upload = await nobody.upload(
      `/partner/taskings/${id}/deliverables`,
      [{ name: 'x.txt', content: 'x' }],
      'files',
      {
        follow: false,
      },
    );
    expect([upload.statusCode, upload.headers.location]).toEqual([303, '/partner/sign-in']);
    const officer = await staff(w.officer.email);
    await officer.get('/partner/taskings');
    expect(officer.path).toBe('/partner/sign-in');
  });

  it('lets the supplier accept, download, return deliverables and finish; the unit closes it with a rating', async () => {
    const id = String(taskingId);
    const lab = await portal(w.users.supplier.email);
    expect((await lab.get('/partner')).body).toContain('href="/partner/taskings"');
    const list = await lab.get('/partner/taskings');
    expect(list.body).toContain(`Tasking ${id}`);
    const page = await lab.get(`/partner/taskings/${id}`);
    expect(page.body).toContain('Extract the handset');
    expect(page.body).toContain(sha256(EXHIBIT_FILE));
    for (const value of [
      VICTIM.name,
      VICTIM.email,
      VICTIM.phone,
      w.caseReference,
      w.officer.email,
      'Handset fraud',
    ])
      expect(page.body + list.body).not.toContain(value);

    await lab.post(`/partner/taskings/${id}/accept`);
    expect(lab.last?.body).toContain('You accepted the tasking.');
    const download = await lab.get(`/partner/taskings/${id}/files/${sha256(EXHIBIT_FILE)}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment/);
    expect(download.rawPayload.equals(EXHIBIT_FILE)).toBe(true);

    const early = await lab.post(`/partner/taskings/${id}/complete`, { days: '2', cost: '1700' });
    expect(errorSummaryOf(early.body)).toEqual([
      'files: Return your deliverables before saying you have finished',
    ]);
    const none = await lab.upload(`/partner/taskings/${id}/deliverables`, []);
    expect(errorSummaryOf(none.body)).toEqual(['files: Choose one or more files to upload']);
    const report = Buffer.from('%PDF-1.4 examination report of the handset');
    const sent = await lab.upload(`/partner/taskings/${id}/deliverables`, [
      { name: 'report.pdf', content: report },
    ]);
    expect(sent.body).toContain('Your files were received and recorded as exhibits.');
    expect(sent.body).toContain(`MSP${id}/1`);
    expect(sent.body).toContain(sha256(report));
    const bad = await lab.post(`/partner/taskings/${id}/complete`, { days: 'two', cost: '5000' });
    expect(errorSummaryOf(bad.body)).toEqual(['days: Enter the number of days worked, for example 3']);
    const over = await lab.post(`/partner/taskings/${id}/complete`, { days: '2', cost: '5000' });
    expect(errorSummaryOf(over.body)).toEqual([
      'cost: The cost must be no more than the budget cap (£4000.00)',
    ]);
    const finished = await lab.post(`/partner/taskings/${id}/complete`, { days: '2', cost: '1,700' });
    expect(finished.body).toContain('The unit was told the work is done.');

    const officer = await staff(w.officer.email);
    const tasking = await officer.get(`/staff/suppliers/taskings/${id}`);
    expect(tasking.body).toContain(`MSP${id}/1`);
    expect(tasking.body).toContain('on time');
    const unrated = await officer.post(`/staff/suppliers/taskings/${id}/close`, { outcome: 'Charged' });
    expect(errorSummaryOf(unrated.body)).toEqual(['rating: Choose a rating']);
    const closed = await officer.post(`/staff/suppliers/taskings/${id}/close`, {
      rating: '4',
      outcome: 'Charged',
    });
    expect(closed.body).toContain('4 out of 5: Charged');
    // The deliverable is an exhibit of the case, its chain verifying with the released one.
    expect(await ctx.services.investigations.verify(w.caseReference)).toMatchObject({ ok: true, files: 2 });
  });

  it('shows the figures and the pages in Welsh', async () => {
    const supervisor = await staff(w.supervisor.email);
    const figures = await supervisor.get('/staff/suppliers/figures');
    expect(figures.statusCode).toBe(200);
    expect(figures.body).toContain('Acme Forensics');
    expect(figures.body).toContain('£1,700.00');
    const welsh = await supervisor.get('/staff/suppliers?lng=cy');
    expect(welsh.body).toContain('Cyflenwyr arbenigol');
    expect(welsh.body).toContain('Fforensig dyfeisiau');
  });

  it('lets the supplier decline with a reason and the raiser cancel before delivery, each ending the release in the chain', async () => {
    const raiseApproved = async () => {
      const id = await ctx.services.suppliers.raise(w.officer, {
        caseReference: w.caseReference,
        supplierId: w.supplier.id,
        capability: 'device-forensics',
        scope: 'Extract the handset and report on the messages',
        deadline: '2026-12-20',
        budgetCapPence: 100_000,
        exhibitIds: [w.exhibitId],
      });
      await ctx.services.suppliers.approve(w.supervisor, id);
      return id;
    };
    const releaseEnded = async () =>
      (
        await ctx.services.database.db
          .selectFrom('custody_entries')
          .select(['event', 'note', 'actor'])
          .where('exhibit_id', '=', w.exhibitId)
          .where('event', '=', 'release-ended')
          .orderBy('seq')
          .execute()
      ).map((e) => `${e.actor}: ${e.note}`);
    const file = (id: number) => `/partner/taskings/${String(id)}/files/${sha256(EXHIBIT_FILE)}`;

    const declined = await raiseApproved();
    const lab = await portal(w.users.supplier.email);
    const path = `/partner/taskings/${String(declined)}`;
    expect((await lab.get(path)).body).toContain('Decline tasking');
    expect((await lab.get(file(declined))).statusCode).toBe(200);
    const empty = await lab.post(`${path}/decline`, { reason: '' });
    expect(errorSummaryOf(empty.body)).toEqual(['reason: Enter the reason']);
    const short = await lab.post(`${path}/decline`, { reason: 'no' });
    expect(errorSummaryOf(short.body)).toEqual(['reason: Enter a reason of 5 to 2,000 characters']);
    const done = await lab.post(`${path}/decline`, { reason: 'No examiner free before the deadline' });
    expect(done.body).toContain('You declined the tasking. The unit was told.');
    expect(done.body).toContain('No examiner free before the deadline');
    // The release has ended: the files are no longer the supplier's to download, nor may it accept.
    expect((await lab.get(file(declined))).statusCode).toBe(404);
    const late = await lab.post(`${path}/accept`);
    expect(errorSummaryOf(late.body, { linked: false })).toEqual([
      'action: The tasking has moved on since you opened it',
    ]);
    expect(await releaseEnded()).toEqual([
      `${w.users.supplier.email}: release to Acme Forensics ended: declined by the supplier (tasking ${String(declined)}, device forensics)`,
    ]);
    const officer = await staff(w.officer.email);
    const unitPage = await officer.get(`/staff/suppliers/taskings/${String(declined)}`);
    expect(unitPage.body).toContain('Declined by the supplier');
    expect(unitPage.body).toContain('No examiner free before the deadline');
    expect(unitPage.body).not.toContain('Cancel tasking');

    const cancelled = await raiseApproved();
    await ctx.services.suppliers.accept(w.users.supplier, w.supplier, cancelled);
    const page = `/staff/suppliers/taskings/${String(cancelled)}`;
    // Only the raiser cancels: not the supervisor who approved it.
    const supervisor = await staff(w.supervisor.email);
    expect((await supervisor.get(page)).body).not.toContain('Cancel tasking');
    const notRaiser = await supervisor.post(`${page}/cancel`, { reason: 'Budget needed elsewhere' });
    expect(errorSummaryOf(notRaiser.body, { linked: false })).toEqual([
      'action: Only the officer who raised the tasking can cancel it or send it again',
    ]);
    expect((await officer.get(page)).body).toContain('Cancel tasking');
    const noReason = await officer.post(`${page}/cancel`, { reason: '' });
    expect(errorSummaryOf(noReason.body)).toEqual(['reason: Enter the reason']);
    const cancel = await officer.post(`${page}/cancel`, { reason: 'The suspect admitted it in interview' });
    expect(cancel.body).toContain('The tasking was cancelled and the release of its exhibits withdrawn.');
    expect((await ctx.services.suppliers.detail(w.officer, cancelled))?.tasking).toMatchObject({
      status: 'cancelled',
      endedReason: 'The suspect admitted it in interview',
    });
    expect((await releaseEnded())[1]).toBe(
      `${w.officer.email}: release to Acme Forensics withdrawn: tasking ${String(cancelled)} cancelled`,
    );
    // The supplier sees it was cancelled, not the unit's reason, and can no longer download or deliver.
    const supplierPage = (await lab.get(`/partner/taskings/${String(cancelled)}`)).body;
    expect(supplierPage).toContain('Cancelled');
    expect(supplierPage).not.toContain('admitted');
    expect((await lab.get(file(cancelled))).statusCode).toBe(404);
    expect(await ctx.services.investigations.verify(w.caseReference)).toMatchObject({ ok: true });
  });
  it('returns a tasking to its raiser, who changes it and sends it again; the supplier logs its time against the cap', async () => {
    const id = await ctx.services.suppliers.raise(w.officer, {
      caseReference: w.caseReference,
      supplierId: w.supplier.id,
      capability: 'device-forensics',
      scope: 'Extract everything from the handset',
      deadline: '2026-12-20',
      budgetCapPence: 150_000,
      exhibitIds: [w.exhibitId],
    });
    const page = `/staff/suppliers/taskings/${String(id)}`;
    const supervisor = await staff(w.supervisor.email);
    expect((await supervisor.get(page)).body).toContain('Return tasking');
    const noReason = await supervisor.post(`${page}/return`, { reason: '' });
    expect(errorSummaryOf(noReason.body)).toEqual(['reason: Enter the reason']);
    const returned = await supervisor.post(`${page}/return`, {
      reason: 'Say which messages: everything is too wide for the cap',
    });
    expect(returned.body).toContain('The tasking was returned to the officer who raised it.');

    const officer = await staff(w.officer.email);
    const mine = await officer.get(page);
    expect(mine.body).toContain('Returned to its raiser');
    expect(mine.body).toContain('Say which messages: everything is too wide for the cap');
    expect(mine.body).toContain('Send for approval again');
    expect(mine.body).toContain('Extract everything from the handset');
    const lab = await portal(w.users.supplier.email);
    expect((await lab.get(`/partner/taskings/${String(id)}`)).statusCode).toBe(404);
    // The officer's own typing is checked, then the raising rules.
    const unreadable = await officer.post(`${page}/resubmit`, {
      scope: '',
      deadline: '2026-12-22',
      budget_cap: 'lots',
    });
    expect(errorSummaryOf(unreadable.body)).toEqual([
      'scope: Enter the scope of the work',
      'budget_cap: Enter the budget cap in pounds, for example 4000 or 4000.00',
    ]);
    const personal = await officer.post(`${page}/resubmit`, {
      scope: `Messages to ${VICTIM.email} only`,
      deadline: '2026-12-22',
      budget_cap: '1000',
    });
    expect(errorSummaryOf(personal.body)).toEqual([
      'scope: Take the victim’s personal details out of the scope: the supplier reads it',
    ]);
    expect(personal.body).toContain('2026-12-22');
    const sent = await officer.post(`${page}/resubmit`, {
      scope: 'Extract the WhatsApp messages of December',
      deadline: '2026-12-22',
      budget_cap: '1,000',
    });
    expect(sent.body).toContain('The tasking was sent for approval again.');
    expect(sent.body).toContain(
      `returned to ${w.officer.email} by ${w.supervisor.email}: Say which messages: everything is too wide for the cap`,
    );
    expect(sent.body).toContain('sent for approval again by');
    await supervisor.post(`${page}/approve`);
    await ctx.services.suppliers.accept(w.users.supplier, w.supplier, id);

    // The supplier logs a day: each bad input named, nothing past the cap.
    const work = `/partner/taskings/${String(id)}`;
    expect((await lab.get(work)).body).toContain('Log a day’s time and cost');
    const empty = await lab.post(`${work}/time`, { date: '', hours: '', time_cost: '' });
    expect(errorSummaryOf(empty.body)).toEqual([
      'date: Enter the day the work was done',
      'hours: Enter the hours in quarter hours, from 0.25 to 24, for example 7.5',
      'time_cost: Enter the cost in pounds, for example 2550 or 2550.00',
    ]);
    const future = await lab.post(`${work}/time`, { date: '2026-12-11', hours: '7.5', time_cost: '850' });
    expect(errorSummaryOf(future.body)).toEqual([
      'date: Enter the day the work was done as YYYY-MM-DD, today or before',
    ]);
    const over = await lab.post(`${work}/time`, { date: '2026-12-10', hours: '7.5', time_cost: '1000.01' });
    expect(errorSummaryOf(over.body)).toEqual([
      'time_cost: The costs logged would be more than the budget cap (£1000.00): £1000.00 is left',
    ]);
    // A decimal comma is refused, never read as a hundred times the amount; nothing is stored.
    const comma = await lab.post(`${work}/time`, { date: '2026-12-10', hours: '7.5', time_cost: '8,50' });
    expect(errorSummaryOf(comma.body)).toEqual([
      'time_cost: Enter the cost in pounds, for example 2550 or 2550.00',
    ]);
    const logged = await lab.post(`${work}/time`, {
      date: '2026-12-10',
      hours: '7.5',
      time_cost: '850',
      note: 'Imaged the handset',
    });
    expect(logged.body).toContain('Your time and cost were logged.');
    expect(logged.body).toContain('Imaged the handset');
    expect(logged.body).toContain(
      '7.5 hours logged, costing £850.00 of the £1,000.00 budget cap; £150.00 left.',
    );
    expect(logged.body).toContain('are close to the budget cap');
    // The finishing form starts from what was logged.
    expect(logged.body).toMatch(/id="cost" name="cost" type="text" (spellcheck="false" )?value="850"/);
    expect((await lab.get(`${work}?lng=cy`)).body).toContain('Amser a chost');
    const unit = (await officer.get(page)).body;
    expect(unit).toContain('Imaged the handset');
    expect(unit).toContain('are close to the budget cap');
    expect(unit).toContain(
      'time logged by the supplier: 2026-12-10, 7.5 hour(s), £850.00; £850.00 of £1000.00 logged',
    );
  });
});
