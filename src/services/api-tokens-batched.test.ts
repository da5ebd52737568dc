/**
 * Tokens presented by concurrent requests are checked together in one query. The attacks this could open: one
 * caller answered with another's token, a revoked or expired token still accepted because its check rode along
 * with others, an unknown token accepted in a batch of good ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';

describe(`API tokens checked together (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  it('answers each of many concurrent checks with its own token, and refuses the unknown ones among them', async () => {
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        services.tokens.create(`partner ${String(n)}`, n % 2 === 0 ? ['reports:write'] : ['statistics:read']),
      ),
    );
    const presented = Array.from({ length: 60 }, (_, n) =>
      n % 5 === 4 ? `blt_${'0'.repeat(40)}${String(n)}` : (made[n % 6]?.token ?? ''),
    );
    const callers = await Promise.all(presented.map((token) => services.tokens.verify(token)));
    callers.forEach((caller, n) => {
      if (n % 5 === 4) expect(caller).toBeNull();
      else {
        expect(caller?.tokenId).toBe(made[n % 6]?.id);
        expect(caller?.name).toBe(`partner ${String(n % 6)}`);
        expect(caller?.scopes).toEqual((n % 6) % 2 === 0 ? ['reports:write'] : ['statistics:read']);
      }
    });
  });

  it('refuses a revoked token in every check begun after the revocation, alone or among good tokens', async () => {
    const good = await services.tokens.create('good partner', ['reports:write']);
    const doomed = await services.tokens.create('doomed partner', ['reports:write']);
    // Checks in flight while it is revoked may see it either way; none begun after may accept it.
    const during = Array.from({ length: 20 }, () => services.tokens.verify(doomed.token));
    expect(await services.tokens.revoke(doomed.id, 'admin@example.org')).toBe('revoked');
    const after = await Promise.all(
      Array.from({ length: 40 }, (_, n) => services.tokens.verify(n % 2 === 0 ? doomed.token : good.token)),
    );
    await Promise.all(during);
    after.forEach((caller, n) => {
      if (n % 2 === 0) expect(caller).toBeNull();
      else expect(caller?.tokenId).toBe(good.id);
    });
  });

  it('refuses an expired token among good ones', async () => {
    const now = services.clock();
    const good = await services.tokens.create('live partner', ['reports:write']);
    const old = await services.tokens.create('expiring partner', ['reports:write'], null, {
      expiresAt: new Date(now.getTime() + 60_000),
    });
    await services.database.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(now.getTime() - 1000).toISOString() })
      .where('id', '=', old.id)
      .execute();
    const callers = await Promise.all(
      Array.from({ length: 30 }, (_, n) => services.tokens.verify(n % 3 === 0 ? old.token : good.token)),
    );
    callers.forEach((caller, n) => {
      if (n % 3 === 0) expect(caller).toBeNull();
      else expect(caller?.tokenId).toBe(good.id);
    });
  });
});
