import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../domain/access/access-policy.ts';
import { onePerRole, signInAs } from '../../../../test/support/admin-fixtures.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { MAX_BULK_ROWS } from '../api/report-csv.ts';

const REFERENCE = /CYB-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]/;
const HEADER =
  'reporter.type,reporter.name,reporter.email,reporter.postcode,incident.narrative,incident.losses.amount_pence,incident.losses.method,reporter.organisation.name';
/** The one-time key of the upload form on this page. */
const formKeyOf = (body: string) => ({ formKey: /name="formKey" value="([^"]+)"/.exec(body)?.[1] ?? '' });
const GOOD_ROW = (n: number) =>
  `organisation,Shop Ltd,accounts@shop.example,CA1 1AA,Invoice ${n}: a supplier's bank details were changed by email and we paid,125000,bank-transfer,Shop Ltd`;

describe(`reporting for someone else: the adviser journey and bulk CSV (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let people: Awaited<ReturnType<typeof onePerRole>>;
  let token = '';
  const db = () => ctx.services.database.db;
  const reportCount = async () =>
    Number(
      (
        await db()
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await createTestApp();
    people = await onePerRole(ctx.services);
    ({ token } = await ctx.services.tokens.create('bank', ['reports:write']));
  });
  afterAll(() => ctx.close());

  /** The public journey's steps, under the adviser's path: the same answers a person would give online. */
  async function callerReport(client: FormClient, base = '/staff/adviser/report') {
    await client.get(`${base}/start-again`);
    expect(client.path).toBe(`${base}/triage/danger`);
    await client.post(`${base}/triage/danger`, { answer: 'no' });
    await client.post(`${base}/triage/reporting-for`, { answer: 'myself' });
    await client.post(`${base}/triage/what`, { answer: 'money-or-account' });
    expect(client.path).toBe(`${base}/about-you`);
    await client.post(`${base}/about-you`, { name: 'Caller Example' });
    await client.post(`${base}/what-happened`, {
      choice: 'bought-something',
      narrative: 'I bought a puppy on a marketplace and paid by bank transfer.',
    });
    await client.post(`${base}/when`, { day: '3', month: '11', year: '2026', ongoing: 'no' });
    await client.post(`${base}/contact-method`, { method: 'marketplace' });
    await client.post(`${base}/money`, {
      lost: 'yes',
      amount: '£300',
      method: 'bank-transfer',
      sortCode: '',
      accountNumber: '',
      wallets: '',
    });
    await client.post(`${base}/suspect`, {
      names: 'Puppy Sales',
      emails: '',
      phones: '',
      websites: '',
      socials: '',
    });
    await client.post(`${base}/evidence`);
    await client.post(`${base}/vulnerability`, { flags: ['over-70'] });
    await client.post(`${base}/contact-details`, {
      email: 'caller@example.org',
      phone: '',
      preferred: 'email',
    });
    await client.post(`${base}/postcode`, { postcode: 'ca1 1aa' });
    return client.post(`${base}/victim-support`, { consent: 'no' });
  }

  it('takes a report for a caller through the same pages, reads it back, and names the adviser', async () => {
    const adviser = await signInAs(ctx.app, people, 'call-handler');
    // Their home is the adviser journey: no queue.
    await adviser.get('/staff');
    expect(adviser.path).toBe('/staff/adviser');
    const check = await callerReport(adviser);
    expect(adviser.path).toBe('/staff/adviser/report/check-answers');
    expect(check.body).toContain('Read these answers back to the caller');
    for (const shown of ['Caller Example', 'I bought a puppy', '£300', 'caller@example.org', 'CA1 1AA'])
      expect(check.body).toContain(shown);
    expect(check.body).toContain('href="/staff/adviser/report/about-you?change=1"');
    expect(check.body).toContain('action="/staff/adviser/report/submit"');

    const confirmation = await adviser.post('/staff/adviser/report/submit');
    expect(adviser.path).toBe('/staff/adviser/report/confirmation');
    const reference = REFERENCE.exec(confirmation.body)?.[0] ?? '';
    expect(reference).not.toBe('');

    const adviserEmail = people.get('call-handler')?.email ?? '';
    const user = await ctx.services.staff.userIdByEmail(adviserEmail);
    const row = await db()
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    // Routed exactly as online: the same rules on the same answers.
    expect(row).toMatchObject({
      adviser_user_id: user?.id,
      adviser_name: adviserEmail,
      force_id: 'cumbria',
      unit_id: 'cumbria-cyber',
      routing_rule: 'fraud-with-leads',
      contact_email: 'caller@example.org',
      reporter_client: null,
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('reference', '=', reference)
      .execute();
    expect(audit).toContainEqual({ actor: adviserEmail, action: 'report-taken-by-adviser' });

    // The unit's officer sees who took it, on the report and in its history.
    const officer = await signInAs(ctx.app, people, 'force-officer');
    const view = await officer.get(`/staff/reports/${reference}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain(`By phone or web chat, by adviser ${adviserEmail}`);
    const history = await officer.get(`/staff/reports/${reference}/history`);
    expect(history.body).toContain(`Taken for the caller by adviser ${adviserEmail}`);

    // The adviser sees their own confirmation once, and not the report itself.
    expect((await adviser.get(`/staff/reports/${reference}`)).statusCode).toBe(404);
  });

  it('applies the online checks to the caller’s answers', async () => {
    const adviser = await signInAs(ctx.app, people, 'call-handler');
    await adviser.get('/staff/adviser/report/start-again');
    await adviser.post('/staff/adviser/report/triage/danger', { answer: 'no' });
    await adviser.post('/staff/adviser/report/triage/reporting-for', { answer: 'myself' });
    await adviser.post('/staff/adviser/report/triage/what', { answer: 'money-or-account' });
    const refused = await adviser.post('/staff/adviser/report/about-you', { name: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('govuk-error-summary');
    // Skipping ahead is sent back, as online.
    await adviser.get('/staff/adviser/report/check-answers');
    expect(adviser.path).toBe('/staff/adviser/report/about-you');
    const before = await reportCount();
    await adviser.post('/staff/adviser/report/submit');
    expect(adviser.path).toBe('/staff/adviser/report/about-you');
    expect(await reportCount()).toBe(before);
  });

  it('keeps a call handler out of the queue, cases, figures, intelligence and other reports', async () => {
    const officer = new FormClient(ctx.app);
    const check = await callerReport(officer, '/report');
    expect(check.statusCode).toBe(200);
    const online = REFERENCE.exec((await officer.post('/report/submit')).body)?.[0] ?? '';
    const adviser = await signInAs(ctx.app, people, 'call-handler');
    for (const path of [
      `/staff/reports/${online}`,
      '/staff/cases',
      '/staff/campaigns',
      '/staff/ask',
      '/staff/release',
      '/staff/classification-review',
      '/staff/admin',
      '/staff/advice',
    ])
      expect([path, (await adviser.get(path)).statusCode]).toEqual([path, 404]);
    const queue = await adviser.get('/staff');
    expect(adviser.path).toBe('/staff/adviser');
    expect(queue.body).not.toContain(online);
  });

  it('refuses the adviser journey and upload to every other role, and sends strangers to sign in', async () => {
    const before = await reportCount();
    for (const role of ROLES.filter((r): r is Exclude<Role, 'call-handler'> => r !== 'call-handler')) {
      const client = await signInAs(ctx.app, people, role);
      for (const path of ['/staff/adviser', '/staff/adviser/report/triage/danger', '/staff/adviser/bulk'])
        expect([role, path, (await client.get(path)).statusCode]).toEqual([role, path, 404]);
      const submit = await client.post('/staff/adviser/report/submit', {}, { follow: false });
      expect([role, submit.statusCode]).toEqual([role, 404]);
      const upload = await client.upload(
        '/staff/adviser/bulk',
        [{ name: 'r.csv', content: `${HEADER}\n${GOOD_ROW(1)}\n` }],
        'file',
        {
          follow: false,
        },
      );
      expect([role, upload.statusCode]).toEqual([role, 404]);
    }
    const stranger = new FormClient(ctx.app);
    const res = await stranger.post('/staff/adviser/report/submit', {}, { follow: false });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/sign-in');
    expect(await reportCount()).toBe(before);
  });

  describe('POST /api/v1/reports/bulk', () => {
    const bulk = (payload: string, headers: Record<string, string> = {}) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/reports/bulk',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', ...headers },
        payload,
      });

    it('answers 401 before reading the body: a malformed or oversized file without a token', async () => {
      const before = await reportCount();
      for (const payload of ['"unclosed,quote\n', 'x'.repeat(3 * 1024 * 1024)]) {
        const res = await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/reports/bulk',
          headers: { 'content-type': 'text/csv' },
          payload,
        });
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      const wrong = await bulk(`${HEADER}\n${GOOD_ROW(1)}\n`, { authorization: 'Bearer not-a-token' });
      expect(wrong.statusCode).toBe(401);
      expect(await reportCount()).toBe(before);
    });

    it('refuses a malformed file whole, naming the line, and stores nothing', async () => {
      const before = await reportCount();
      const res = await bulk(`${HEADER}\n${GOOD_ROW(1)}\n${GOOD_ROW(2)},extra\n`);
      expect(res.statusCode).toBe(400);
      expect(res.json<{ detail: string }>().detail).toMatch(/line 3/);
      const quote = await bulk(`${HEADER}\n${GOOD_ROW(1)}\n"<script>alert(1)</script>,x\n`);
      expect(quote.statusCode).toBe(400);
      expect(quote.body).not.toContain('<script>');
      for (const [type, payload] of [
        ['application/json', '{"reporter":{}}'],
        ['application/xml', '<csv/>'],
      ] as const) {
        const wrongType = await bulk(payload, { 'content-type': type });
        expect([type, wrongType.statusCode]).toEqual([type, 415]);
      }
      const unknown = await bulk(`reporter.type,password\norganisation,x\n`);
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json<{ code: string }>().code).toBe('bulk-unknown-column');
      expect(await reportCount()).toBe(before);
    });

    it('refuses more rows than allowed, storing nothing', async () => {
      const before = await reportCount();
      const rows = Array.from({ length: MAX_BULK_ROWS + 1 }, (_, i) => GOOD_ROW(i));
      const res = await bulk(`${HEADER}\n${rows.join('\n')}\n`);
      expect(res.statusCode).toBe(413);
      expect(res.json<{ detail: string }>().detail).toContain(String(MAX_BULK_ROWS));
      expect(await reportCount()).toBe(before);
    });

    it('stores each valid row as its own report and lists the others by line, field and reason', async () => {
      const before = await reportCount();
      const csv = [
        HEADER,
        GOOD_ROW(1),
        'organisation,Shop Ltd,not-an-email,CA1 1AA,Narrative,,,Shop Ltd',
        '',
        GOOD_ROW(2),
        'organisation,,accounts@shop.example,ZZ9 9ZZ,Narrative,5,bank-transfer,Shop Ltd',
        // A formula in a field is a report's text, not a formula: stored as typed.
        `organisation,"=HYPERLINK(""http://evil.example"",""x"")",accounts@shop.example,CA1 1AA,"=cmd|' /C calc'!A0 then they asked for payment",,,Shop Ltd`,
      ].join('\n');
      const res = await bulk(csv);
      expect(res.statusCode).toBe(200);
      const body = res.json<{
        created: { line: number; reference: string; status_url: string }[];
        rejected: { line: number; errors: { name: string; message: string }[] }[];
      }>();
      expect(body.created.map((c) => c.line)).toEqual([2, 5, 7]);
      expect(new Set(body.created.map((c) => c.reference)).size).toBe(3);
      expect(body.rejected).toEqual([
        { line: 3, errors: [{ name: 'reporter.email', message: 'is not in the right form' }] },
        {
          line: 6,
          errors: [{ name: 'reporter.name', message: 'is required' }],
        },
      ]);
      expect(await reportCount()).toBe(before + 3);
      const formula = await db()
        .selectFrom('reports')
        .select(['narrative', 'answers', 'partner_token_id', 'adviser_name'])
        .where('reference', '=', body.created[2]?.reference ?? '')
        .executeTakeFirstOrThrow();
      expect(formula.narrative).toBe("=cmd|' /C calc'!A0 then they asked for payment");
      expect((JSON.parse(formula.answers) as { reporter: { name: string } }).reporter.name).toBe(
        '=HYPERLINK("http://evil.example","x")',
      );
      expect(formula.partner_token_id).not.toBeNull();
      expect(formula.adviser_name).toBeNull();
      // The partner reads each report's status as for a single report.
      const status = await ctx.app.inject({
        method: 'GET',
        url: new URL(body.created[0]?.status_url ?? '').pathname,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(status.statusCode).toBe(200);
    });

    it('makes a retried file with the same Idempotency-Key return the same references, storing nothing twice', async () => {
      const csv = `${HEADER}\n${GOOD_ROW(10)}\n${GOOD_ROW(11)}\n`;
      const first = await bulk(csv, { 'idempotency-key': 'file-42' });
      const before = await reportCount();
      const again = await bulk(csv, { 'idempotency-key': 'file-42' });
      expect(await reportCount()).toBe(before);
      const refs = (r: typeof first) =>
        r.json<{ created: { reference: string }[] }>().created.map((c) => c.reference);
      expect(refs(again)).toEqual(refs(first));
      expect(again.json<{ created: { replayed?: boolean }[] }>().created.every((c) => c.replayed)).toBe(true);
      // The same key with a changed row on a line is refused for that line.
      const changed = await bulk(`${HEADER}\n${GOOD_ROW(10)}\n${GOOD_ROW(99)}\n`, {
        'idempotency-key': 'file-42',
      });
      expect(changed.json<{ rejected: { line: number; errors: { name: string }[] }[] }>().rejected).toEqual([
        { line: 3, errors: [{ name: 'Idempotency-Key', message: expect.any(String) as string }] },
      ]);
      expect(await reportCount()).toBe(before);
    });
  });

  describe('the workspace upload', () => {
    it('stores valid rows with references, naming the adviser, and lists the rest without echoing them', async () => {
      const adviser = await signInAs(ctx.app, people, 'call-handler');
      const form = await adviser.get('/staff/adviser/bulk');
      expect(form.statusCode).toBe(200);
      const before = await reportCount();
      const csv = [
        HEADER,
        GOOD_ROW(1),
        'organisation,<script>alert(1)</script>,"=HYPERLINK(""x"")",CA1 1AA,Narrative,,,Shop Ltd',
        GOOD_ROW(2),
      ].join('\n');
      const res = await adviser.upload(
        '/staff/adviser/bulk',
        [{ name: 'incidents.csv', content: csv }],
        'file',
        { fields: formKeyOf(form.body) },
      );
      expect(res.statusCode).toBe(200);
      expect(await reportCount()).toBe(before + 2);
      expect(res.body.match(new RegExp(REFERENCE.source, 'g'))?.length).toBe(2);
      expect(res.body).toContain('1 rows were not submitted');
      expect(res.body).toMatch(
        /<td class="govuk-table__cell">3<\/td><td class="govuk-table__cell"><code>reporter.email<\/code>/,
      );
      expect(res.body).not.toContain('<script>alert(1)');
      expect(res.body).not.toContain('HYPERLINK');
      const rows = await db()
        .selectFrom('reports')
        .select(['adviser_name'])
        .orderBy('id', 'desc')
        .limit(2)
        .execute();
      expect(rows.map((r) => r.adviser_name)).toEqual([
        people.get('call-handler')?.email,
        people.get('call-handler')?.email,
      ]);
    });

    it('answers the upload with a redirect: refreshing the result, or going back and forward, submits nothing again', async () => {
      const adviser = await signInAs(ctx.app, people, 'call-handler');
      const form = await adviser.get('/staff/adviser/bulk');
      const before = await reportCount();
      const csv = `${HEADER}\n${GOOD_ROW(21)}\n${GOOD_ROW(22)}\n`;
      const posted = await adviser.upload('/staff/adviser/bulk', [{ name: 'i.csv', content: csv }], 'file', {
        follow: false,
        fields: formKeyOf(form.body),
      });
      // A page answering the POST would be posted again by the browser's refresh: every row a second report.
      expect(posted.statusCode).toBe(303);
      expect(posted.headers.location).toBe('/staff/adviser/bulk/result');
      const shown = await adviser.get('/staff/adviser/bulk/result');
      const references = shown.body.match(new RegExp(REFERENCE.source, 'g'));
      expect(references).toHaveLength(2);
      expect(shown.headers['cache-control']).toBe('no-store');
      const refreshed = await adviser.get('/staff/adviser/bulk/result');
      expect(refreshed.body.match(new RegExp(REFERENCE.source, 'g'))).toEqual(references);
      expect(await reportCount()).toBe(before + 2);
      // Another adviser's browser sees nobody's result; back at the form, the result is gone.
      const other = await signInAs(ctx.app, people, 'call-handler');
      await other.get('/staff/adviser/bulk/result');
      expect(other.path).toBe('/staff/adviser/bulk');
      await adviser.get('/staff/adviser/bulk');
      await adviser.get('/staff/adviser/bulk/result');
      expect(adviser.path).toBe('/staff/adviser/bulk');
      expect(await reportCount()).toBe(before + 2);
    });

    it('records a form posted twice (a double click, back and submit again) once, and shows the first result', async () => {
      const adviser = await signInAs(ctx.app, people, 'call-handler');
      const form = await adviser.get('/staff/adviser/bulk');
      const key = formKeyOf(form.body);
      expect(key.formKey).toMatch(/^[\w-]{32}$/);
      const before = await reportCount();
      const csv = `${HEADER}\n${GOOD_ROW(31)}\nindividual,,,CA1 1AA,x,,,\n${GOOD_ROW(32)}\n`;
      const upload = (content: string) =>
        adviser.upload('/staff/adviser/bulk', [{ name: 'i.csv', content }], 'file', { fields: key });
      const first = await upload(csv);
      const references = first.body.match(new RegExp(REFERENCE.source, 'g'));
      expect(references).toHaveLength(2);
      expect(await reportCount()).toBe(before + 2);
      // The same form again: nothing recorded, the first upload's references and rejects shown.
      const second = await upload(csv);
      expect(adviser.path).toBe('/staff/adviser/bulk/result');
      expect(second.body.match(new RegExp(REFERENCE.source, 'g'))).toEqual(references);
      expect(second.body).toContain('1 rows were not submitted');
      // Another file under the same form: refused with a new form, nothing recorded (not mixed into the first).
      const third = await upload(`${HEADER}\n${GOOD_ROW(33)}\n`);
      expect(adviser.path).toBe('/staff/adviser/bulk');
      expect(third.body).toContain('This form was already used to upload a different file');
      expect(third.body).not.toMatch(REFERENCE);
      expect(await reportCount()).toBe(before + 2);
      // Each page of the form carries a new key: a new upload is recorded.
      expect(formKeyOf(second.body).formKey).not.toBe(key.formKey);
    });

    it('records each row once when two POSTs of the same form are sent at once; both show the result', async () => {
      const adviser = await signInAs(ctx.app, people, 'call-handler');
      const key = formKeyOf((await adviser.get('/staff/adviser/bulk')).body);
      const before = await reportCount();
      const csv = `${HEADER}\n${GOOD_ROW(41)}\n${GOOD_ROW(42)}\n${GOOD_ROW(43)}\n`;
      const posts = await Promise.all(
        [1, 2].map(() =>
          adviser.upload('/staff/adviser/bulk', [{ name: 'i.csv', content: csv }], 'file', {
            fields: key,
            follow: false,
          }),
        ),
      );
      expect(posts.map((p) => [p.statusCode, p.headers.location])).toEqual([
        [303, '/staff/adviser/bulk/result'],
        [303, '/staff/adviser/bulk/result'],
      ]);
      expect(await reportCount()).toBe(before + 3);
      const shown = await adviser.get('/staff/adviser/bulk/result');
      expect(shown.body.match(new RegExp(REFERENCE.source, 'g'))).toHaveLength(3);
    });

    it('says an upload still running is running, and refuses a form without its key or with another adviser’s', async () => {
      const adviser = await signInAs(ctx.app, people, 'call-handler');
      const otherTotp = await addStaff(ctx.services, {
        email: 'second.adviser@nfib.example',
        role: 'call-handler',
      });
      const other = await signInStaff(ctx.app, 'second.adviser@nfib.example', otherTotp);
      const before = await reportCount();
      const csv = `${HEADER}\n${GOOD_ROW(51)}\n`;
      const post = (client: FormClient, fields: Record<string, string>) =>
        client.upload('/staff/adviser/bulk', [{ name: 'i.csv', content: csv }], 'file', { fields });
      // No key (a page from before), or one that is not a key: the form again with an error, nothing stored.
      for (const fields of [{}, { formKey: 'x' }] as Record<string, string>[]) {
        const res = await post(adviser, fields);
        expect(adviser.path).toBe('/staff/adviser/bulk');
        expect(res.body).toContain('This form has expired');
      }
      // Another adviser's form key (copied from their session): theirs, not this adviser's.
      const theirs = formKeyOf((await other.get('/staff/adviser/bulk')).body);
      await post(other, theirs);
      const refused = await post(adviser, theirs);
      expect(adviser.path).toBe('/staff/adviser/bulk');
      expect(refused.body).toContain('This form has expired');
      expect(refused.body).not.toMatch(REFERENCE);
      expect(await reportCount()).toBe(before + 1);
      // A key claimed before uploads could resume (no file hash): "not finished", and nothing recorded.
      const mine = formKeyOf((await adviser.get('/staff/adviser/bulk')).body);
      const userId =
        (await ctx.services.staff.userIdByEmail(people.get('call-handler')?.email ?? ''))?.id ?? 0;
      const keys = ctx.services.uploadKeys;
      expect(await keys.claim(userId, mine.formKey, keys.fileHashOf(Buffer.from(csv)))).toEqual({
        kind: 'run',
      });
      await db()
        .updateTable('staff_upload_keys')
        .set({ file_hash: null })
        .where('key_hash', '=', keys.hashOf(mine.formKey))
        .execute();
      const running = await post(adviser, mine);
      expect(adviser.path).toBe('/staff/adviser/bulk/result');
      expect(running.body).toContain('This upload has not finished yet');
      expect(await reportCount()).toBe(before + 1);
      // One claimed for this file that stopped before its first row: posted again, it runs.
      const stopped = formKeyOf((await adviser.get('/staff/adviser/bulk')).body);
      await keys.claim(userId, stopped.formKey, keys.fileHashOf(Buffer.from(csv)));
      const resumed = await post(adviser, stopped);
      expect(adviser.path).toBe('/staff/adviser/bulk/result');
      expect(resumed.body.match(new RegExp(REFERENCE.source, 'g'))).toHaveLength(1);
      expect(await reportCount()).toBe(before + 2);
    });

    it('deletes upload keys after two days (hourly housekeeping)', async () => {
      const count = async () =>
        (await db().selectFrom('staff_upload_keys').select('key_hash').execute()).length;
      const keys = await count();
      expect(keys).toBeGreaterThan(0);
      await db()
        .updateTable('staff_upload_keys')
        .set({ created_at: new Date(Date.now() - 2 * 86_400_000 - 60_000).toISOString() })
        .execute();
      const adviser = await signInAs(ctx.app, people, 'call-handler');
      const key = formKeyOf((await adviser.get('/staff/adviser/bulk')).body);
      await adviser.upload(
        '/staff/adviser/bulk',
        [{ name: 'i.csv', content: `${HEADER}\n${GOOD_ROW(61)}\n` }],
        'file',
        {
          fields: key,
        },
      );
      const rowKeys = async () =>
        (await db().selectFrom('staff_idempotency_keys').select('created_at').execute()).length;
      expect(await rowKeys()).toBeGreaterThan(1);
      await db()
        .updateTable('staff_idempotency_keys')
        .set({ created_at: new Date(Date.now() - 2 * 86_400_000 - 60_000).toISOString() })
        .where('key', 'not like', `ws:${ctx.services.uploadKeys.hashOf(key.formKey)}:%`)
        .execute();
      expect(await ctx.services.retention.removeOldUploadKeys()).toBe(keys);
      expect(await count()).toBe(1);
      // The rows' keys go with their forms' keys; the new upload's row stays.
      expect(await rowKeys()).toBe(1);
    });

    it('names an odd column back escaped, without its invisible characters, and reads a BOM and CRLF file', async () => {
      const adviser = await signInAs(ctx.app, people, 'call-handler');
      const before = await reportCount();
      const odd = await adviser.upload(
        '/staff/adviser/bulk',
        [
          {
            name: 'odd.csv',
            content: `${HEADER},<img src=x onerror=alert(1)>\u202eLOOC\u0000\n${GOOD_ROW(76)},y\n`,
          },
        ],
        'file',
      );
      expect(odd.body).toContain('govuk-error-summary');
      expect(odd.body).not.toContain('<img src=x');
      expect(odd.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(odd.body).not.toContain('\u202e');
      expect(odd.body).not.toContain('\u0000');
      expect(odd.body).toContain('alert(1)&gt;?LOOC?');
      expect(await reportCount()).toBe(before);
      const crlf = await adviser.upload(
        '/staff/adviser/bulk',
        [{ name: 'windows.csv', content: `\ufeff${HEADER}\r\n${GOOD_ROW(77)}\r\n` }],
        'file',
        { fields: { formKey: ctx.services.uploadKeys.issue() } },
      );
      expect(adviser.path).toBe('/staff/adviser/bulk/result');
      expect(crlf.body.match(/CYB-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]/g)).toHaveLength(1);
      expect(await reportCount()).toBe(before + 1);
    });

    it('refuses a malformed file whole with an error on the page, storing nothing', async () => {
      const adviser = await signInAs(ctx.app, people, 'call-handler');
      const before = await reportCount();
      const res = await adviser.upload(
        '/staff/adviser/bulk',
        [{ name: 'bad.csv', content: `${HEADER}\n"open,quote\n` }],
        'file',
      );
      expect(adviser.path).toBe('/staff/adviser/bulk');
      expect(res.body).toContain('govuk-error-summary');
      expect(res.body).toContain('could not be read as CSV');
      expect(await reportCount()).toBe(before);
    });
  });
});
