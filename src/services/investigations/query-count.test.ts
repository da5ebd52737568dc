/**
 * Lists are one query whatever their length: the repository calls a list makes (every query goes through the
 * repositories) are counted with few rows and with many, and must be the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMember } from '../../domain/access/access-policy.ts';
import { countedRepositories } from '../../../test/support/killed-repositories.ts';
import { addStaff } from '../../../test/support/staff-fixtures.ts';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { createInvestigations } from './index.ts';

describe(`investigations lists are single queries (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let oic: StaffMember;

  beforeAll(async () => {
    services = await createTestServices();
    await addStaff(services, { email: 'oic@police.example', role: 'force-officer', forceId: 'cumbria' });
    const member = await services.staff.byId(
      (await services.staff.userIdByEmail('oic@police.example'))?.id ?? 0,
    );
    if (member === null) throw new Error('no officer');
    oic = member;
  });
  afterAll(() => services.cleanup());

  /** How many repository calls `run` makes. */
  async function callsOf(run: (inv: ReturnType<typeof createInvestigations>) => Promise<unknown>) {
    const counted = countedRepositories();
    const { db, dialect } = services.database;
    await run(createInvestigations(db, dialect, services.clock, services.reference, counted.repos));
    return counted.calls();
  }

  const inv = () => services.investigations;
  const openCase = (restricted: boolean) =>
    inv().createCase(oic, { title: 'Case', reports: [], restricted, members: [] });
  async function exhibitWithFiles(reference: string, files: number) {
    const exhibit = await inv().addExhibit(oic, reference, {
      initials: 'JS',
      kind: 'phone',
      description: 'Phone',
      seizedAt: '2026-11-20T09:15:00.000Z',
      seizedWhere: 'Carlisle',
      sealNumbers: [],
    });
    for (let i = 0; i < files; i++)
      await inv().addFile(oic, exhibit.id, `file-${i}.txt`, Buffer.from(`${reference} file ${i}`));
    for (let i = 0; i < files; i++)
      await inv().requestExamination(oic, exhibit.id, {
        what: 'Extraction',
        why: 'Messages',
        priority: 'routine',
        legalAuthority: 'PACE s.19',
      });
  }

  it('lists cases, the forensics queue and a case’s hash matches with as many queries for many rows as for few', async () => {
    const few = await openCase(true);
    await exhibitWithFiles(few, 1);
    await inv().importHashlist('national', 'a'.repeat(32), 'cli:operator');
    const before = {
      list: await callsOf((i) => i.listCases(oic)),
      queue: await callsOf((i) => i.examinationQueue(oic)),
      read: await callsOf((i) => i.readCase(oic, few)),
    };
    const many = await openCase(true);
    await exhibitWithFiles(many, 6);
    for (let i = 0; i < 5; i++) await openCase(i % 2 === 0);
    const after = {
      list: await callsOf((i) => i.listCases(oic)),
      queue: await callsOf((i) => i.examinationQueue(oic)),
      read: await callsOf((i) => i.readCase(oic, many)),
    };
    expect((await inv().listCases(oic)).length).toBe(7);
    expect((await inv().examinationQueue(oic)).requests.length).toBe(7);
    expect(after).toEqual(before);
    expect(before.list).toBe(1);
    expect(before.queue).toBe(1);
  });
});
