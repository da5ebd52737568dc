/**
 * RFC 8058 one-click unsubscribe: a mail client POSTs to the List-Unsubscribe address without any page, so without a
 * CSRF token. The attacks: a wrong, altered or other-purpose token changes nothing; the exemption holds for that one
 * route (the page's own form still needs its token), and no other route can claim it.
 */
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { csrfPlugin } from '../../plugins/csrf.ts';
import { securityPlugin } from '../../plugins/security.ts';

const ONE_CLICK = 'List-Unsubscribe=One-Click';

describe(`one-click unsubscribe from stay-safe alerts (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const email of ['reader@example.net', 'other@example.net']) {
      await ctx.services.alertSubscriptions.subscribe(email, ['force:cumbria'], 'en');
      const row = await ctx.services.database.db
        .selectFrom('alert_subscribers')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      ids[email] = row.id;
      await ctx.services.alertSubscriptions.confirm(
        ctx.services.alertSubscriptions.tokenFor('confirm', row.id),
      );
    }
  });
  afterAll(() => ctx.close());

  const subscribers = async () =>
    (
      await ctx.services.database.db
        .selectFrom('alert_subscribers')
        .select('email')
        .orderBy('email')
        .execute()
    ).map((r) => r.email);
  const post = (url: string, payload = ONE_CLICK) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });

  it('changes nothing for a wrong, altered or other-purpose token, nor through the form route without its CSRF token', async () => {
    const reader = ids['reader@example.net'] ?? 0;
    const valid = ctx.services.alertSubscriptions.tokenFor('unsubscribe', reader);
    const altered = `${valid.slice(0, -1)}${valid.endsWith('A') ? 'B' : 'A'}`;
    for (const token of [
      `${String(reader)}.${'A'.repeat(43)}`,
      altered,
      ctx.services.alertSubscriptions.tokenFor('confirm', reader),
      'not-a-token',
    ]) {
      const res = await post(`/alerts/unsubscribe/${token}/one-click?lng=en`);
      expect(res.statusCode, token).toBe(404);
    }
    // The page's own form is not exempt: without its CSRF token it is refused, whatever the token in the URL.
    expect((await post(`/alerts/unsubscribe/${valid}`, '')).statusCode).toBe(403);
    expect(await subscribers()).toEqual(['other@example.net', 'reader@example.net']);
  });

  it('unsubscribes in one POST with the right token, answering 200 without a redirect', async () => {
    const reader = ids['reader@example.net'] ?? 0;
    const token = ctx.services.alertSubscriptions.tokenFor('unsubscribe', reader);
    // Opened in a browser, the address is the unsubscribe page, which removes nothing by itself.
    const page = await ctx.app.inject(`/alerts/unsubscribe/${token}/one-click?lng=cy`);
    expect(page.statusCode).toBe(200);
    expect(await subscribers()).toEqual(['other@example.net', 'reader@example.net']);

    const res = await post(`/alerts/unsubscribe/${token}/one-click?lng=en`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(await subscribers()).toEqual(['other@example.net']);
  });

  it('lets no other route claim the exemption', async () => {
    const app = Fastify();
    await app.register(cookie, { secret: 'a secret long enough for signed cookies' });
    await app.register(securityPlugin, { production: false, https: false });
    await app.register(csrfPlugin);
    expect(() =>
      app.post('/alerts/subscribe/elsewhere', { config: { csrfExempt: true } }, () => 'no'),
    ).toThrow(/may not be exempt from CSRF checks/);
    await app.close();
  });
});
