import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../test/support/form-client.ts';
import { createTestApp } from '../../../test/support/test-app.ts';
import { CLIENT_LIMITS, type ClientAction } from '../../domain/limits/client-limits.ts';

const NOW = new Date('2026-12-03T10:01:00Z');

/** One public POST per limited action: any body will do, the gate counts before the handler reads it. */
const ATTEMPTS: { action: ClientAction; send: (client: FormClient) => Promise<LightMyRequestResponse> }[] = [
  { action: 'report-submit', send: (c) => c.post('/report/submit') },
  {
    action: 'evidence-upload',
    send: (c) => c.upload('/report/evidence/upload', [{ name: 'a.txt', content: 'x' }]),
  },
  { action: 'protect-request', send: (c) => c.post('/cyber-protect/request', { organisation: 'Spam Ltd' }) },
  { action: 'ask-question', send: (c) => c.post('/ask/999', { question: 'spam' }) },
  { action: 'prevent-referral', send: (c) => c.post('/prevent/refer', { concern: 'spam' }) },
  { action: 'progress-check', send: (c) => c.post('/report/progress', { reference: 'x', secret: 'y' }) },
  { action: 'answer', send: (c) => c.post('/advice/ico-breach', {}) },
  {
    action: 'victim-addition',
    send: (c) => c.post('/report/progress/add-information', { information: 'x' }),
  },
  { action: 'save-draft', send: (c) => c.post('/report/save', { email: 'a@example.org' }) },
  { action: 'resume-draft', send: (c) => c.post(`/report/return/${'A'.repeat(43)}`) },
  { action: 'alert-subscribe', send: (c) => c.post('/alerts/subscribe', { email: 'a@example.org' }) },
  { action: 'emailed-link', send: (c) => c.post(`/alerts/unsubscribe/1.${'A'.repeat(43)}`) },
];

function expectTooManyAttemptsPage(res: LightMyRequestResponse, windowMinutes: number) {
  expect(res.statusCode).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowMinutes * 60);
  expect(res.body).toContain('<title>Sorry, there have been too many attempts');
  expect(res.body).toContain('<h1 class="govuk-heading-l">Sorry, there have been too many attempts</h1>');
  expect(res.body).toMatch(/You can try again in \d+ minutes?, after \d\d:\d\d\./);
  // What else people can do, from the reference data.
  for (const phone of ['999', '0300 123 2040', '101']) expect(res.body).toContain(phone);
}

describe('per-client limits on every public POST', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => NOW });
  });
  afterAll(() => ctx.close());

  it.each(ATTEMPTS.map((a, i) => [a.action, a, i] as const))(
    '%s: one more than the limit from one client gets the GOV.UK too-many-attempts page; another client does not',
    async (action, { send }, i) => {
      const { perClient, windowMinutes } = CLIENT_LIMITS[action];
      const attacker = new FormClient(ctx.app, { remoteAddress: `203.0.113.${i + 1}` });
      for (let n = 0; n < perClient; n++) expect((await send(attacker)).statusCode).not.toBe(429);
      expectTooManyAttemptsPage(await send(attacker), windowMinutes);
      expectTooManyAttemptsPage(await send(attacker), windowMinutes);

      const someoneElse = new FormClient(ctx.app, { remoteAddress: `198.51.100.${i + 1}` });
      expect((await send(someoneElse)).statusCode).not.toBe(429);
    },
  );

  it('says when to try again, in Welsh too', async () => {
    const client = new FormClient(ctx.app, { remoteAddress: '203.0.113.100' });
    const { perClient } = CLIENT_LIMITS['protect-request'];
    for (let n = 0; n < perClient; n++) await client.post('/cyber-protect/request');
    const english = await client.post('/cyber-protect/request');
    // 10:01 GMT in a 60-minute window: the next one starts at 11:00.
    expect(english.headers['retry-after']).toBe(String(59 * 60));
    expect(english.body).toContain('You can try again in 59 minutes, after 11:00.');
    const welsh = await client.post('/cyber-protect/request?lng=cy');
    expect(welsh.statusCode).toBe(429);
    expect(welsh.body).toContain('<html lang="cy"');
    expect(welsh.body).toContain('Mae’n ddrwg gennym, bu gormod o ymdrechion');
    expect(welsh.body).toContain('ar ôl 11:00');
  });

  it('counts an IPv6 client by its /64, so rotating addresses within it does not help', async () => {
    const { perClient } = CLIENT_LIMITS['protect-request'];
    for (let n = 0; n <= perClient; n++) {
      const res = await new FormClient(ctx.app, { remoteAddress: `2001:db8:5:6::${n + 1}` }).post(
        '/cyber-protect/request',
        {},
        { follow: false },
      );
      // Within the limit the form itself refuses the empty request: back to the form (post/redirect/get).
      expect(res.statusCode).toBe(n < perClient ? 303 : 429);
    }
    const neighbour = new FormClient(ctx.app, { remoteAddress: '2001:db8:5:7::1' });
    expect((await neighbour.post('/cyber-protect/request', {}, { follow: false })).statusCode).toBe(303);
  });

  it('does not count staff or token-authenticated routes against the public limits', async () => {
    const client = new FormClient(ctx.app, { remoteAddress: '203.0.113.200' });
    for (let n = 0; n <= CLIENT_LIMITS.answer.perClient; n++)
      await ctx.app.inject({ method: 'POST', url: '/api/v1/reports', remoteAddress: '203.0.113.200' });
    expect((await client.post('/advice/ico-breach', {})).statusCode).toBe(400);
  });
});
