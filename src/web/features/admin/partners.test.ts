import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditsOf,
  errorSummary,
  onePerRole,
  postForSecret,
  signInAs,
} from '../../../../test/support/admin-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { SUBMISSIONS_COLLECTION } from '../../../services/taxii.ts';

const TAXII = 'application/taxii+json;version=2.1';
const code = (html: string, id: string) =>
  new RegExp(`<code id="${id}"[^>]*>([^<]+)</code>`).exec(html)?.[1] ?? '';

describe(`admin: partners (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let people: Awaited<ReturnType<typeof onePerRole>>;
  const now = new Date();
  const admin = () => signInAs(ctx.app, people, 'admin', now);
  const partnerRow = (name: string) =>
    ctx.services.database.db
      .selectFrom('partners')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
  const audits = (action: string) => auditsOf(ctx.services, action);
  const taxii = (authorization: string) =>
    ctx.app.inject({ url: '/taxii2/', headers: { authorization, accept: TAXII } });
  const basic = (username: string, password: string) =>
    `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    people = await onePerRole(ctx.services);
  });
  afterAll(() => ctx.close());

  it('adds a partner and shows its TAXII credentials once; they work', async () => {
    const client = await admin();
    await client.get('/staff/admin/partners/new');
    const {
      location,
      shown: res,
      refreshed,
    } = await postForSecret(client, '/staff/admin/partners', {
      name: 'Example Bank',
      sectors: ['finance', 'retail'],
      tlp: 'green',
    });
    expect(location).toBe(
      `/staff/admin/partners/${String((await partnerRow('Example Bank')).id)}/credentials`,
    );
    const username = code(res.body, 'username');
    const password = code(res.body, 'password');
    const token = code(res.body, 'token');
    // The refresh showed neither, and added no second partner.
    expect(refreshed.body).not.toContain(password);
    expect(refreshed.body).not.toContain(token);
    expect((await ctx.services.partners.list()).filter((p) => p.name === 'Example Bank')).toHaveLength(1);
    expect((await taxii(basic(username, password))).statusCode).toBe(200);
    expect((await taxii(`Bearer ${token}`)).statusCode).toBe(200);
    expect(await partnerRow('Example Bank')).toMatchObject({ sectors: 'finance,retail', tlp: 'green' });
    expect((await audits('partner-added')).map((a) => a.actor)).toContain('admin@admin-test.example');
    const list = await client.get('/staff/admin/partners');
    expect(list.body).toContain('Example Bank');
    expect(list.body).not.toContain(password);
    expect(list.body).not.toContain(token);
  });

  it('changes sectors and TLP, audited', async () => {
    const { id } = await partnerRow('Example Bank');
    const client = await admin();
    await client.get(`/staff/admin/partners/${String(id)}`);
    await client.post(`/staff/admin/partners/${String(id)}`, { sectors: 'telecoms', tlp: 'amber' });
    expect(client.path).toBe(`/staff/admin/partners/${String(id)}?done=changed`);
    expect(await partnerRow('Example Bank')).toMatchObject({ sectors: 'telecoms', tlp: 'amber' });
    expect((await audits('partner-changed')).map((a) => a.detail)).toContain(
      `partner ${String(id)} "Example Bank": finance,retail up to TLP:green → telecoms up to TLP:amber`,
    );
  });

  it('gives and takes back the permission to submit indicators, audited; it applies at TAXII at once', async () => {
    const { id, token } = await ctx.services.partners.add({
      name: 'Submitter',
      sectors: ['finance'],
      tlp: 'green',
    });
    const submit = () =>
      ctx.app.inject({
        method: 'POST',
        url: `/taxii2/bluelight/collections/${SUBMISSIONS_COLLECTION.id}/objects/`,
        headers: { authorization: `Bearer ${token}`, accept: TAXII, 'content-type': TAXII },
        payload: { objects: [] },
      });
    expect((await submit()).statusCode).toBe(403);
    const client = await admin();
    const page = `/staff/admin/partners/${String(id)}`;
    await client.get(page);
    await client.post(page, { sectors: 'finance', tlp: 'green', submit: 'yes' });
    expect(client.path).toBe(`${page}?done=changed`);
    expect(client.last?.body).toContain('Yes, to partner-submissions');
    expect((await submit()).statusCode).toBe(202);
    expect((await audits('partner-changed')).map((a) => a.detail)).toContain(
      `partner ${String(id)} "Submitter": finance up to TLP:green → finance up to TLP:green, may submit indicators`,
    );
    await client.post(page, { sectors: 'finance', tlp: 'green' });
    expect((await submit()).statusCode).toBe(403);
  });

  it('sets a webhook (secret shown once, stored sealed; the URL shown as scheme and host only) and removes it, audited', async () => {
    const { id } = await partnerRow('Example Bank');
    const client = await admin();
    await client.get(`/staff/admin/partners/${String(id)}`);
    const url = 'https://bank.example/hooks/tok_s3cr3t?key=abc';
    const {
      location,
      shown: res,
      refreshed,
    } = await postForSecret(client, `/staff/admin/partners/${String(id)}/webhook`, { url });
    expect(location).toBe(`/staff/admin/partners/${String(id)}/webhook-secret`);
    const secret = code(res.body, 'secret');
    expect(secret.length).toBeGreaterThan(30);
    expect(refreshed.body).not.toContain(secret);
    const row = await partnerRow('Example Bank');
    expect(row.webhook_url).toBe(url);
    // A copy of the database alone does not give the signing secret: sealed with DATA_KEY, bound to this partner.
    expect(row.webhook_secret).not.toContain(secret);
    expect(row.webhook_secret).toMatch(/^v1:/);
    expect(ctx.services.partners.webhooks.open(id, row.webhook_secret ?? '')).toBe(secret);
    expect(() => ctx.services.partners.webhooks.open(id + 1, row.webhook_secret ?? '')).toThrow();
    // Neither the page showing the secret, the partner's page nor the list shows the path or query.
    const pages = [
      res.body,
      (await client.get(`/staff/admin/partners/${String(id)}`)).body,
      (await client.get('/staff/admin/partners')).body,
    ];
    expect(pages[0]).toContain('https://bank.example/…');
    expect(pages[1]).toContain('https://bank.example/…');
    for (const page of pages) {
      expect(page).not.toContain('tok_s3cr3t');
      expect(page).not.toContain('key=abc');
    }
    expect(pages[1]).not.toContain(secret);
    // The audit row says where, without the path or query (which may carry a credential).
    expect((await audits('partner-webhook-set')).map((a) => a.detail)).toContain(
      `partner ${String(id)} "Example Bank": https://bank.example/…`,
    );
    await client.post(`/staff/admin/partners/${String(id)}/webhook/remove`);
    expect(client.path).toBe(`/staff/admin/partners/${String(id)}?done=webhook-removed`);
    expect(await partnerRow('Example Bank')).toMatchObject({ webhook_url: null, webhook_secret: null });
    expect((await audits('partner-webhook-removed')).length).toBe(1);
  });

  it('refuses a webhook pointing at an internal address (SSRF), naming the url field, and stores nothing', async () => {
    const partner = await ctx.services.partners.add({
      name: 'Curious Partner',
      sectors: ['finance'],
      tlp: 'clear',
    });
    const client = await admin();
    const page = `/staff/admin/partners/${String(partner.id)}`;
    await client.get(page);
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://2130706433/hook', // 127.0.0.1 as one number
      'http://localhost:3000/admin',
      'http://api.localhost/',
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://100.100.100.200/latest/meta-data/',
      'http://10.0.0.5/',
      'http://192.168.1.1/',
      'http://0.0.0.0:5432/',
      'http://224.0.0.1/',
      'http://[::1]/',
      'http://[fd00:ec2::254]/',
      'http://[fe80::1]/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      const res = await client.post(`${page}/webhook`, { url });
      expect(client.path, url).toBe(page);
      expect(errorSummary(res.body), url).toEqual([
        'url: Enter a public address: webhooks cannot point at internal, private or metadata addresses',
      ]);
    }
    expect(await partnerRow('Curious Partner')).toMatchObject({ webhook_url: null, webhook_secret: null });
    expect(await audits('partner-webhook-set')).not.toContainEqual(
      expect.objectContaining({ detail: expect.stringContaining('Curious Partner') as unknown }),
    );
    // The API's and CLI's answer names the field too.
    await expect(ctx.services.partners.setWebhook(partner.id, 'http://127.0.0.1/')).rejects.toMatchObject({
      kind: 'invalid',
      code: 'partner-url-internal',
      field: 'url',
    });
  });

  it('rotates credentials: the old password and token fail at TAXII at once, the new ones work', async () => {
    const old = await ctx.services.partners.add({
      name: 'Rotating Telco',
      sectors: ['telecoms'],
      tlp: 'clear',
    });
    expect((await taxii(`Bearer ${old.token}`)).statusCode).toBe(200);
    const client = await admin();
    await client.get(`/staff/admin/partners/${String(old.id)}`);
    const rotate = `/staff/admin/partners/${String(old.id)}/credentials`;
    // The POST answers with a redirect to the same address, read with GET: a refresh repeats the GET only.
    const { location, shown: res, refreshed } = await postForSecret(client, rotate);
    expect(location).toBe(rotate);
    expect(code(res.body, 'username')).toBe(old.username);
    const password = code(res.body, 'password');
    const token = code(res.body, 'token');
    expect((await taxii(`Bearer ${old.token}`)).statusCode).toBe(401);
    expect((await taxii(basic(old.username, old.password))).statusCode).toBe(401);
    expect((await taxii(`Bearer ${token}`)).statusCode).toBe(200);
    expect((await taxii(basic(old.username, password))).statusCode).toBe(200);
    expect((await audits('partner-credentials-rotated')).map((a) => a.detail)).toEqual([
      `partner ${String(old.id)} "Rotating Telco"`,
    ]);
    // The refresh neither showed them nor rotated again: the ones shown are the ones that work.
    expect(refreshed.body).not.toContain(password);
    expect(refreshed.body).not.toContain(token);
    expect((await client.get(rotate)).body).not.toContain(token);
    expect((await taxii(`Bearer ${token}`)).statusCode).toBe(200);
    expect(await audits('partner-credentials-rotated')).toHaveLength(1);
    expect((await client.get(`/staff/admin/partners/${String(old.id)}`)).body).not.toContain(token);
  });

  it('shows an error summary for bad input, in English and Welsh, and changes nothing', async () => {
    const client = await admin();
    const before = await ctx.services.partners.list();
    await client.get('/staff/admin/partners/new');
    let res = await client.post('/staff/admin/partners', { name: '' });
    expect(errorSummary(res.body)).toEqual([
      'name: Enter the partner’s name',
      'sectors: Select at least one sector',
      'tlp: Select the highest TLP',
    ]);
    res = await client.post('/staff/admin/partners', { name: 'X', sectors: 'nuclear', tlp: 'red' });
    expect(errorSummary(res.body)).toEqual(['sectors: Select at least one sector from the list']);
    const { id } = await partnerRow('Example Bank');
    // The forms are folded (GOV.UK details): all closed, or the one `?form=` names open, or the one back with problems.
    const opened = (body: string) => body.match(/<details[^>]* id="([\w-]+)" open>/g) ?? [];
    expect(opened((await client.get(`/staff/admin/partners/${String(id)}`)).body)).toEqual([]);
    expect(opened((await client.get(`/staff/admin/partners/${String(id)}?form=rotate`)).body)).toEqual([
      '<details class="govuk-details" id="rotate" open>',
    ]);
    res = await client.post(`/staff/admin/partners/${String(id)}`, { sectors: 'finance', tlp: 'red' });
    expect(errorSummary(res.body)).toEqual(['tlp: Select the highest TLP from the list']);
    expect(opened(res.body)).toEqual(['<details class="govuk-details" id="details" open>']);
    res = await client.post(`/staff/admin/partners/${String(id)}/webhook`, { url: 'ftp://bank.example/' });
    expect(errorSummary(res.body)).toEqual([
      'url: Enter the webhook address as a full http:// or https:// address',
    ]);
    expect(opened(res.body)).toEqual(['<details class="govuk-details" id="webhook" open>']);
    await client.get(`/staff/admin/partners/${String(id)}?lng=cy`);
    res = await client.post(`/staff/admin/partners/${String(id)}/webhook`, { url: '' });
    expect(errorSummary(res.body)).toEqual(['url: Rhowch gyfeiriad y bachyn gwe']);
    res = await client.post(`/staff/admin/partners/${String(id)}`, { tlp: 'amber' });
    expect(errorSummary(res.body)).toEqual(['sectors: Dewiswch o leiaf un sector o’r rhestr']);
    expect(await ctx.services.partners.list()).toEqual(before);
    expect(
      (await client.post('/staff/admin/partners/99999/credentials', {}, { follow: false })).statusCode,
    ).toBe(404);
  });

  it('refuses a rotation without the CSRF token: the old credentials keep working', async () => {
    const kept = await ctx.services.partners.add({ name: 'Kept Host', sectors: ['hosting'], tlp: 'clear' });
    const client = await admin();
    const cookie = ['bl_session', '_csrf'].map((n) => `${n}=${client.cookie(n) ?? ''}`).join('; ');
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/staff/admin/partners/${String(kept.id)}/credentials`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(res.statusCode).toBe(403);
    expect((await taxii(`Bearer ${kept.token}`)).statusCode).toBe(200);
  });
});
