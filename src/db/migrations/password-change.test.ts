import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { writeAudit } from '../repositories/audit-repository.ts';
import { down, up } from './2026-12-06T100000-password-change.ts';

describe(`migration: accounts that never signed in must set their own password (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  it('marks only accounts with no sign-in on the row or in the audit log', async () => {
    const db = services.database.db;
    await down(db as never);
    const account = (email: string, lastSignIn: string | null) => ({
      email,
      role: 'analyst',
      force_id: null,
      unit_id: null,
      password_hash: 'not a real hash',
      totp_secret: 'v1:not a real secret',
      locked_until: null,
      created_at: '2026-12-01T09:00:00.000Z',
      last_sign_in_at: lastSignIn,
    });
    // As an older version stored them: one never used, one signed in since sign-ins were recorded on the row,
    // one that signed in only before (its sign-in is in the audit log alone).
    await db
      .insertInto('users')
      .values([
        account('never@old.example', null),
        account('recent@old.example', '2026-12-05T15:00:00.000Z'),
        account('earlier@old.example', null),
      ])
      .execute();
    await db.transaction().execute((trx) =>
      writeAudit(trx, {
        at: new Date('2026-12-02T09:00:00.000Z'),
        actor: 'earlier@old.example',
        action: 'signed-in',
        forceId: null,
        detail: '',
      }),
    );
    await up(db as never);
    const due = await db
      .selectFrom('users')
      .select(['email', 'password_change_due'])
      .where('email', 'like', '%@old.example')
      .orderBy('email')
      .execute();
    expect(due).toEqual([
      { email: 'earlier@old.example', password_change_due: 0 },
      { email: 'never@old.example', password_change_due: 1 },
      { email: 'recent@old.example', password_change_due: 0 },
    ]);
  });
});
