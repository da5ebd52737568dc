import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/support/test-app.ts';
import { testDialect } from '../../test/support/test-services.ts';
import type { Role } from '../domain/access/access-policy.ts';

// Cumbria owns the cases; Kent is a unit they are shared with; the north-west ROCU receives a transfer.
const PEOPLE: [who: string, role: Role, unit: { forceId: string } | { unitId: string }][] = [
  ['oic', 'force-officer', { forceId: 'cumbria' }],
  ['colleague', 'force-officer', { forceId: 'cumbria' }],
  ['supervisor', 'force-supervisor', { forceId: 'cumbria' }],
  ['kent', 'force-officer', { forceId: 'kent' }],
  ['kent-supervisor', 'force-supervisor', { forceId: 'kent' }],
  ['nw-lead', 'regional-officer', { unitId: 'nwrocu-rccu' }],
  ['nw-second', 'regional-officer', { unitId: 'nwrocu-rccu' }],
  ['nw-other', 'regional-officer', { unitId: 'nwrocu-rccu' }],
];
const email = (who: string) => `${who}@police.example`;

describe(`only the owning unit directs a case; restricted cases stay with their team (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const tokens: Record<string, string> = {};

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who] ?? ''}` },
      ...(payload ? { payload } : {}),
    });
  const db = () => ctx.services.database.db;

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [who, role, unit] of PEOPLE) {
      await ctx.services.staffAccounts.add({
        email: email(who),
        role,
        ...unit,
        password: 'correct horse battery staple',
      });
      const user = await ctx.services.staff.userIdByEmail(email(who));
      tokens[who] = (await ctx.services.tokens.create(who, ['staff'], user?.id ?? null)).token;
    }
  });
  afterAll(() => ctx.close());

  /** A case of Cumbria's shared with Kent, with one exhibit and an examination request in Cumbria's queue. */
  async function sharedCase(restricted: boolean, members: string[] = []) {
    const created = await call('oic', 'POST', '/api/v1/cases', {
      title: 'Operation Heron',
      reports: [],
      restricted,
    });
    const reference = created.json<{ reference: string }>().reference;
    expect(
      (
        await call('oic', 'POST', `/api/v1/cases/${reference}/share`, {
          unit: 'kent-cyber',
          reason: 'Suspect in Kent',
        })
      ).statusCode,
    ).toBe(201);
    for (const who of members)
      expect(
        (await call('oic', 'POST', `/api/v1/cases/${reference}/members`, { email: email(who) })).statusCode,
      ).toBe(201);
    const exhibit = await call('oic', 'POST', `/api/v1/cases/${reference}/exhibits`, {
      initials: 'JS',
      kind: 'phone',
      description: 'Phone',
      seized_at: '2026-11-20T09:15:00Z',
      seized_where: 'Carlisle',
    });
    const exhibitId = exhibit.json<{ id: number }>().id;
    const request = await call('oic', 'POST', `/api/v1/exhibits/${exhibitId}/examinations`, {
      what: 'Logical extraction',
      why: 'Messages',
      priority: 'high',
      legal_authority: 'PACE s.19',
    });
    return { reference, exhibitId, requestId: request.json<{ id: number }>().id };
  }

  /** Everything a refused change could have touched. */
  async function stateOf(reference: string) {
    const row = await db()
      .selectFrom('cases')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    const count = async (table: 'case_units' | 'case_members' | 'case_decisions' | 'custody_entries') =>
      (await db().selectFrom(table).select('case_id').where('case_id', '=', row.id).execute()).length;
    return {
      row,
      units: await count('case_units'),
      members: await count('case_members'),
      decisions: await count('case_decisions'),
      custody: await count('custody_entries'),
      examinations: await db()
        .selectFrom('forensic_requests')
        .select(['status', 'unit_id', 'findings'])
        .where('case_id', '=', row.id)
        .execute(),
      audit: (await db().selectFrom('audit_log').select('id').where('reference', '=', reference).execute())
        .length,
    };
  }

  it('refuses a unit the case is shared with: it cannot transfer it to itself, re-share it or close it', async () => {
    const { reference } = await sharedCase(false);
    const before = await stateOf(reference);
    for (const who of ['kent', 'kent-supervisor']) {
      expect((await call(who, 'GET', `/api/v1/cases/${reference}`)).statusCode, who).toBe(200);
      const attempts = [
        [
          'share',
          { unit: 'kent-cyber', reason: 'Ours now', transfer: true, officer_in_charge: email('kent') },
        ],
        ['share', { unit: 'nwrocu-rccu', reason: 'Pass it on' }],
        ['close', { outcome: 'suspect-not-identified', reason: 'Nothing more' }],
      ] as const;
      for (const [action, body] of attempts) {
        const res = await call(who, 'POST', `/api/v1/cases/${reference}/${action}`, body);
        expect(res.statusCode, `${who} ${action}`).toBe(403);
        expect(res.json<{ detail: string }>().detail).toContain('unit that owns the case');
      }
    }
    // The owning unit's officers who are not in charge (nor supervisors) may not either.
    expect(
      (
        await call('colleague', 'POST', `/api/v1/cases/${reference}/close`, {
          outcome: 'caution',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);
    const after = await stateOf(reference);
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
    // Reads by Kent are audited; nothing else was written.
    expect(after.audit - before.audit).toBe(2);
    // The owning unit's supervisor may close it.
    expect(
      (
        await call('supervisor', 'POST', `/api/v1/cases/${reference}/close`, {
          outcome: 'suspect-not-identified',
          reason: 'No lines of enquiry left',
        })
      ).statusCode,
    ).toBe(201);
  });

  it('refuses a unit the case is shared with when it changes the team, except to leave it', async () => {
    const { reference } = await sharedCase(true, ['kent']);
    const add = await call('kent', 'POST', `/api/v1/cases/${reference}/members`, {
      email: email('kent-supervisor'),
    });
    expect(add.statusCode).toBe(403);
    const remove = await call('kent', 'POST', `/api/v1/cases/${reference}/members/remove`, {
      email: email('oic'),
    });
    expect(remove.statusCode).toBe(403);
    expect((await call('kent-supervisor', 'GET', `/api/v1/cases/${reference}`)).statusCode).toBe(404);
    expect(
      (await call('kent', 'POST', `/api/v1/cases/${reference}/members/remove`, { email: email('kent') }))
        .statusCode,
    ).toBe(201);
    expect((await call('kent', 'GET', `/api/v1/cases/${reference}`)).statusCode).toBe(404);
  });

  it('refuses an officer of the owning unit who is not on a restricted case’s team: examinations, exhibits and custody answer as if nothing existed', async () => {
    const { reference, exhibitId, requestId } = await sharedCase(true);
    const before = await stateOf(reference);
    const unknown = await call('colleague', 'POST', '/api/v1/examinations/999999', {
      status: 'complete',
      findings: 'x',
    });
    const attack = await call('colleague', 'POST', `/api/v1/examinations/${requestId}`, {
      status: 'complete',
      findings: 'Nothing of interest found',
    });
    expect(attack.statusCode).toBe(404);
    expect(attack.body).toBe(unknown.body.replace('999999', String(requestId)));
    for (const [url, body] of [
      [
        `/api/v1/exhibits/${exhibitId}/custody`,
        { event: 'moved', at: '2026-11-21T10:00:00Z', location: 'Home' },
      ],
      [`/api/v1/exhibits/${exhibitId}/files`, { file_name: 'x.txt', content_base64: 'eA==' }],
      [
        `/api/v1/exhibits/${exhibitId}/examinations`,
        { what: 'x', why: 'x', priority: 'routine', legal_authority: 'x' },
      ],
      [`/api/v1/exhibits/${exhibitId}/cdr`, { csv: 'timestamp,type\n2026-11-20T08:59:00Z,call' }],
      [
        `/api/v1/cases/${reference}/exhibits`,
        {
          initials: 'AB',
          kind: 'other',
          description: 'x',
          seized_at: '2026-11-20T09:15:00Z',
          seized_where: 'x',
        },
      ],
    ] as const) {
      const res = await call('colleague', 'POST', url, body);
      expect(res.statusCode, url).toBe(404);
    }
    // The unit's forensics queue does not show the restricted case's request to them either.
    const queue = (await call('colleague', 'GET', '/api/v1/examinations')).json<{
      requests: { id: number }[];
    }>();
    expect(queue.requests.map((r) => r.id)).not.toContain(requestId);
    expect(await stateOf(reference)).toEqual(before);
    // Named on the team, they can work it; a finished examination is not finished again.
    await call('oic', 'POST', `/api/v1/cases/${reference}/members`, { email: email('colleague') });
    const done = await call('colleague', 'POST', `/api/v1/examinations/${requestId}`, {
      status: 'complete',
      findings: 'Chats recovered',
    });
    expect(done.statusCode).toBe(201);
    const again = await call('colleague', 'POST', `/api/v1/examinations/${requestId}`, {
      status: 'complete',
      findings: 'Overwritten',
    });
    expect(again.statusCode).toBe(409);
    expect((await stateOf(reference)).custody).toBe(before.custody + 1);
  });

  it('transfers a restricted case with its team rules: the receiving unit names who sees it, the old unit leaves', async () => {
    const { reference, requestId } = await sharedCase(true, ['colleague', 'kent']);
    const transfer = (body: object) =>
      call('oic', 'POST', `/api/v1/cases/${reference}/share`, {
        unit: 'nwrocu-rccu',
        reason: 'Organised crime group',
        transfer: true,
        ...body,
      });
    const wrongLead = await transfer({ officer_in_charge: email('kent') });
    expect(wrongLead.statusCode).toBe(422);
    expect(wrongLead.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('officer_in_charge');
    const wrongMember = await transfer({
      officer_in_charge: email('nw-lead'),
      members: [email('colleague')],
    });
    expect(wrongMember.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('members');
    expect(
      (await transfer({ officer_in_charge: email('nw-lead'), members: [email('nw-second')] })).statusCode,
    ).toBe(201);

    const seen = await call('nw-lead', 'GET', `/api/v1/cases/${reference}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({
      unit: 'nwrocu-rccu',
      officer_in_charge: email('nw-lead'),
      restricted: true,
      members: [email('kent'), email('nw-lead'), email('nw-second')],
      shared_with: [{ unit: 'kent-cyber' }],
    });
    const visible = {
      'nw-second': 200,
      kent: 200,
      'nw-other': 404,
      oic: 404,
      colleague: 404,
      supervisor: 404,
    };
    for (const [who, status] of Object.entries(visible))
      expect((await call(who, 'GET', `/api/v1/cases/${reference}`)).statusCode, who).toBe(status);
    // Its open examination moved to the receiving unit's forensics queue.
    const queue = (await call('nw-lead', 'GET', '/api/v1/examinations')).json<{
      requests: { id: number }[];
    }>();
    expect(queue.requests.map((r) => r.id)).toContain(requestId);
    const decisions = seen.json<{ decisions: { code: string | null; subject: string | null }[] }>().decisions;
    expect(decisions.map((d) => [d.code, d.subject])).toEqual(
      expect.arrayContaining([
        ['transferred', 'nwrocu-rccu'],
        ['officer-in-charge', email('nw-lead')],
        ['member-removed', email('oic')],
        ['member-removed', email('colleague')],
        ['member-added', email('nw-lead')],
        ['member-added', email('nw-second')],
      ]),
    );
    // The new unit now directs it; the old one cannot take it back.
    const back = await call('oic', 'POST', `/api/v1/cases/${reference}/share`, {
      unit: 'cumbria-cyber',
      reason: 'x',
      transfer: true,
      officer_in_charge: email('oic'),
    });
    expect(back.statusCode).toBe(404);
  });
});
