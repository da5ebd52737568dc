import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPartnerUser } from '../support/partner-fixtures.ts';
import { addStaff } from '../support/staff-fixtures.ts';
import { createTestServices, testDialect } from '../support/test-services.ts';

// The staff member read with the token must be exactly what staff.byId gives, after any change to the user.
describe(`the token's staff member equals staff.byId after every change (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let now = new Date('2026-12-01T09:00:00Z');
  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
  });
  afterAll(() => services.cleanup());
  const db = () => services.database.db;

  const same = async (token: string, userId: number | null) => {
    const caller = await services.tokens.verify(token);
    const byId = userId === null ? null : await services.staff.byId(userId);
    if (caller === null) {
      // Only a disabled (or unknown-to-byId) member's token is refused for the member's sake.
      expect(byId).toBeNull();
      return null;
    }
    expect(caller.staff).toEqual(byId);
    return caller.staff;
  };

  it('follows role, force, unit changes, disabling, re-enabling and partner conversion at once', async () => {
    await addStaff(services, { email: 'mover@adv.example', role: 'force-officer', forceId: 'cumbria' });
    const id = (await services.staff.userIdByEmail('mover@adv.example'))?.id ?? 0;
    const { token } = await services.tokens.create('m', ['staff'], id);
    expect(await same(token, id)).toMatchObject({ role: 'force-officer', forceId: 'cumbria' });

    await services.staffAccounts.changePlacement(id, { role: 'force-officer', forceId: 'kent' }, 'admin');
    expect(await same(token, id)).toMatchObject({ forceId: 'kent' });
    await services.staffAccounts.changePlacement(
      id,
      { role: 'regional-officer', unitId: 'nwrocu-rccu' },
      'admin',
    );
    expect(await same(token, id)).toMatchObject({ role: 'regional-officer', unitId: 'nwrocu-rccu' });
    await services.staffAccounts.changePlacement(id, { role: 'analyst' }, 'admin');
    expect(await same(token, id)).toMatchObject({ role: 'analyst' });

    // Changed behind the application's back too (no cache anywhere).
    await db().updateTable('users').set({ role: 'call-handler' }).where('id', '=', id).execute();
    expect(await same(token, id)).toMatchObject({ role: 'call-handler' });

    await db().updateTable('users').set({ disabled_at: now.toISOString() }).where('id', '=', id).execute();
    expect(await services.tokens.verify(token)).toBeNull();
    await db().updateTable('users').set({ disabled_at: null }).where('id', '=', id).execute();
    expect(await same(token, id)).toMatchObject({ role: 'call-handler' });

    // A staff row turned into a partner portal user: never staff.
    const partner = await services.partners.add({ name: 'Adv bank', sectors: ['finance'], tlp: 'green' });
    await db().updateTable('users').set({ partner_id: partner.id }).where('id', '=', id).execute();
    expect((await services.tokens.verify(token))?.staff).toBeNull();
    await db().updateTable('users').set({ partner_id: null }).where('id', '=', id).execute();
    expect(await same(token, id)).not.toBeNull();
  });

  it('gives no member to a service token, a partner user, a revoked or an expired token', async () => {
    const service = (await services.tokens.create('svc', ['staff', 'reports:write'], null)).token;
    expect((await services.tokens.verify(service))?.staff).toBeNull();
    expect((await services.tokens.verify(service))?.userId).toBeNull();

    const partner = await services.partners.add({ name: 'Adv bank 2', sectors: ['finance'], tlp: 'green' });
    const portal = await addPartnerUser(services, {
      partnerId: partner.id,
      email: 'portal@adv2.example',
      role: 'partner-admin',
    });
    const forced = (await services.tokens.create('forced', ['staff', 'partner-user'], portal.id)).token;
    expect((await services.tokens.verify(forced))?.staff).toBeNull();
    // The partner-user path still reads the user and their partner.
    expect((await services.partnerUserTokens.authenticate(forced))?.user.email).toBe('portal@adv2.example');
    await db()
      .updateTable('users')
      .set({ disabled_at: now.toISOString() })
      .where('id', '=', portal.id)
      .execute();
    expect(await services.partnerUserTokens.authenticate(forced)).toBeNull();

    await addStaff(services, { email: 'rev@adv.example', role: 'analyst' });
    const id = (await services.staff.userIdByEmail('rev@adv.example'))?.id ?? 0;
    const made = await services.tokens.create('r', ['staff'], id, {
      expiresAt: new Date(now.getTime() + 86_400_000),
    });
    expect(await same(made.token, id)).not.toBeNull();
    const saved = now;
    now = new Date(now.getTime() + 2 * 86_400_000);
    expect(await services.tokens.verify(made.token)).toBeNull();
    now = saved;
    await services.tokens.revoke(made.id, 'admin');
    expect(await services.tokens.verify(made.token)).toBeNull();
  });
});
