import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../domain/access/access-policy.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

type Staff = { role: Role; forceId?: string; unitId?: string; label: string };

// Every role, in the home force (Cumbria) and another (Kent), regional and national.
const STAFF: Staff[] = [
  { role: 'force-officer', forceId: 'cumbria', label: 'cumbria officer' },
  { role: 'force-supervisor', forceId: 'cumbria', label: 'cumbria supervisor' },
  { role: 'force-officer', forceId: 'kent', label: 'kent officer' },
  { role: 'force-supervisor', forceId: 'kent', label: 'kent supervisor' },
  { role: 'regional-officer', unitId: 'nwrocu-rccu', label: 'north west regional' },
  { role: 'regional-officer', unitId: 'ersou-rccu', label: 'eastern regional' },
  { role: 'national-officer', unitId: 'nccu', label: 'nccu' },
  { role: 'national-officer', unitId: 'fraud-assessment', label: 'fraud assessment' },
  { role: 'analyst', label: 'analyst' },
  { role: 'admin', label: 'admin' },
  { role: 'call-handler', label: 'call handler' },
  // Works the region of the organisation's report, but Prevent referrals only: no report exists for them.
  { role: 'prevent-officer', unitId: 'nwrocu-rccu', label: 'north west prevent' },
];

// Reports and the unit each is routed to; only that unit's people may read it.
const REPORTS = [
  { narrative: 'someone hacked my facebook account and messaged my friends', unit: 'cumbria-cyber' },
  {
    narrative: 'ransomware encrypted our files and they demand bitcoin',
    organisation: true,
    unit: 'nwrocu-rccu',
  },
  { narrative: 'bought concert tickets online for £80 that never arrived', unit: 'fraud-assessment' },
] as const;

describe('staff access to reports: every role × own and other unit', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const tokens = new Map<string, string>();
  const references: { reference: string; unit: string }[] = [];

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const s of STAFF) {
      const email = `${s.label.replace(/\s+/g, '.')}@police.example`;
      await ctx.services.staffAccounts.add({
        email,
        role: s.role,
        forceId: s.forceId,
        unitId: s.unitId,
        password: 'correct horse battery staple',
      });
      const user = await ctx.services.staff.userIdByEmail(email);
      tokens.set(
        s.label,
        (await ctx.services.tokens.create(s.label, ['staff', 'statistics:read'], user?.id ?? null)).token,
      );
    }
    const partner = (await ctx.services.tokens.create('bank', ['reports:write'])).token;
    for (const r of REPORTS) {
      const organisation = 'organisation' in r;
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { authorization: `Bearer ${partner}` },
        payload: {
          reporter: {
            type: organisation ? 'organisation' : 'individual',
            name: 'V',
            postcode: 'CA1 1AA',
            ...(organisation ? { organisation: { name: 'Acme', sector: 'retail' } } : {}),
          },
          incident: { narrative: r.narrative },
          consents: { victim_support: false },
        },
      });
      references.push({ reference: res.json<{ reference: string }>().reference, unit: r.unit });
    }
  });
  afterAll(() => ctx.close());

  const read = (label: string, reference: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      url: `/api/v1/reports/${reference}`,
      headers: { authorization: `Bearer ${tokens.get(label) ?? ''}`, ...headers },
    });

  it('routes the fixture reports where the matrix expects', async () => {
    for (const { reference, unit } of references) {
      const row = await ctx.services.database.db
        .selectFrom('reports')
        .select('unit_id')
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
      expect(row.unit_id).toBe(unit);
    }
  });

  for (const s of STAFF) {
    it(`${s.label} (${s.role}) reads exactly the reports routed to their unit, and nothing else exists for them`, async () => {
      const unit = s.unitId ?? (s.forceId ? `${s.forceId}-cyber` : null);
      for (const { reference, unit: reportUnit } of references) {
        const res = await read(s.label, reference);
        const allowed =
          unit === reportUnit &&
          s.role !== 'analyst' &&
          s.role !== 'admin' &&
          s.role !== 'call-handler' &&
          s.role !== 'prevent-officer';
        expect(res.statusCode, `${s.label} → ${reportUnit}`).toBe(allowed ? 200 : 404);
        if (allowed) {
          expect(res.json()).toMatchObject({ reference, routing: { unit: reportUnit } });
        } else {
          expect(res.body).not.toContain(reference);
        }
      }
    });
  }

  it('answers in snake_case as docs/api.md says, with the victim’s answers as they were given', async () => {
    const res = await read('cumbria officer', references[0]?.reference ?? '');
    const report = res.json<Record<string, unknown>>();
    expect(Object.keys(report)).toEqual([
      'reference',
      'status',
      'received_at',
      'category',
      'cyber',
      'recording_code',
      'extortion',
      'vulnerable',
      'urgent',
      'tlp',
      'classification',
      'routing',
      'answers',
      'taken_by_adviser',
      'personal_data_removed_at',
      'victim_news_at',
      'history',
      'indicators',
      'linked',
    ]);
    const update = (report.history as { kind: string }[]).find((h) => h.kind !== 'category');
    expect(Object.keys(update ?? {})).toEqual(['at', 'kind', 'message', 'visible_to_victim']);
  });

  it('answers an unknown reference exactly like a report outside scope', async () => {
    const unknown = await read('cumbria officer', 'CYB-0000-0000-0');
    const outside = await read('kent officer', references[0]?.reference ?? '');
    expect(unknown.statusCode).toBe(404);
    expect(outside.body).toBe(unknown.body);
  });

  it('refuses a UTF-8 X-Access-Reason with 422 naming the header, and keeps a Welsh ?reason= as written', async () => {
    const reference = references[0]?.reference ?? '';
    const readAudits = () =>
      ctx.services.database.db
        .selectFrom('audit_log')
        .select(['actor', 'detail'])
        .where('action', '=', 'read-report')
        .where('reference', '=', reference)
        .orderBy('id')
        .execute();
    const before = (await readAudits()).length;
    // Header bytes are read as Latin-1: the UTF-8 of "ŵ" arrives as "Åµ", and would be stored so.
    const wire = Buffer.from('Asesiad cychwynnol — ŵyr', 'utf8').toString('latin1');
    const refused = await read('cumbria officer', reference, { 'x-access-reason': wire });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = refused.json<{ code: string; detail: string; errors: { name: string }[] }>();
    expect(problem.code).toBe('access-reason-header-not-ascii');
    expect(problem.errors.map((e) => e.name)).toEqual(['X-Access-Reason']);
    expect(problem.detail).toContain('reason query parameter');
    expect(refused.body).not.toContain(reference);
    expect((await readAudits()).length).toBe(before);
    // The fallback: UTF-8 by definition, control characters cleaned, stored as written.
    const welsh = 'Asesiad cychwynnol — ŵyr a ŷd';
    const ok = await read('cumbria officer', `${reference}?reason=${encodeURIComponent(`${welsh}\n`)}`);
    expect(ok.statusCode).toBe(200);
    expect((await readAudits()).at(-1)).toEqual({ actor: 'cumbria.officer@police.example', detail: welsh });
    // A reason of nothing but control or invisible characters is no reason.
    // Nor is a stack of accents, a blank letter or a right-to-left override.
    for (const empty of [
      '%00',
      '%E2%80%8B',
      '%0A%0D',
      '%CC%81%CC%81%CC%81',
      '%E3%85%A4',
      '%E2%A0%80',
      '%E2%80%AE',
    ])
      expect((await read('cumbria officer', `${reference}?reason=${empty}`)).statusCode, empty).toBe(422);
    expect((await readAudits()).length).toBe(before + 1);
    // Both given: the header wins (docs/api.md), the parameter is not audited.
    const both = await read('cumbria officer', `${reference}?reason=from%20the%20query`, {
      'x-access-reason': 'from the header',
    });
    expect(both.statusCode).toBe(200);
    expect((await readAudits()).at(-1)?.detail).toBe('from the header');
    // Two ?reason= parameters: neither is chosen; refused by the schema, nothing read.
    const two = await read('cumbria officer', `${reference}?reason=first&reason=second`);
    expect(two.statusCode).toBe(400);
    expect(two.json<{ errors: { name: string }[] }>().errors.map((e) => e.name)).toEqual(['reason']);
    // 10 kB: refused by the schema before anything is read (the limit is 500).
    const huge = await read('cumbria officer', `${reference}?reason=${'a'.repeat(10_000)}`);
    expect(huge.statusCode).toBe(400);
    expect((await readAudits()).length).toBe(before + 2);
  });

  it('writes every read to the audit log with the reason, readable by the unit’s supervisor only', async () => {
    const reference = references[0]?.reference ?? '';
    await read('cumbria officer', reference, { 'x-access-reason': 'initial assessment' });
    const trail = await ctx.app.inject({
      url: `/api/v1/audit?reference=${reference}`,
      headers: { authorization: `Bearer ${tokens.get('cumbria supervisor') ?? ''}` },
    });
    expect(trail.statusCode).toBe(200);
    const entries = trail.json<{ entries: { actor: string; action: string; detail: string }[] }>().entries;
    expect(entries).toContainEqual(
      expect.objectContaining({
        actor: 'cumbria.officer@police.example',
        action: 'read-report',
        detail: 'initial assessment',
      }),
    );
    for (const label of ['cumbria officer', 'kent supervisor', 'analyst', 'admin', 'call handler']) {
      const res = await ctx.app.inject({
        url: `/api/v1/audit?reference=${reference}`,
        headers: { authorization: `Bearer ${tokens.get(label) ?? ''}` },
      });
      expect(res.statusCode, label).toBe(404);
    }
  });

  it('refuses partner tokens and no token', async () => {
    const partner = (await ctx.services.tokens.create('bank2', ['reports:write'])).token;
    expect(
      (
        await ctx.app.inject({
          url: `/api/v1/reports/${references[0]?.reference ?? ''}`,
          headers: { authorization: `Bearer ${partner}` },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await ctx.app.inject({ url: `/api/v1/reports/${references[0]?.reference ?? ''}` })).statusCode,
    ).toBe(401);
    // No token: 401 before the reason is looked at, however long or odd (not 400 or 422, which would say the
    // route reads reasons to someone who may not use it). Two ?reason= (an array) as well.
    for (const query of [`reason=${'a'.repeat(10_000)}`, 'reason=a&reason=b', 'reason=%E2%80%AE'])
      for (const url of [
        `/api/v1/reports/${references[0]?.reference ?? ''}?${query}`,
        `/api/v1/indicators/email/x%40example.com?${query}`,
      ]) {
        const res = await ctx.app.inject({ url, headers: { 'x-access-reason': 'caf\u00e9'.repeat(2000) } });
        expect(res.statusCode, `${url.slice(0, 40)} ${query.slice(0, 20)}`).toBe(401);
      }
  });

  it('covers every role', () => {
    expect(new Set(STAFF.map((s) => s.role))).toEqual(new Set(ROLES));
  });
});
