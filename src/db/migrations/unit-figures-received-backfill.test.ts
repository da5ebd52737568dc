import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../../test/support/staff-fixtures.ts';
import { makeSubmission } from '../../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { backfill } from './2026-12-12T120000-unit-figures-received.ts';

describe(`migration: the unit that received each record, from the history kept (${testDialect})`, () => {
  let now = new Date('2026-10-05T10:00:00Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
  });
  afterAll(() => services.cleanup());
  const later = () => {
    now = new Date(now.getTime() + 86_400_000);
  };
  const officer = async (email: string, forceId: string) => {
    await addStaff(services, { email, role: 'force-officer', forceId });
    const staff = await services.staff.byId((await services.staff.userIdByEmail(email))?.id ?? 0);
    if (staff === null) throw new Error('no officer');
    return staff;
  };

  it('fills reports, cases, decisions and examinations made before it as if they had been kept', async () => {
    const cumbria = await officer('oic@police.example', 'cumbria');
    const kent = await officer('kent@police.example', 'kent');
    const kept = await services.reportIntake.submit(makeSubmission({ category: 'online-harassment' }));
    const moved = await services.reportIntake.submit(makeSubmission({ category: 'online-harassment' }));
    later();
    await services.casework.transfer(cumbria, moved.reference, 'kent-cyber', 'Offender in Kent');
    const reference = await services.investigations.createCase(cumbria, {
      title: 'Operation Moved',
      reports: [],
      restricted: false,
      members: [],
    });
    const exhibit = await services.investigations.addExhibit(cumbria, reference, {
      initials: 'JS',
      kind: 'phone',
      description: 'Phone',
      seizedAt: '2026-10-01T09:15:00.000Z',
      seizedWhere: 'Carlisle',
      sealNumbers: [],
    });
    const examination = {
      what: 'Extraction',
      why: 'Messages',
      priority: 'routine',
      legalAuthority: 'PACE s.19',
    } as const;
    await services.investigations.requestExamination(cumbria, exhibit.id, examination);
    later();
    await services.investigations.transfer(cumbria, reference, {
      unit: 'kent-cyber',
      reason: 'Offender in Kent',
      officerInCharge: 'kent@police.example',
      members: [],
    });
    later();
    await services.investigations.requestExamination(kent, exhibit.id, examination);
    later();
    await services.investigations.close(kent, reference, 'charge-summons', 'CPS authorised charge');

    const { db } = services.database;
    const read = async () => ({
      reports: await db.selectFrom('reports').select(['reference', 'received_unit']).orderBy('id').execute(),
      cases: await db.selectFrom('cases').select(['opened_unit', 'unit_id']).execute(),
      decisions: await db
        .selectFrom('case_decisions')
        .select(['code', 'unit_id'])
        .where('code', 'in', ['transferred', 'closed'])
        .orderBy('id')
        .execute(),
      examinations: await db
        .selectFrom('forensic_requests')
        .select(['unit_id', 'requested_unit'])
        .orderBy('id')
        .execute(),
    });
    const written = await read();
    expect(written).toEqual({
      reports: [
        { reference: kept.reference, received_unit: 'cumbria-cyber' },
        { reference: moved.reference, received_unit: 'cumbria-cyber' },
      ],
      cases: [{ opened_unit: 'cumbria-cyber', unit_id: 'kent-cyber' }],
      decisions: [
        { code: 'transferred', unit_id: 'kent-cyber' },
        { code: 'closed', unit_id: 'kent-cyber' },
      ],
      // The first moved with the case; it still counts for the unit it was asked of.
      examinations: [
        { unit_id: 'kent-cyber', requested_unit: 'cumbria-cyber' },
        { unit_id: 'kent-cyber', requested_unit: 'kent-cyber' },
      ],
    });

    // As the rows stood before the columns existed.
    await db.updateTable('reports').set({ received_unit: null }).execute();
    await db.updateTable('cases').set({ opened_unit: null }).execute();
    await db.updateTable('case_decisions').set({ unit_id: null }).execute();
    await db.updateTable('forensic_requests').set({ requested_unit: null }).execute();
    await backfill(db as never);
    await backfill(db as never); // twice is the same as once
    expect(await read()).toEqual(written);
  });
});
