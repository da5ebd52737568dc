import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../domain/access/access-policy.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

const PHONE = '07700 900777';

describe('intelligence API: indicators and campaigns, scoped by unit', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const tokens = new Map<string, string>();
  const refs: Record<string, string> = {};

  const staff = async (label: string, role: Role, forceId?: string) => {
    const email = `${label}@police.example`;
    await ctx.services.staffAccounts.add({ email, role, forceId, password: 'correct horse battery staple' });
    const user = await ctx.services.staff.userIdByEmail(email);
    tokens.set(label, (await ctx.services.tokens.create(label, ['staff'], user?.id ?? null)).token);
  };
  const get = (label: string, url: string) =>
    ctx.app.inject({ url, headers: { authorization: `Bearer ${tokens.get(label) ?? ''}` } });

  beforeAll(async () => {
    ctx = await createTestApp();
    await staff('cumbria', 'force-officer', 'cumbria');
    await staff('kent', 'force-officer', 'kent');
    await staff('dorset', 'force-officer', 'dorset');
    await staff('analyst', 'analyst');
    await staff('admin', 'admin');
    const partner = (await ctx.services.tokens.create('bank', ['reports:write'])).token;
    const report = async (postcode: string, narrative: string) => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { authorization: `Bearer ${partner}` },
        payload: {
          reporter: { type: 'individual', name: 'Victim Name', postcode, email: 'victim.person@example.org' },
          incident: { narrative },
          consents: { victim_support: false },
        },
      });
      expect(res.statusCode).toBe(201);
      return res.json<{ reference: string }>().reference;
    };
    refs.cumbria = await report(
      'CA1 1AA',
      `Someone hacked my facebook account and told friends to ring ${PHONE}`,
    );
    refs.kent = await report(
      'ME1 1AA',
      `My instagram account was hacked; the hacker texted me from ${PHONE}`,
    );
    await ctx.services.intelligence.linkPending();
  });
  afterAll(() => ctx.close());

  it('looks an indicator up however it is typed: counts across forces and its campaign', async () => {
    const res = await get('cumbria', `/api/v1/indicators/phone/${encodeURIComponent(PHONE)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ type: 'phone', value: '+447700900777', reports: 2, forces: 2 });
    expect(typeof body.campaign).toBe('number');
    expect(Object.keys(body).sort()).toEqual(
      [
        'campaign',
        'first_seen',
        'forces',
        'known_to_feeds',
        'last_seen',
        'reports',
        'type',
        'value',
        'warning_list',
      ].sort(),
    );
    // No external feed is configured here: nothing knows it.
    expect(body.known_to_feeds).toEqual([]);
    expect((await get('analyst', '/api/v1/indicators/phone/+447700900777')).statusCode).toBe(200);
  });

  it('answers problem+json naming the field for a bad type or value, 404 for an unseen one, 403 for admins', async () => {
    const badType = await get('cumbria', '/api/v1/indicators/telephone/123');
    expect(badType.statusCode).toBe(400);
    expect(badType.headers['content-type']).toContain('application/problem+json');
    expect(badType.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('type');
    const badValue = await get('cumbria', '/api/v1/indicators/ipv4/300.1.1.1');
    expect(badValue.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('value');
    expect((await get('cumbria', '/api/v1/indicators/domain/never-reported-anywhere.com')).statusCode).toBe(
      404,
    );
    expect((await get('admin', '/api/v1/indicators/phone/+447700900777')).statusCode).toBe(403);
    expect((await ctx.app.inject({ url: '/api/v1/indicators/phone/+447700900777' })).statusCode).toBe(401);
  });

  it('audits every look-up, found or not: who asked, for which value, why and what it found', async () => {
    const audit = () =>
      ctx.services.database.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'detail'])
        .where('action', '=', 'lookup-indicator')
        .orderBy('id')
        .execute();
    const before = (await audit()).length;
    const found = await ctx.app.inject({
      url: `/api/v1/indicators/phone/${encodeURIComponent(PHONE)}`,
      headers: { authorization: `Bearer ${tokens.get('dorset') ?? ''}`, 'x-access-reason': 'Op Kestrel' },
    });
    expect(found.statusCode).toBe(200);
    expect((await get('analyst', '/api/v1/indicators/email/someone.else%40example.net')).statusCode).toBe(
      404,
    );
    // A value that is not an indicator reads nothing and is not a look-up.
    expect((await get('dorset', '/api/v1/indicators/ipv4/300.1.1.1')).statusCode).toBe(400);
    const rows = (await audit()).slice(before);
    expect(rows).toEqual([
      {
        actor: 'dorset@police.example',
        action: 'lookup-indicator',
        detail: 'phone +447700900777: 2 report(s); reason: Op Kestrel',
      },
      {
        actor: 'analyst@police.example',
        action: 'lookup-indicator',
        detail: 'email someone.else@example.net: not reported',
      },
    ]);
  });

  it('answers nothing when the look-up cannot be audited', async () => {
    const db = ctx.services.database.db;
    const postgres = ctx.services.config.database.dialect === 'postgres';
    // The audit log refuses every row, as a full disk or a lost privilege would.
    if (postgres) {
      await sql`create function refuse_audit() returns trigger language plpgsql as
        $$ begin raise exception 'audit refused'; end $$`.execute(db);
      await sql`create trigger refuse_audit before insert on audit_log for each row
        execute function refuse_audit()`.execute(db);
    } else
      await sql`create trigger refuse_audit before insert on audit_log
        begin select raise(abort, 'audit refused'); end`.execute(db);
    try {
      const res = await get('dorset', `/api/v1/indicators/phone/${encodeURIComponent(PHONE)}`);
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('447700900777');
      expect(res.body).not.toMatch(/reports|forces|campaign/);
    } finally {
      await sql`drop trigger refuse_audit${postgres ? sql` on audit_log` : sql``}`.execute(db);
      if (postgres) await sql`drop function refuse_audit()`.execute(db);
    }
    expect((await get('dorset', `/api/v1/indicators/phone/${encodeURIComponent(PHONE)}`)).statusCode).toBe(
      200,
    );
  });

  it('refuses a UTF-8 X-Access-Reason with 422 naming the header, and keeps a Welsh ?reason= as written', async () => {
    const audit = () =>
      ctx.services.database.db
        .selectFrom('audit_log')
        .select(['actor', 'detail'])
        .where('action', '=', 'lookup-indicator')
        .orderBy('id')
        .execute();
    const before = (await audit()).length;
    const url = `/api/v1/indicators/phone/${encodeURIComponent(PHONE)}`;
    const as = (headers: Record<string, string>, query = '') =>
      ctx.app.inject({
        url: `${url}${query}`,
        headers: { authorization: `Bearer ${tokens.get('dorset') ?? ''}`, ...headers },
      });
    // Header bytes are read as Latin-1: the UTF-8 of "ŵ" arrives as "Åµ", and would be stored so.
    const refused = await as({ 'x-access-reason': Buffer.from('Ymgyrch ŵyr', 'utf8').toString('latin1') });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = refused.json<{ code: string; detail: string; errors: { name: string }[] }>();
    expect(problem.code).toBe('access-reason-header-not-ascii');
    expect(problem.errors.map((e) => e.name)).toEqual(['X-Access-Reason']);
    expect(problem.detail).toContain('reason query parameter');
    expect((await audit()).length).toBe(before);
    const welsh = 'Ymgyrch Glas — ŵyr a ŷd';
    const ok = await as({}, `?reason=${encodeURIComponent(`${welsh}\u200b`)}`);
    expect(ok.statusCode).toBe(200);
    expect((await audit()).at(-1)).toEqual({
      actor: 'dorset@police.example',
      detail: `phone +447700900777: 2 report(s); reason: ${welsh}`,
    });
    const empty = await as({}, '?reason=%0A%E2%80%8B');
    expect(empty.statusCode).toBe(422);
    expect(empty.json<{ errors: { name: string }[] }>().errors.map((e) => e.name)).toEqual(['reason']);
    expect((await audit()).length).toBe(before + 1);
  });

  it('shows each force its campaign with its own reports by reference and the others only by force and unit', async () => {
    const list = await get('cumbria', '/api/v1/campaigns');
    expect(list.statusCode).toBe(200);
    const { campaigns, total } = list.json<{
      campaigns: { id: number; size: number; forces: string[] }[];
      total: number;
    }>();
    expect(total).toBe(1);
    expect(campaigns[0]).toMatchObject({ size: 2, forces: ['cumbria', 'kent'] });
    const id = campaigns[0]?.id ?? 0;

    const detail = await get('cumbria', `/api/v1/campaigns/${id}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      id,
      size: 2,
      reports: [{ reference: refs.cumbria, force: 'cumbria', unit: 'cumbria-cyber' }],
      elsewhere: [{ force: 'kent', unit: 'kent-cyber', reports: 1 }],
      shared_indicators: [{ type: 'phone', value: '+447700900777', reports: 2 }],
    });
    expect(JSON.stringify(body)).not.toContain(refs.kent ?? 'none');
    // Never the victims' details.
    expect(JSON.stringify(body)).not.toMatch(/victim\.person|Victim Name|CA1 1AA|ME1 1AA/);

    const analyst = (await get('analyst', `/api/v1/campaigns/${id}`)).json<{ reports: unknown[] }>();
    expect(analyst.reports).toEqual([]);
    expect((await get('dorset', `/api/v1/campaigns/${id}`)).statusCode).toBe(404);
    expect((await get('dorset', '/api/v1/campaigns')).json<{ total: number }>().total).toBe(0);
    expect((await get('admin', `/api/v1/campaigns/${id}`)).statusCode).toBe(403);
    expect((await get('cumbria', '/api/v1/campaigns/abc')).statusCode).toBe(404);
    expect((await get('cumbria', '/api/v1/campaigns?limit=0')).statusCode).toBe(400);
  });

  it('lists a report’s indicators and links in the staff report API', async () => {
    const res = await get('kent', `/api/v1/reports/${refs.kent ?? ''}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      indicators: { type: string; value: string; other_reports: number }[];
      linked: unknown;
    }>();
    expect(body.indicators).toContainEqual(
      expect.objectContaining({ type: 'phone', value: '+447700900777', other_reports: 1, other_forces: 1 }),
    );
    expect(body.linked).toMatchObject({ reports: 1, forces: 1 });
    expect(body.indicators.map((i) => i.value)).not.toContain('victim.person@example.org');
  });
});
