/**
 * Unit figures: each measure counted by unit and month in two queries, against figures worked out by hand from the
 * rows seeded; other units' rows and other months left out; the public version protected cell by cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Category } from '../domain/classification/taxonomy.ts';
import { countedRepositories } from '../../test/support/killed-repositories.ts';
import { addStaff } from '../../test/support/staff-fixtures.ts';
import { makeSubmission } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { createUnitFigures } from './unit-figures.ts';

const UNIT = 'cumbria-cyber';
const OTHER = 'kent-cyber';
const at = (day: string, hour = '10:00') => `${day}T${hour}:00.000Z`;

describe(`unit figures (${testDialect})`, () => {
  const now = new Date('2026-12-08T10:00:00Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;

  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
    const { db } = services.database;
    // Reports: 7 in October and 3 in November for the unit, 2 of another unit in October.
    const reportsIn = [...Array<string>(7).fill('2026-10-03'), ...Array<string>(3).fill('2026-11-20')];
    for (const [i, day] of [...reportsIn, '2026-10-04', '2026-10-05'].entries()) {
      const { id } = await services.reportIntake.submit(makeSubmission({ narrative: `report ${i}` }));
      await db
        .updateTable('reports')
        .set({ received_unit: i < reportsIn.length ? UNIT : OTHER, created_at: at(day) })
        .where('id', '=', id)
        .execute();
    }
    await addStaff(services, { email: 'oic@police.example', role: 'force-officer', forceId: 'cumbria' });
    const oic = await services.staff.byId(
      (await services.staff.userIdByEmail('oic@police.example'))?.id ?? 0,
    );
    if (oic === null) throw new Error('no officer');
    const cases: number[] = [];
    for (let i = 0; i < 3; i++) {
      const reference = await services.investigations.createCase(oic, {
        title: `Operation ${i}`,
        reports: [],
        restricted: false,
        members: [],
      });
      const row = await db
        .selectFrom('cases')
        .select('id')
        .where('reference', '=', reference)
        .executeTakeFirst();
      cases.push(row?.id ?? 0);
    }
    const [first = 0, second = 0, third = 0] = cases;
    await db
      .updateTable('cases')
      .set({ created_at: at('2026-10-10') })
      .where('id', 'in', [first, second])
      .execute();
    await db
      .updateTable('cases')
      .set({ created_at: at('2026-11-02') })
      .where('id', '=', third)
      .execute();
    await db
      .updateTable('cases')
      .set({ unit_id: OTHER, opened_unit: OTHER })
      .where('id', '=', third)
      .execute();
    const decision = (caseId: number, day: string, subject: string, code = 'closed') => ({
      case_id: caseId,
      decided_by: 'oic@police.example',
      decision: `closed: ${subject}`,
      reason: '',
      at: at(day),
      code,
      subject,
      unit_id: caseId === third ? OTHER : UNIT,
    });
    await db
      .insertInto('case_decisions')
      .values([
        decision(first, '2026-11-05', 'caution'),
        decision(second, '2026-11-06', 'caution'),
        decision(second, '2026-10-30', 'advice-given'),
        decision(first, '2026-11-07', 'caution', 'shared'),
        decision(third, '2026-11-07', 'caution'),
      ])
      .execute();
    const exhibit = await services.investigations.addExhibit(
      oic,
      (await db.selectFrom('cases').select('reference').where('id', '=', first).executeTakeFirst())
        ?.reference ?? '',
      {
        initials: 'JS',
        kind: 'phone',
        description: 'Black smartphone',
        seizedAt: '2026-09-20T09:15:00.000Z',
        seizedWhere: 'Carlisle',
        sealNumbers: ['SEAL-1'],
      },
    );
    const examination = (requested: string, completed: string | null, status: string, unit = UNIT) => ({
      case_id: first,
      exhibit_id: exhibit.id,
      unit_id: unit,
      requested_unit: unit,
      what: 'extract',
      why: 'evidence',
      priority: 'routine',
      legal_authority: 'PACE s19',
      status,
      requested_by: 'oic@police.example',
      requested_at: at(requested),
      completed_at: completed === null ? null : at(completed),
    });
    await db
      .insertInto('forensic_requests')
      .values([
        examination('2026-09-01', '2026-10-11', 'complete'), // 40 days, completed in October
        examination('2026-10-01', '2026-10-05', 'complete'), // 4 days
        examination('2026-10-02', '2026-10-12', 'complete'), // 10 days
        examination('2026-10-20', null, 'in-progress'), // open at the end of October and November
        examination('2026-10-21', '2026-11-03', 'rejected'), // open at the end of October only
        examination('2026-11-15', null, 'requested'),
        examination('2026-10-01', null, 'requested', OTHER),
      ])
      .execute();
    const engagement = (day: string, people: number, unit = UNIT) => ({
      unit_id: unit,
      request_id: null,
      type: 'presentation',
      audience: 'school',
      sector: 'education',
      people_reached: people,
      materials: '',
      delivered_on: day,
      organisation: 'A school',
      contact_email: null,
      lng: 'en',
      recorded_by: 'oic@police.example',
      created_at: at('2026-11-30'),
      feedback_token_hash: null,
    });
    await db
      .insertInto('protect_engagements')
      .values([
        engagement('2026-10-01', 30),
        engagement('2026-10-31', 12),
        engagement('2026-11-01', 3),
        engagement('2026-10-15', 500, OTHER),
      ])
      .execute();
    const referral = (day: string, unit: string) => ({
      unit_id: unit,
      region_id: 'north-west',
      force_id: 'cumbria',
      source: 'school',
      referred_by: null,
      referrer_name: null,
      referrer_email: null,
      referrer_phone: null,
      referrer_organisation: null,
      young_person: null,
      age: null,
      concern: null,
      aware: 1,
      lng: 'en',
      status: 'new',
      intervention: null,
      outcome: null,
      contacted_at: null,
      closed_at: null,
      created_at: at(day),
      updated_at: at(day),
      anonymised_at: null,
    });
    await db
      .insertInto('prevent_referrals')
      .values([referral('2026-11-03', UNIT), referral('2026-11-04', UNIT), referral('2026-11-04', OTHER)])
      .execute();
    const alert = (published: string | null, status: string) => ({
      unit_id: UNIT,
      area: 'force:cumbria',
      campaign_id: null,
      title_en: 't',
      body_en: 'b',
      title_cy: 't',
      body_cy: 'b',
      status,
      author: 'oic@police.example',
      created_at: at('2026-10-01'),
      approved_by: null,
      published_at: published === null ? null : at(published),
    });
    await db
      .insertInto('alerts')
      .values([alert('2026-10-02', 'published'), alert('2026-11-30', 'published'), alert(null, 'draft')])
      .execute();
  });
  afterAll(() => services.cleanup());

  it('counts every measure by month, for the unit only, in two queries', async () => {
    const counted = countedRepositories();
    const figures = await createUnitFigures(
      services.database.db,
      services.reference,
      () => now,
      counted.repos,
    ).exact(UNIT, '2026-09', '2026-11');
    expect(counted.calls()).toBe(2);
    const [september, october, november] = figures.months;
    expect(figures.months.map((m) => m.month)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(september).toMatchObject({ reports: 0, casesOpened: 0, forensicRequested: 1, forensicBacklog: 1 });
    expect(october).toEqual({
      month: '2026-10',
      reports: 7,
      casesOpened: 2,
      casesClosed: 1,
      outcomes: { 'advice-given': 1 },
      forensicRequested: 4,
      forensicCompleted: 3,
      forensicMedianDays: 10,
      forensicBacklog: 2,
      engagements: 2,
      peopleReached: 42,
      preventReferrals: 0,
      alertsPublished: 1,
    });
    expect(november).toEqual({
      month: '2026-11',
      reports: 3,
      // The third case is another unit's: its figures are that unit's.
      casesOpened: 0,
      casesClosed: 2,
      outcomes: { caution: 2 },
      forensicRequested: 1,
      forensicCompleted: 0,
      forensicMedianDays: null,
      forensicBacklog: 2,
      engagements: 1,
      peopleReached: 3,
      preventReferrals: 2,
      alertsPublished: 1,
    });
    expect(figures.total).toMatchObject({
      reports: 10,
      casesClosed: 3,
      outcomes: { 'advice-given': 1, caution: 2 },
      forensicCompleted: 3,
      forensicMedianDays: 10,
      forensicBacklog: 2,
      peopleReached: 45,
    });
  });

  it('publishes the last 12 ended months with every cell protected, and refuses a unit that does not exist', async () => {
    const published = await services.unitFigures.published(UNIT);
    expect(published.from).toBe('2025-12');
    expect(published.to).toBe('2026-11');
    const october = published.months.find((m) => m.month === '2026-10');
    const november = published.months.find((m) => m.month === '2026-11');
    // 7 → 5, 1–4 → fewer than 5, 0 stays 0, 42 → 40; no median from fewer than 10 examinations.
    expect(october).toMatchObject({
      reports: 5,
      casesOpened: 'fewer-than-5',
      preventReferrals: 0,
      peopleReached: 40,
      forensicMedianDays: null,
    });
    expect(november?.outcomes).toEqual({ 'advice-given': 0, caution: 'fewer-than-5' });
    // Totals add up protected cells: 5 + 2.5, rounded to the nearest 5.
    expect(published.total.reports).toBe(10);
    expect(published.total.forensicMedianDays).toBeNull();
    await expect(services.unitFigures.published('no-such-unit')).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe(`unit figures after the fact (${testDialect})`, () => {
  let now = new Date('2026-10-05T10:00:00Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  afterAll(() => services.cleanup());

  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
  });

  const officer = async (email: string, forceId: string) => {
    await addStaff(services, { email, role: 'force-officer', forceId });
    const staff = await services.staff.byId((await services.staff.userIdByEmail(email))?.id ?? 0);
    if (staff === null) throw new Error('no officer');
    return staff;
  };

  it('keeps every cell of an ended month when reports, cases and examinations are transferred later', async () => {
    // October: Cumbria's unit receives 5 reports, opens 2 cases, asks for 2 examinations on one and closes the other.
    const references: string[] = [];
    for (let i = 0; i < 5; i++)
      references.push(
        (await services.reportIntake.submit(makeSubmission({ narrative: `tickets never came ${i}` })))
          .reference,
      );
    const oic = await officer('oic@police.example', 'cumbria');
    await officer('kent@police.example', 'kent');
    const openCase = (title: string) =>
      services.investigations.createCase(oic, { title, reports: [], restricted: false, members: [] });
    const working = await openCase('Operation Working');
    const done = await openCase('Operation Done');
    const exhibit = await services.investigations.addExhibit(oic, working, {
      initials: 'JS',
      kind: 'phone',
      description: 'Phone',
      seizedAt: '2026-10-01T09:15:00.000Z',
      seizedWhere: 'Carlisle',
      sealNumbers: [],
    });
    for (let i = 0; i < 2; i++)
      await services.investigations.requestExamination(oic, exhibit.id, {
        what: 'Extraction',
        why: 'Messages',
        priority: 'routine',
        legalAuthority: 'PACE s.19',
      });
    await services.investigations.close(oic, done, 'charge-summons', 'CPS authorised charge');

    // December: October and November have ended and are published.
    now = new Date('2026-12-08T10:00:00Z');
    const take = async () => ({
      exact: await Promise.all(
        [UNIT, OTHER].map((unit) => services.unitFigures.exact(unit, '2026-10', '2026-11')),
      ),
      published: await Promise.all([UNIT, OTHER].map((unit) => services.unitFigures.published(unit))),
    });
    const before = await take();
    expect(before.exact[0]?.months[0]).toMatchObject({
      reports: 5,
      casesOpened: 2,
      casesClosed: 1,
      forensicRequested: 2,
      forensicBacklog: 2,
    });
    expect(before.published[0]?.months.find((m) => m.month === '2026-10')?.reports).toBe(5);

    // The attack: move one report and both cases (the closed one too, with the open examinations) to Kent, and
    // look again. Counted by the unit holding them now, October's 5 reports would read "fewer than 5", giving 5
    // exactly before and 4 after.
    await services.casework.transfer(oic, references[0] ?? '', OTHER, 'Offender in Kent');
    for (const reference of [working, done])
      await services.investigations.transfer(oic, reference, {
        unit: OTHER,
        reason: 'Offender in Kent',
        officerInCharge: 'kent@police.example',
        members: [],
      });
    expect(await take()).toEqual(before);
  });
});

describe(`unit figures beside the force's crime figures (${testDialect})`, () => {
  let now = new Date('2026-10-05T10:00:00Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
  });
  afterAll(() => services.cleanup());

  it('gives a unit serving one force the force’s own published total, so subtracting one from the other pins no cell', async () => {
    // October in Cumbria: 5 harassments, 1 sextortion, 1 hacking, all routed to Cumbria's unit.
    const categories = [
      ...Array<Category>(5).fill('online-harassment'),
      'sextortion',
      'hacking-personal',
    ] as const;
    for (const category of categories) await services.reportIntake.submit(makeSubmission({ category }));
    now = new Date('2026-12-08T10:00:00Z');
    const force = await services.statistics.published(
      { fromMonth: '2026-10', toMonth: '2026-10', force: 'cumbria' },
      [['category']],
    );
    // The force page: 5, fewer than 5, fewer than 5, and a total of 10 (5 + 2.5 + 2.5).
    expect(force.tables[0]?.map((row) => row.reports).sort()).toEqual(
      [5, 'fewer-than-5', 'fewer-than-5'].sort(),
    );
    expect(force.total.reports).toBe(10);
    const unit = await services.unitFigures.published(UNIT);
    expect((await services.unitFigures.exact(UNIT, '2026-10', '2026-10')).months[0]?.reports).toBe(7);
    // The exact 7 rounded on its own would read 5: beside "5 + at least 1 + at least 1" that pins both small cells
    // to exactly 1. The unit page shows what the force page does.
    expect(unit.months.find((m) => m.month === '2026-10')?.reports).toBe(force.total.reports);
    expect(unit.total.reports).toBe(force.total.reports);
  });
});
