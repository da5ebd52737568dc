import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';

describe(`the service keeps one active administrator (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    services = await createTestServices();
    for (const who of ['a', 'b', 'c'])
      ids[who] = (
        await services.staffAccounts.add({
          email: `${who}@admins.example`,
          role: 'admin',
          password: 'a long enough password',
        })
      ).id;
  });
  afterAll(() => services.cleanup());

  const activeAdmins = async () =>
    (
      await services.database.db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .execute()
    ).length;

  it('lets two admins remove each other at the same moment only once: one is always left', async () => {
    await services.staffAccounts.disable('c@admins.example', 'a@admins.example');
    const both = await Promise.allSettled([
      services.staffAccounts.disable('b@admins.example', 'a@admins.example'),
      services.staffAccounts.disable('a@admins.example', 'b@admins.example'),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = both.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : null).toMatchObject({ code: 'last-admin' });
    expect(await activeAdmins()).toBe(1);
  });

  it('refuses to demote or disable the last administrator', async () => {
    const last = (await services.staffAccounts.list()).find(
      (u) => u.role === 'admin' && u.disabledAt === null,
    );
    expect(last).toBeDefined();
    const email = last?.email ?? '';
    await expect(services.staffAccounts.disable(email, 'operator')).rejects.toMatchObject({
      code: 'last-admin',
    });
    await expect(
      services.staffAccounts.changePlacement(ids[email[0] ?? ''] ?? 0, { role: 'analyst' }, 'operator'),
    ).rejects.toMatchObject({ code: 'last-admin' });
    expect(await activeAdmins()).toBe(1);
  });
});
