import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEmailAddress } from '../../../domain/contact/email-address.ts';
import { parseCrimeReference } from '../../../domain/reference/crime-reference.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

const body = () => ({
  reporter: {
    type: 'individual',
    name: 'Pat Customer',
    email: 'Pat@Example.org',
    phone: '07911 123456',
    postcode: 'm1 1ae',
  },
  incident: {
    narrative: 'Customer paid £2,000 to a fake investment platform after a call.',
    started_at: '2026-10-01',
    ongoing: false,
    contact_method: 'phone-call',
    losses: [{ amount_pence: 200000, method: 'bank-transfer' }],
  },
  suspect: { names: ['Crypto Gains Ltd'], phones: ['+44 20 7946 0000'], bank_accounts: ['200000-12345678'] },
  consents: { victim_support: true },
});

describe('POST /api/v1/reports', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let token = '';
  let otherToken = '';
  let statsToken = '';
  beforeAll(async () => {
    ctx = await createTestApp();
    token = (await ctx.services.tokens.create('Example Bank', ['reports:write'])).token;
    otherToken = (await ctx.services.tokens.create('Other Bank', ['reports:write'])).token;
    statsToken = (await ctx.services.tokens.create('Analyst', ['statistics:read'])).token;
  });
  afterAll(() => ctx.close());

  const post = (payload: unknown, headers: Record<string, string> = {}, bearer = token) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${bearer}`, ...headers },
      payload: payload as object,
    });

  it('keeps the language the person reported in, for every email to them; refuses any other', async () => {
    const welsh = body();
    const res = await post({ ...welsh, reporter: { ...welsh.reporter, language: 'cy' } });
    expect(res.statusCode).toBe(201);
    const { reference } = res.json<{ reference: string }>();
    const db = ctx.services.database.db;
    const row = await db
      .selectFrom('reports')
      .select('lng')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row.lng).toBe('cy');
    const job = await db
      .selectFrom('outbox')
      .select('payload')
      .where('dedupe_key', '=', `confirmation-email:${reference}`)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(job.payload)).toMatchObject({ lng: 'cy' });
    const french = await post({ ...welsh, reporter: { ...welsh.reporter, language: 'fr' } });
    expect(french.statusCode).toBe(422);
    expect(JSON.stringify(french.json())).toContain('reporter.language');
  });

  it('records a report and answers 201 with its reference and status URL', async () => {
    const res = await post(body());
    expect(res.statusCode).toBe(201);
    const json = res.json<{ reference: string; status: string; status_url: string }>();
    expect(parseCrimeReference(json.reference)).toBe(json.reference);
    expect(json.status).toBe('received');
    expect(json.status_url).toBe(`http://localhost:3000/api/v1/reports/${json.reference}/status`);
    const row = await ctx.services.database.db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', json.reference)
      .executeTakeFirstOrThrow();
    // Classified from the narrative; a named suspect with a UK phone is a lead, so it goes to the force.
    expect(row).toMatchObject({
      category: 'investment-fraud',
      unit_id: 'greater-manchester-cyber',
      routing_rule: 'fraud-with-leads',
    });
    expect(row).toMatchObject({
      source: 'api',
      force_id: 'greater-manchester',
      postcode: 'M1 1AE',
      contact_email: 'pat@example.org',
      loss_pence: 200000,
      victim_support_consent: 1,
      // No language given: English.
      lng: 'en',
    });
    const status = await ctx.app.inject({
      url: `/api/v1/reports/${json.reference}/status`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({
      reference: json.reference,
      status: 'received',
      updates: [{ kind: 'received' }],
    });
    // The keys docs/api.md promises, in snake_case, and the time the report was received.
    const answer = status.json<{ received_at: string; updates: object[] }>();
    expect(Object.keys(answer)).toEqual(['reference', 'status', 'received_at', 'updates']);
    expect(answer.updates.map((u) => Object.keys(u))).toEqual([['kind', 'message', 'at']]);
    expect(answer.received_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Another partner cannot see it, and learns nothing from the answer.
    const other = await ctx.app.inject({
      url: `/api/v1/reports/${json.reference}/status`,
      headers: { authorization: `Bearer ${otherToken}` },
    });
    expect(other.statusCode).toBe(404);
  });

  it('makes retries safe with Idempotency-Key: same body, same reference; different body, 409', async () => {
    const key = { 'idempotency-key': 'bank-case-12345' };
    const first = await post(body(), key);
    const again = await post(body(), key);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json<{ reference: string }>().reference).toBe(first.json<{ reference: string }>().reference);
    const reordered = JSON.parse(
      JSON.stringify({
        consents: body().consents,
        incident: body().incident,
        suspect: body().suspect,
        reporter: body().reporter,
      }),
    ) as object;
    expect((await post(reordered, key)).json<{ reference: string }>().reference).toBe(
      first.json<{ reference: string }>().reference,
    );
    const changed = { ...body(), consents: { victim_support: false } };
    const conflict = await post(changed, key);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['content-type']).toMatch(/application\/problem\+json/);
    const count = await ctx.services.database.db
      .selectFrom('idempotency_keys')
      .innerJoin('reports', 'reports.reference', 'idempotency_keys.reference')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', '=', 'bank-case-12345')
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
    // The same key from a different partner is a different request.
    expect((await post(body(), key, otherToken)).json<{ reference: string }>().reference).not.toBe(
      first.json<{ reference: string }>().reference,
    );
  });

  it('gives concurrent retries with one key one report', async () => {
    const key = { 'idempotency-key': 'concurrent-1' };
    const results = await Promise.all([post(body(), key), post(body(), key), post(body(), key)]);
    const references = new Set(results.map((r) => r.json<{ reference: string }>().reference));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(references.size).toBe(1);
  });

  it('answers 422 problem+json listing every bad field', async () => {
    const bad = {
      reporter: { type: 'robot', name: '', postcode: 'CA1 1AA', email: 'not-an-email', extra: 1 },
      incident: { narrative: 'x', losses: [{ amount_pence: -5, method: 'bank-transfer' }] },
      consents: {},
    };
    const res = await post(bad);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const names = res.json<{ errors: { name: string }[] }>().errors.map((e) => e.name);
    for (const field of [
      'reporter.type',
      'reporter.name',
      'reporter.email',
      'reporter.extra',
      'incident.losses.0.amount_pence',
      'consents.victim_support',
    ]) {
      expect(names).toContain(field);
    }
  });

  it('checks an email address by the one rule the forms use too, not a rule of its own', async () => {
    // The first is JSON Schema's email to ajv-formats, the last is not: only the domain's rule decides here.
    for (const email of ['pat@example.c', 'pat,sam@example.org', 'josé@example.org']) {
      const b = body();
      const res = await post({ ...b, reporter: { ...b.reporter, email } });
      expect(res.statusCode, email).toBe(isEmailAddress(email) ? 201 : 422);
    }
  });

  it('answers 422 for a postcode, phone or date the schema cannot check', async () => {
    const b = body();
    const res = await post({
      ...b,
      reporter: { ...b.reporter, postcode: 'JE2 3AB', phone: '12' },
      incident: { ...b.incident, started_at: '2999-01-01' },
    });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json<{ errors: { name: string }[] }>()
        .errors.map((e) => e.name)
        .sort(),
    ).toEqual(['incident.started_at', 'reporter.phone', 'reporter.postcode']);
  });

  it('answers 401 without a valid token and 403 without the scope, storing nothing', async () => {
    const before = await ctx.services.database.db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const none = await ctx.app.inject({ method: 'POST', url: '/api/v1/reports', payload: body() });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect((await post(body(), {}, 'blt_nope')).statusCode).toBe(401);
    expect((await post(body(), {}, statsToken)).statusCode).toBe(403);
    const after = await ctx.services.database.db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('stores only a hash of each token', async () => {
    const rows = await ctx.services.database.db.selectFrom('api_tokens').select('token_hash').execute();
    for (const row of rows) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toBe(token);
    }
  });

  it('publishes an OpenAPI document generated from the same schemas', async () => {
    const res = await ctx.app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }
        >
      >;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    const schema = doc.paths['/api/v1/reports']?.post?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(schema?.properties ?? {}).sort()).toEqual([
      'consents',
      'incident',
      'reporter',
      'suspect',
    ]);
    expect(Object.keys(doc.paths)).not.toContain('/');
  });
});
