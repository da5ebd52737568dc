/**
 * A report's evidence over the staff API, attacked: another force's report, no reason, no token, a restricted
 * category, a planted HTML page. Each control fails its test when taken away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../../../test/support/staff-fixtures.ts';
import {
  auditRows,
  fileHeadersOf,
  plantEvidence,
  PNG,
  reportWithFiles,
  sha256,
} from '../../../../test/support/evidence-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';

const TEXT = 'He said: pay £500 to 20-00-00 12345678\n';
const HTML = '<!doctype html><script>fetch("/staff").then(r=>r.text())</script>';

describe(`report evidence over the staff API (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const tokens = new Map<string, string>();
  let reference = '';
  let restricted = '';
  const ids = new Map<string, number>();

  const PEOPLE = [
    ['off@cumbria.example', 'force-officer', 'cumbria'],
    ['off@kent.example', 'force-officer', 'kent'],
    ['adviser@nfib.example', 'call-handler', undefined],
  ] as const;

  /** A report the Cumbria cyber crime unit holds, with these files (their ids kept by name). */
  async function report(category: 'sextortion' | null, files: { name: string; content: Buffer | string }[]) {
    const made = await reportWithFiles(ctx.services, category, files);
    for (const [name, id] of made.ids) ids.set(name, id);
    return made.reference;
  }

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [email, role, forceId] of PEOPLE) {
      await addStaff(ctx.services, { email, role, ...(forceId ? { forceId } : {}) });
      const user = await ctx.services.staff.userIdByEmail(email);
      tokens.set(email, (await ctx.services.tokens.create(email, ['staff'], user?.id ?? null)).token);
    }
    reference = await report(null, [
      { name: 'messages.txt', content: TEXT },
      { name: 'screenshot.png', content: PNG },
    ]);
    // A page planted as evidence (an older version, another way in), its name holding a quote.
    ids.set(
      'invoice.html',
      await plantEvidence(ctx.services, reference, {
        name: 'invoice".html',
        contentType: 'text/html',
        content: HTML,
      }),
    );
    restricted = await report('sextortion', [{ name: 'threat.png', content: PNG }]);
  });
  afterAll(() => ctx.close());

  const get = (url: string, who: string | null, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'GET',
      url,
      headers: { ...(who === null ? {} : { authorization: `Bearer ${tokens.get(who) ?? ''}` }), ...headers },
    });
  const listUrl = (ref = reference) => `/api/v1/reports/${ref}/evidence`;
  const fileUrl = (name: string, ref = reference) => `${listUrl(ref)}/${String(ids.get(name) ?? 0)}`;
  const because = (reason: string) => ({ 'x-access-reason': reason });
  const audits = (action: string) => auditRows(ctx.services, action);
  const auditCount = async () =>
    (await ctx.services.database.db.selectFrom('audit_log').select('id').execute()).length;

  it('lists the files (id, name, stored type, size, SHA-256, when received), audited with the reason', async () => {
    const res = await get(listUrl(), 'off@cumbria.example', because('Grading the evidence'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<{ reference: string; files: Record<string, unknown>[] }>();
    expect(body.reference).toBe(reference);
    expect(body.files.map((f) => [f.id, f.name, f.content_type, f.size, f.sha256])).toEqual([
      [ids.get('messages.txt'), 'messages.txt', 'text/plain', Buffer.byteLength(TEXT), sha256(TEXT)],
      [ids.get('screenshot.png'), 'screenshot.png', 'image/png', PNG.length, sha256(PNG)],
      [ids.get('invoice.html'), 'invoice".html', 'text/html', HTML.length, sha256(HTML)],
    ]);
    expect(body.files.every((f) => typeof f.received_at === 'string')).toBe(true);
    expect((await audits('list-evidence')).at(-1)).toEqual({
      actor: 'off@cumbria.example',
      reference,
      detail: '3 file(s) listed; reason: Grading the evidence',
    });
  });

  it('sends a file with the workspace download’s headers, audited with the reason before the bytes', async () => {
    const res = await get(fileUrl('messages.txt'), 'off@cumbria.example', because('Send to the DFU'));
    expect(res.statusCode).toBe(200);
    expect(fileHeadersOf(res)).toEqual({
      'content-type': 'text/plain',
      'content-disposition': `attachment; filename="messages.txt"; filename*=UTF-8''messages.txt`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'no-store',
    });
    expect(sha256(res.rawPayload)).toBe(sha256(TEXT));
    expect((await audits('download-evidence')).at(-1)).toEqual({
      actor: 'off@cumbria.example',
      reference,
      detail: `download: messages.txt (SHA-256 ${sha256(TEXT)}); reason: Send to the DFU`,
    });
  });

  it('takes the reason from ?reason= too (a Welsh reason a header cannot carry)', async () => {
    const reason = 'Anfon at yr uned fforensig ddigidol — ŵyr';
    const res = await get(
      `${fileUrl('screenshot.png')}?reason=${encodeURIComponent(reason)}`,
      'off@cumbria.example',
    );
    expect(res.statusCode).toBe(200);
    expect(sha256(res.rawPayload)).toBe(sha256(PNG));
    expect((await audits('download-evidence')).at(-1)?.detail).toContain(`reason: ${reason}`);
  });

  it('refuses a UTF-8 X-Access-Reason (Latin-1 mojibake on the wire) with 422 naming the header, auditing nothing', async () => {
    // Header bytes are read as Latin-1: "ŵyr" arrives as "Åµyr", and would be kept so in the audit row.
    const wire = Buffer.from('Anfon at yr uned — ŵyr', 'utf8').toString('latin1');
    const before = await auditCount();
    for (const url of [listUrl(), fileUrl('messages.txt')]) {
      const res = await get(url, 'off@cumbria.example', because(wire));
      expect(res.statusCode, url).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.json<{ code: string; detail: string; errors: { name: string }[] }>();
      expect(problem.code).toBe('access-reason-header-not-ascii');
      expect(problem.errors.map((e) => e.name)).toEqual(['X-Access-Reason']);
      expect(problem.detail).toContain('reason query parameter');
      expect(res.body).not.toContain('He said');
    }
    expect(await auditCount()).toBe(before);
  });

  it('serves a planted HTML page as an attachment of its stored type in a sandbox, its name unable to end the header', async () => {
    const res = await get(fileUrl('invoice.html'), 'off@cumbria.example', because('Check the page'));
    expect(res.statusCode).toBe(200);
    expect(fileHeadersOf(res)).toEqual({
      'content-type': 'text/html',
      'content-disposition': `attachment; filename="invoice_.html"; filename*=UTF-8''invoice%22.html`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'no-store',
    });
  });

  it('refuses without a reason (problem+json naming X-Access-Reason), reading and auditing nothing', async () => {
    const before = await auditCount();
    for (const url of [listUrl(), fileUrl('messages.txt')])
      for (const headers of [{}, because('   ')]) {
        const res = await get(url, 'off@cumbria.example', headers);
        expect(res.statusCode, url).toBe(422);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        const problem = res.json<{ code: string; detail: string; errors: { name: string }[] }>();
        expect(problem.code).toBe('evidence-reason');
        expect(problem.errors.map((e) => e.name)).toEqual(['X-Access-Reason']);
        expect(problem.detail).toContain('X-Access-Reason');
        expect(res.body).not.toContain('He said');
      }
    expect(await auditCount()).toBe(before);
  });

  it('counts no control or invisible character as a reason, and lets none forge a line of the audit', async () => {
    const before = await auditCount();
    // Nor a stack of accents, a blank letter (Hangul filler, braille blank) or a right-to-left override.
    for (const reason of [
      '%00',
      '%07%07',
      '%E2%80%8B',
      '%0A%0D%09',
      '%CC%81%CC%81',
      '%E3%85%A4',
      '%E2%A0%80',
      '%E2%80%AE',
    ])
      for (const url of [listUrl(), fileUrl('messages.txt')]) {
        const res = await get(`${url}?reason=${reason}`, 'off@cumbria.example');
        expect(res.statusCode, `${url} ${reason}`).toBe(422);
        expect(res.json<{ code: string }>().code).toBe('evidence-reason');
      }
    expect(await auditCount()).toBe(before);
    // HEAD is not a download: nothing read, nothing audited.
    const head = await ctx.app.inject({
      method: 'HEAD',
      url: `${fileUrl('messages.txt')}?reason=checking`,
      headers: { authorization: `Bearer ${tokens.get('off@cumbria.example') ?? ''}` },
    });
    expect(head.statusCode).not.toBe(200);
    expect(await auditCount()).toBe(before);
    // A header with no words left is none: the parameter is the reason.
    const dots = await get(`${listUrl()}?reason=from%20the%20query`, 'off@cumbria.example', because('...'));
    expect(dots.statusCode).toBe(200);
    expect((await audits('list-evidence')).at(-1)?.detail).toMatch(/; reason: from the query$/);
    const res = await get(
      `${fileUrl('messages.txt')}?reason=ok%00%0Areason%3A%20forged`,
      'off@cumbria.example',
    );
    expect(res.statusCode).toBe(200);
    expect((await audits('download-evidence')).at(-1)?.detail).toMatch(/; reason: ok reason: forged$/);
  });

  it('answers another force’s officer, and a call handler, as if the report did not exist; nothing audited', async () => {
    const before = await auditCount();
    for (const who of ['off@kent.example', 'adviser@nfib.example'])
      for (const url of [
        listUrl(),
        fileUrl('messages.txt'),
        listUrl(restricted),
        fileUrl('threat.png', restricted),
      ]) {
        const res = await get(url, who, because('Curious'));
        expect(res.statusCode, `${who} ${url}`).toBe(404);
        expect(res.body).not.toContain('messages.txt');
        // Without a reason too: not-found comes first, so the refusal says nothing about the report.
        expect((await get(url, who)).statusCode).toBe(404);
      }
    // One report's file through another report's reference: not there.
    expect(
      (await get(fileUrl('messages.txt', restricted), 'off@cumbria.example', because('x'))).statusCode,
    ).toBe(404);
    expect(await auditCount()).toBe(before);
  });

  it('refuses with 401 before parsing anything when there is no valid staff token', async () => {
    const before = await auditCount();
    for (const url of [
      listUrl(),
      fileUrl('messages.txt'),
      `${listUrl()}/not-a-number?reason=${'x'.repeat(5000)}`,
    ]) {
      for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
        const res = await get(url, null, { ...headers, ...because('x') });
        expect(res.statusCode, url).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    // A partner's token is not a staff member's: refused as another kind of token.
    const partner = (await ctx.services.tokens.create('bank', ['reports:write'])).token;
    const afterToken = await auditCount();
    const res = await ctx.app.inject({
      method: 'GET',
      url: fileUrl('messages.txt'),
      headers: { authorization: `Bearer ${partner}`, ...because('x') },
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('He said');
    expect(afterToken).toBe(before + 1);
    expect(await auditCount()).toBe(afterToken);
  });

  it('gives a restricted category’s image only as an audited download, never inline', async () => {
    const res = await get(
      `${fileUrl('threat.png', restricted)}?disposition=inline`,
      'off@cumbria.example',
      because('Grading'),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; /);
    expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect((await audits('download-evidence')).at(-1)).toMatchObject({
      actor: 'off@cumbria.example',
      reference: restricted,
    });
  });
});
