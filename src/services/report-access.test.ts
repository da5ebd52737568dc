import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositories } from '../db/repositories/index.ts';
import type { StaffMember } from '../domain/access/access-policy.ts';
import { makeSubmission } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { createReportAccess } from './report-access.ts';
import { ServiceError } from './service-error.ts';

const member = (email: string, role: StaffMember['role'], unitId: string | null): StaffMember => ({
  email,
  role,
  forceId: unitId === 'cumbria-cyber' ? 'cumbria' : null,
  unitId,
});

describe(`the one report access check (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let access: ReturnType<typeof createReportAccess>;
  let reference = '';
  const officer = member('officer@cumbria.example', 'force-officer', 'cumbria-cyber');

  beforeAll(async () => {
    services = await createTestServices();
    access = createReportAccess(services.database.dialect, repositories);
    reference = (
      await services.reportIntake.submit(
        makeSubmission({ narrative: 'someone hacked my email account and is blackmailing me' }),
      )
    ).reference;
  });
  afterAll(() => services.cleanup());

  const required = (who: Parameters<typeof access.requireReport>[1], ref = reference) =>
    services.database.db.transaction().execute((trx) =>
      access.requireReport(trx, who, ref).then(
        (report) => report.reference,
        (error: unknown) => {
          if (!(error instanceof ServiceError)) throw error;
          return `${error.kind}:${error.code}`;
        },
      ),
    );

  it('lets the report’s unit act on it and nobody else, answering others as if it did not exist', async () => {
    expect(await required(officer)).toBe(reference);
    expect(await required(member('sup@cumbria.example', 'force-supervisor', 'cumbria-cyber'))).toBe(
      reference,
    );
    for (const other of [
      member('officer@kent.example', 'force-officer', 'kent-cyber'),
      member('regional@nw.example', 'regional-officer', 'nwrocu-rccu'),
      member('analyst@x.example', 'analyst', null),
      // An admin placed in the unit still sees no report content.
      member('admin@x.example', 'admin', 'cumbria-cyber'),
    ])
      expect(await required(other), other.email).toBe('not-found:report-not-found');
    for (const missing of ['CYB-0000-0000-0', 'not a reference'])
      expect(await required(officer, missing)).toBe('not-found:report-not-found');
    // An operator at the command line holds the database: any report that exists.
    expect(await required({ cli: 'cli:ops', by: 'sup@cumbria.example' })).toBe(reference);
    expect(await required({ cli: 'cli:ops', by: 'x@y.z' }, 'CYB-0000-0000-0')).toBe(
      'not-found:report-not-found',
    );
    // Readers use the same rule, and hold nothing.
    expect((await access.findVisibleReport(services.database.db, officer, reference))?.reference).toBe(
      reference,
    );
    expect(
      await access.findVisibleReport(
        services.database.db,
        member('officer@kent.example', 'force-officer', 'kent-cyber'),
        reference,
      ),
    ).toBeNull();
  });

  it('holds the report from the check to the commit: a transfer made meanwhile waits for it', async () => {
    const db = services.database.db;
    let settled = false;
    let transfer: Promise<void> | undefined;
    await db.transaction().execute(async (trx) => {
      await access.requireReport(trx, officer, reference);
      transfer = services.casework
        .transfer(officer, reference, 'kent-cyber', 'Offender in Kent')
        .finally(() => {
          settled = true;
        });
      if (services.database.dialect === 'postgres') {
        // Wait until the transfer is queued behind this transaction's row lock, or has finished (no lock held).
        const waitingOnLock = async () =>
          Number(
            (
              await sql<{ n: number | string }>`select count(*) as n from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock'`.execute(db)
            ).rows[0]?.n ?? 0,
          ) > 0;
        while (!settled && !(await waitingOnLock())) await new Promise((resolve) => setImmediate(resolve));
      } else {
        // SQLite runs one transaction at a time: the transfer's cannot begin while this one is open.
        for (let i = 0; i < 20; i++) await trx.selectFrom('reports').select('id').execute();
      }
      expect(settled).toBe(false);
      const row = await trx
        .selectFrom('reports')
        .select('unit_id')
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
      expect(row.unit_id).toBe('cumbria-cyber');
    });
    await transfer;
    expect(settled).toBe(true);
    const after = await db
      .selectFrom('reports')
      .select('unit_id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(after.unit_id).toBe('kent-cyber');
  });
});
