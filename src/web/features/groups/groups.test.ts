import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import type { Role } from '../../../domain/access/access-policy.ts';
import { createOutboxWorker } from '../../../services/outbox-worker.ts';
import { signWebhook } from '../../../services/webhooks.ts';
import { GROUP_WEBHOOK_JOB } from '../../../services/working-groups.ts';

const quiet = { info: () => undefined, error: () => undefined };
const DOMAIN = 'fake-bank-login-verify.co.uk';

describe(`sector working groups: requests and alerts by signed webhook and server-sent events (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let now = new Date('2026-12-09T10:00:00.000Z');
  let receiver: Server;
  let hookUrl = '';
  let base = '';
  const deliveries: { headers: IncomingMessage['headers']; body: string }[] = [];
  const staffTokens: Record<string, string> = {};
  const partners: Record<string, { id: number; auth: string; secret: string }> = {};
  let groupId = 0;
  let requestId = 0;
  let stream: { text: string; close: () => void; status: number } | undefined;
  let reportId = 0;

  const api = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({
      method,
      url,
      headers: {
        authorization: staffTokens[who] ?? partners[who]?.auth ?? '',
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload }),
    });
  const runOutbox = async () => {
    const worker = createOutboxWorker(
      ctx.services.database.db,
      ctx.services.database.dialect,
      () => now,
      { [GROUP_WEBHOOK_JOB]: ctx.services.workingGroups.webhookHandler() },
      quiet,
    );
    for (let i = 0; i < 10 && (await worker.runOnce()) > 0; i++);
  };
  /** Opens the event stream over real HTTP, as a partner's client would; resolves once the headers came. */
  const openStream = (who: string, group: number) =>
    new Promise<{ text: string; close: () => void; status: number }>((resolve, reject) => {
      const request = get(
        `${base}/api/v1/partner/groups/${String(group)}/events`,
        { headers: { authorization: partners[who]?.auth ?? '', accept: 'text/event-stream' } },
        (res) => {
          const s = { text: '', status: res.statusCode ?? 0, close: () => request.destroy() };
          res.on('data', (chunk: Buffer) => (s.text += chunk.toString()));
          res.on('error', () => undefined);
          resolve(s);
        },
      );
      request.on('error', reject);
    });

  beforeAll(async () => {
    // The webhook receiver is on this machine: only tests (and development) may allow that.
    ctx = await createTestApp({ WEBHOOK_ALLOW_INTERNAL_TARGETS: 'true' }, { clock: () => now });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body });
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hook`;
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${String((ctx.app.server.address() as AddressInfo).port)}`;
    const people: [string, Role, string | undefined][] = [
      ['admin', 'force-supervisor', 'cumbria'],
      ['officer', 'force-officer', 'cumbria'],
      ['kent', 'force-officer', 'kent'],
      ['analyst', 'analyst', undefined],
    ];
    for (const [who, role, forceId] of people) {
      const email = `${who}@police.example`;
      await ctx.services.staffAccounts.add({
        email,
        role,
        ...(forceId ? { forceId } : {}),
        password: 'a long enough password',
        passwordChosenByHolder: true,
      });
      const user = await ctx.services.staff.userIdByEmail(email);
      staffTokens[who] =
        `Bearer ${(await ctx.services.tokens.create(who, ['staff'], user?.id ?? null)).token}`;
    }
    // A report of the asking unit (Cumbria's) naming the domain asked about.
    const report = await ctx.services.reportIntake.submit(
      makeSubmission({
        category: 'online-harassment',
        suspect: suspect({ websites: [`https://${DOMAIN}/login`] }),
      }),
    );
    await ctx.services.intelligence.linkPending();
    reportId = (await ctx.services.intelligence.reportIdOf(report.reference)) ?? 0;
    for (const [name, tlp, hook] of [
      ['Bank', 'amber', true],
      ['Telco', 'green', false],
      ['Outsider', 'amber', true],
    ] as const) {
      const created = await ctx.services.partners.add({ name, sectors: ['finance'], tlp });
      const secret = hook ? ((await ctx.services.partners.setWebhook(created.id, hookUrl)) ?? '') : '';
      partners[name] = { id: created.id, auth: `Bearer ${created.token}`, secret };
    }
  });
  afterAll(async () => {
    stream?.close();
    await new Promise((resolve) => receiver.close(resolve));
    await ctx.close();
  });

  it('lets supervisors set a group up and its admin alone add members', async () => {
    expect(
      (await api('analyst', 'POST', '/api/v1/groups', { name: 'X', sector: 'finance' })).statusCode,
    ).toBe(403);
    const created = await api('admin', 'POST', '/api/v1/groups', {
      name: 'Finance fraud',
      sector: 'finance',
    });
    expect(created.statusCode).toBe(201);
    groupId = created.json<{ id: number }>().id;
    const members = `/api/v1/groups/${String(groupId)}/members`;
    for (const who of ['Bank', 'Telco'])
      expect((await api('admin', 'POST', members, { partner_id: partners[who]?.id })).statusCode).toBe(204);
    // A member who is not the admin is refused; a stranger learns nothing; a partner is no staff member.
    expect((await api('officer', 'POST', members, { partner_id: partners.Outsider?.id })).statusCode).toBe(
      403,
    );
    expect((await api('kent', 'POST', members, { partner_id: partners.Outsider?.id })).statusCode).toBe(404);
    expect((await api('Outsider', 'POST', members, { partner_id: partners.Outsider?.id })).statusCode).toBe(
      401,
    );
    expect((await api('admin', 'POST', members, {})).json()).toMatchObject({
      status: 422,
      errors: [{ name: 'partner_id' }],
    });
    expect((await api('admin', 'POST', members, { unit_id: 'no-such-unit' })).json()).toMatchObject({
      status: 422,
      errors: [{ name: 'unit_id' }],
    });
    expect((await api('admin', 'POST', members, { unit_id: 'nccu' })).statusCode).toBe(204);
  });

  it('refuses the stream without credentials or to a partner outside the group', async () => {
    const none = await ctx.app.inject({ url: `/api/v1/partner/groups/${String(groupId)}/events` });
    expect(none.statusCode).toBe(401);
    const outsider = await ctx.app.inject({
      url: `/api/v1/partner/groups/${String(groupId)}/events`,
      headers: { authorization: partners.Outsider?.auth ?? '' },
    });
    expect(outsider.statusCode).toBe(404);
  });

  it('sends a request for information to members by signed webhook and by event stream, up to each one’s TLP', async () => {
    stream = await openStream('Telco', groupId);
    expect(stream.status).toBe(200);
    const messages = `/api/v1/groups/${String(groupId)}/messages`;
    // Not a member unit, TLP:RED, no deadline: refused.
    const body = {
      kind: 'request',
      text: 'Has anyone seen this domain?',
      tlp: 'green',
      indicator_type: 'domain',
      indicator_value: DOMAIN,
      deadline: '2026-12-11T10:00:00.000Z',
    };
    expect((await api('kent', 'POST', messages, body)).statusCode).toBe(404);
    expect((await api('officer', 'POST', messages, { ...body, tlp: 'red' })).json()).toMatchObject({
      errors: [{ name: 'tlp' }],
    });
    expect(
      (await api('officer', 'POST', messages, { ...body, deadline: '2026-12-01T10:00:00.000Z' })).json(),
    ).toMatchObject({ errors: [{ name: 'deadline' }] });
    const posted = await api('officer', 'POST', messages, body);
    expect(posted.statusCode).toBe(201);
    requestId = posted.json<{ id: number }>().id;
    // An amber alert too: the Bank (amber) gets it, the Telco (green) never does.
    const alert = await api('officer', 'POST', messages, {
      kind: 'alert',
      text: 'Mule accounts',
      tlp: 'amber',
    });
    expect(alert.statusCode).toBe(201);
    const green = await api('officer', 'POST', messages, {
      kind: 'alert',
      text: 'Spoofed numbers',
      tlp: 'clear',
    });
    expect(green.statusCode).toBe(201);

    const s = stream;
    await vi.waitFor(
      () => {
        expect(s.text).toContain('Spoofed numbers');
      },
      { timeout: 5000, interval: 50 },
    );
    expect(s.text).toContain(`id: ${String(requestId)}\nevent: request\n`);
    expect(s.text).toContain(DOMAIN);
    expect(s.text).not.toContain('Mule accounts');
    // Each message handed to the stream is audited under the partner's machine credentials, the amber one never.
    const handed = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'partner-read-group-events')
      .execute();
    const ids = handed.flatMap((h) => /message\(s\) ([\d, ]+)$/.exec(h.detail)?.[1]?.split(', ') ?? []);
    expect(handed.every((h) => h.actor === `partner:${String(partners.Telco?.id)}`)).toBe(true);
    expect(ids).toEqual([String(requestId), String(green.json<{ id: number }>().id)]);

    await runOutbox();
    // Only the Bank (a member with a webhook): the Outsider has a webhook but is no member.
    expect(deliveries.map((d) => d.headers['x-bluelight-delivery'])).toEqual([
      `${GROUP_WEBHOOK_JOB}:${String(partners.Bank?.id)}:${String(requestId)}`,
      `${GROUP_WEBHOOK_JOB}:${String(partners.Bank?.id)}:${String(alert.json<{ id: number }>().id)}`,
      `${GROUP_WEBHOOK_JOB}:${String(partners.Bank?.id)}:${String(green.json<{ id: number }>().id)}`,
    ]);
    const first = deliveries[0];
    expect(first?.headers['x-bluelight-signature']).toBe(
      signWebhook(
        partners.Bank?.secret ?? '',
        String(first?.headers['x-bluelight-timestamp']),
        first?.body ?? '',
      ),
    );
    expect(JSON.parse(first?.body ?? '{}')).toMatchObject({
      type: 'group-message',
      message: { kind: 'request', indicator: { type: 'domain', value: DOMAIN }, tlp: 'green' },
    });
  });

  it('takes members’ answers over the API until the deadline and shows them to the asking unit only', async () => {
    const answers = `/api/v1/partner/groups/${String(groupId)}/requests/${String(requestId)}/answers`;
    expect(
      (await api('Bank', 'POST', answers, { seen: true, comment: 'Blocked 3 payments' })).statusCode,
    ).toBe(201);
    expect((await api('Outsider', 'POST', answers, { seen: false })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'POST', url: answers, payload: { seen: true } })).statusCode).toBe(
      401,
    );
    // The answer is recorded on the asking unit's report naming the value, and the unit is told.
    const history = await ctx.services.database.db
      .selectFrom('report_updates')
      .select('message')
      .where('report_id', '=', reportId)
      .where('kind', '=', 'partner-intelligence')
      .execute();
    expect(history.map((h) => h.message)).toEqual([
      `Bank has seen ${DOMAIN} (answer to working group request ${String(requestId)}): Blocked 3 payments`,
    ]);
    const told = await ctx.services.database.db
      .selectFrom('outbox')
      .select('dedupe_key')
      .where('dedupe_key', 'like', `%group-answer:${String(requestId)}:%`)
      .execute();
    expect(told).toHaveLength(1);
    const read = `/api/v1/groups/${String(groupId)}/messages/${String(requestId)}`;
    const asked = await api('officer', 'GET', read);
    expect(asked.json()).toMatchObject({
      kind: 'request',
      answers: [{ partner: 'Bank', seen: true, comment: 'Blocked 3 payments' }],
    });
    expect((await api('kent', 'GET', read)).statusCode).toBe(404);
    now = new Date('2026-12-12T10:00:00.000Z');
    expect((await api('Telco', 'POST', answers, { seen: false })).statusCode).toBe(409);
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'group-%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['group-created', 'group-member-added', 'group-message', 'group-answer']),
    );
  });

  it('lets the asking unit link an answer to its case or report, told and audited; refuses what it may not read', async () => {
    const db = ctx.services.database.db;
    const staffOf = async (who: string) => {
      const found = await ctx.services.staff.byId(
        (await ctx.services.staff.userIdByEmail(`${who}@police.example`))?.id ?? 0,
      );
      if (found === null) throw new Error(`no ${who}`);
      return found;
    };
    const asked = await api(
      'officer',
      'GET',
      `/api/v1/groups/${String(groupId)}/messages/${String(requestId)}`,
    );
    const answerId = asked.json<{ answers: { id: number }[] }>().answers[0]?.id ?? 0;
    const links = `/api/v1/groups/${String(groupId)}/messages/${String(requestId)}/answers/${String(answerId)}/links`;
    const { reference } = await db
      .selectFrom('reports')
      .select('reference')
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();
    const cumbriaCase = await ctx.services.investigations.createCase(await staffOf('officer'), {
      title: 'Fake bank logins',
      reports: [reference],
      restricted: false,
      members: [],
    });
    // Kent's report and case: the Cumbrian asker may read neither.
    const kentReport = await ctx.services.reportIntake.submit(
      makeSubmission({ postcode: 'ME14 1XX', force: { id: 'kent', candidates: ['kent'] } }),
    );
    const kent = await staffOf('kent');
    await db
      .updateTable('reports')
      .set({ unit_id: kent.unitId })
      .where('reference', '=', kentReport.reference)
      .execute();
    const kentCase = await ctx.services.investigations.createCase(kent, {
      title: 'Kent matter',
      reports: [kentReport.reference],
      restricted: false,
      members: [],
    });
    const before = await db.selectFrom('group_answer_links').select('id').execute();
    expect((await api('officer', 'POST', links, { report: kentReport.reference })).json()).toMatchObject({
      status: 422,
      errors: [{ name: 'report' }],
    });
    expect((await api('officer', 'POST', links, { case: kentCase })).json()).toMatchObject({
      status: 422,
      errors: [{ name: 'case' }],
    });
    // Not a member unit; a partner; nobody: as if the request did not exist, or unauthenticated.
    expect((await api('kent', 'POST', links, { case: kentCase })).statusCode).toBe(404);
    expect((await api('Bank', 'POST', links, { report: reference })).statusCode).toBe(401);
    expect((await api('officer', 'POST', links, {})).json()).toMatchObject({ errors: [{ name: 'case' }] });
    expect(await db.selectFrom('group_answer_links').select('id').execute()).toEqual(before);

    expect((await api('officer', 'POST', links, { report: reference })).statusCode).toBe(201);
    expect((await api('officer', 'POST', links, { report: reference })).statusCode).toBe(409);
    expect((await api('officer', 'POST', links, { case: cumbriaCase })).statusCode).toBe(201);
    const history = await db
      .selectFrom('report_updates')
      .select('message')
      .where('report_id', '=', reportId)
      .where('message', 'like', '%linked by officer@police.example%')
      .execute();
    expect(history).toHaveLength(1);
    const decisions = await db
      .selectFrom('case_decisions')
      .select(['code', 'subject'])
      .where('code', '=', 'partner-intelligence')
      .execute();
    expect(decisions).toEqual([
      { code: 'partner-intelligence', subject: `group-answer:${String(answerId)}` },
    ]);
    const told = await db
      .selectFrom('outbox')
      .select('dedupe_key')
      .where('dedupe_key', 'like', `%group-answer-link:${String(answerId)}:%`)
      .execute();
    expect(told).toHaveLength(2);
    const audited = await db
      .selectFrom('audit_log')
      .select('reference')
      .where('action', '=', 'group-answer-linked')
      .execute();
    expect(audited.map((a) => a.reference).sort()).toEqual([cumbriaCase, reference].sort());
  });

  it('refuses a link whose ids do not belong together (another group’s message, another message’s answer), and unauthenticated before parsing', async () => {
    const db = ctx.services.database.db;
    const { reference } = await db
      .selectFrom('reports')
      .select('reference')
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();
    // A second group of the same unit, with its own request answered by the Bank.
    const created = await api('admin', 'POST', '/api/v1/groups', { name: 'Second', sector: 'finance' });
    const otherGroup = created.json<{ id: number }>().id;
    await api('admin', 'POST', `/api/v1/groups/${String(otherGroup)}/members`, {
      partner_id: partners.Bank?.id,
    });
    const posted = await api('officer', 'POST', `/api/v1/groups/${String(otherGroup)}/messages`, {
      kind: 'request',
      text: 'Seen this?',
      tlp: 'green',
      indicator_type: 'domain',
      indicator_value: DOMAIN,
      deadline: new Date(now.getTime() + 2 * 86_400_000).toISOString(),
    });
    expect(posted.statusCode).toBe(201);
    const otherRequest = posted.json<{ id: number }>().id;
    const answered = await api(
      'Bank',
      'POST',
      `/api/v1/partner/groups/${String(otherGroup)}/requests/${String(otherRequest)}/answers`,
      { seen: true },
    );
    expect(answered.statusCode).toBe(201);
    const answerOf = async (group: number, message: number) =>
      (await api('officer', 'GET', `/api/v1/groups/${String(group)}/messages/${String(message)}`)).json<{
        answers: { id: number }[];
      }>().answers[0]?.id ?? 0;
    const firstAnswer = await answerOf(groupId, requestId);
    const otherAnswer = await answerOf(otherGroup, otherRequest);
    expect(otherAnswer).toBeGreaterThan(0);
    const link = (g: number, m: number, a: number) =>
      `/api/v1/groups/${String(g)}/messages/${String(m)}/answers/${String(a)}/links`;
    const before = await db.selectFrom('group_answer_links').select('id').execute();
    for (const url of [
      link(groupId, otherRequest, otherAnswer),
      link(otherGroup, requestId, firstAnswer),
      link(otherGroup, otherRequest, firstAnswer),
      link(groupId, requestId, otherAnswer),
    ])
      expect((await api('officer', 'POST', url, { report: reference })).statusCode).toBe(404);
    // An analyst (no unit's casework) and Kent's officer (not a member) learn nothing of the answer.
    for (const who of ['analyst', 'kent'])
      expect(
        (await api(who, 'POST', link(otherGroup, otherRequest, otherAnswer), { report: reference }))
          .statusCode,
      ).toBe(404);
    // Without a token: 401 whatever the body (malformed JSON, far too large, wrong type).
    for (const [type, payload] of [
      ['application/json', '{"report":'],
      ['application/json', JSON.stringify({ report: 'x'.repeat(2_000_000) })],
      ['text/plain', 'report=1'],
    ] as const) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: link(otherGroup, otherRequest, otherAnswer),
        headers: { 'content-type': type },
        payload,
      });
      expect(res.statusCode).toBe(401);
    }
    expect(await db.selectFrom('group_answer_links').select('id').execute()).toEqual(before);
    expect(
      (await api('officer', 'POST', link(otherGroup, otherRequest, otherAnswer), { report: reference }))
        .statusCode,
    ).toBe(201);
  });
});
