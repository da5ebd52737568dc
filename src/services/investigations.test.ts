import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitPartnerReport } from '../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../test/support/test-app.ts';
import { TEST_AUDIT_SIGNING_KEY, TEST_DATA_KEY, testDialect } from '../../test/support/test-services.ts';
import type { CliIo } from '../cli/cli-io.ts';
import { runCli } from '../cli/main.ts';

describe(`investigations: cases, exhibits and a tamper-evident chain of custody (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const tokens: Record<string, string> = {};
  let reportRef = '';

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who] ?? ''}` },
      ...(payload ? { payload } : {}),
    });

  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdin: Readable.from([]),
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: {
        DATABASE_URL: ctx.services.databaseUrl,
        SESSION_SECRET: 'cli-test-secret-cli-test-secret-cli-test',
        AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
        DATA_KEY: TEST_DATA_KEY,
        ...env,
      },
      cwd: mkdtempSync(join(tmpdir(), 'bluelight-case-')),
    };
    const code = await runCli(args, io);
    return { code, out: out.join(''), err: err.join(''), cwd: io.cwd };
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [who, role, forceId] of [
      ['oic', 'force-officer', 'cumbria'],
      ['colleague', 'force-officer', 'cumbria'],
      ['kent', 'force-officer', 'kent'],
    ] as const) {
      const email = `${who}@police.example`;
      await ctx.services.staffAccounts.add({
        email,
        role,
        forceId,
        password: 'correct horse battery staple',
      });
      const user = await ctx.services.staff.userIdByEmail(email);
      tokens[who] = (await ctx.services.tokens.create(who, ['staff'], user?.id ?? null)).token;
    }
    reportRef = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'V', postcode: 'CA1 1AA' },
      incident: { narrative: 'someone hacked my email account and is blackmailing me' },
      consents: { victim_support: false },
    });
  });
  afterAll(() => ctx.close());

  /** A custody entry as the API answers it (docs/investigations.md), in snake_case. */
  const ENTRY_KEYS = [
    'seq',
    'exhibit',
    'event',
    'actor',
    'at',
    'location',
    'note',
    'file_sha256',
    'file_name',
    'prev_hash',
    'hash',
  ];

  /** A case with one exhibit, three more custody events and one file. */
  async function caseWithExhibit(): Promise<{ reference: string; exhibitId: number }> {
    const created = await call('oic', 'POST', '/api/v1/cases', {
      title: 'Operation Tern',
      reports: [reportRef],
    });
    expect(created.statusCode).toBe(201);
    const reference = created.json<{ reference: string }>().reference;
    const exhibit = await call('oic', 'POST', `/api/v1/cases/${reference}/exhibits`, {
      initials: 'JS',
      kind: 'phone',
      description: 'Black smartphone, cracked screen',
      seized_at: '2026-11-20T09:15:00Z',
      seized_where: '1 High Street, Carlisle',
      seal_numbers: ['SEAL-0001'],
    });
    expect(exhibit.statusCode).toBe(201);
    const { id, exhibit_ref } = exhibit.json<{ id: number; exhibit_ref: string }>();
    expect(exhibit_ref).toBe('JS/1');
    for (const [event, location] of [
      ['booked-in', 'Carlisle property store'],
      ['moved', 'Digital forensics lab'],
      ['examined', 'Digital forensics lab'],
    ]) {
      const res = await call('oic', 'POST', `/api/v1/exhibits/${id}/custody`, {
        event,
        at: '2026-11-21T10:00:00Z',
        location,
      });
      expect(res.statusCode).toBe(201);
      expect(Object.keys(res.json<object>())).toEqual(ENTRY_KEYS);
      expect(res.json()).toMatchObject({ event, location, exhibit: 'JS/1', file_sha256: null });
    }
    const file = await call('oic', 'POST', `/api/v1/exhibits/${id}/files`, {
      file_name: 'extraction-report.pdf',
      content_base64: Buffer.from('%PDF-1.4 extraction report').toString('base64'),
    });
    expect(file.statusCode).toBe(201);
    expect(Object.keys(file.json<object>())).toEqual(ENTRY_KEYS);
    expect(file.json()).toMatchObject({
      event: 'file-added',
      file_name: 'extraction-report.pdf',
      file_sha256: createHash('sha256').update('%PDF-1.4 extraction report').digest('hex'),
    });
    return { reference, exhibitId: id };
  }

  it('records exhibits and custody events through the API, scoped to the unit and audited', async () => {
    const { reference, exhibitId } = await caseWithExhibit();
    const custody = await call('oic', 'GET', `/api/v1/exhibits/${exhibitId}/custody`);
    const entries = custody.json<{
      entries: { seq: number; event: string; hash: string; prev_hash: string }[];
    }>().entries;
    expect(entries.map((e) => e.event)).toEqual(['seized', 'booked-in', 'moved', 'examined', 'file-added']);
    expect(entries[1]?.prev_hash).toBe(entries[0]?.hash);
    expect(Object.keys(custody.json<object>())).toEqual(['exhibit', 'case', 'entries']);
    for (const entry of entries) expect(Object.keys(entry)).toEqual(ENTRY_KEYS);
    expect((await call('colleague', 'GET', `/api/v1/cases/${reference}`)).statusCode).toBe(200);
    expect((await call('kent', 'GET', `/api/v1/cases/${reference}`)).statusCode).toBe(404);
    expect((await call('kent', 'GET', `/api/v1/exhibits/${exhibitId}/custody`)).statusCode).toBe(404);
    const bad = await call('oic', 'POST', `/api/v1/exhibits/${exhibitId}/custody`, {
      event: 'lost',
      at: 'yesterday',
      location: '',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const unknownReport = await call('oic', 'POST', '/api/v1/cases', {
      title: 'x',
      reports: ['CYB-0000-0000-0'],
    });
    expect(unknownReport.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('reports');
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('reference', '=', reference)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['case-opened', 'exhibit-added', 'read-case', 'read-custody']),
    );
  });

  it('opens a case from a campaign: its reports held by the unit, logged as a decision', async () => {
    const first = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'A', postcode: 'CA1 1AA' },
      incident: { narrative: 'my email account was hacked; the hacker texts from 07700 900818' },
      consents: { victim_support: false },
    });
    await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'B', postcode: 'CA2 4AA' },
      incident: { narrative: 'instagram account hacked, messages from 07700 900818' },
      consents: { victim_support: false },
    });
    await ctx.services.intelligence.linkPending();
    const id = (await ctx.services.intelligence.reportIdOf(first)) ?? 0;
    const campaign = (await ctx.services.intelligence.linkedCounts(id)).campaign ?? 0;
    const created = await call('oic', 'POST', '/api/v1/cases', {
      title: 'Account takeovers',
      reports: [],
      campaigns: [campaign],
    });
    expect(created.statusCode).toBe(201);
    const read = (
      await call('oic', 'GET', `/api/v1/cases/${created.json<{ reference: string }>().reference}`)
    ).json<{
      reports: unknown[];
      decisions: { decision: string }[];
    }>();
    expect(read.reports).toHaveLength(2);
    expect(read.decisions[0]?.decision).toBe(`linked campaign ${campaign}`);
    const other = await call('kent', 'POST', '/api/v1/cases', {
      title: 'x',
      reports: [],
      campaigns: [campaign],
    });
    expect(other.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('campaigns');
  });

  it('keeps a restricted case to its named officers', async () => {
    const created = await call('oic', 'POST', '/api/v1/cases', {
      title: 'Restricted',
      reports: [],
      restricted: true,
      members: [],
    });
    const reference = created.json<{ reference: string }>().reference;
    expect((await call('oic', 'GET', `/api/v1/cases/${reference}`)).statusCode).toBe(200);
    expect((await call('colleague', 'GET', `/api/v1/cases/${reference}`)).statusCode).toBe(404);
    // Naming the colleague on the team lets them see it; taking them off hides it again.
    const stranger = await call('oic', 'POST', `/api/v1/cases/${reference}/members`, {
      email: 'kent@police.example',
    });
    // A service's refusal: problem+json naming the field, with the error's code.
    expect(stranger.statusCode).toBe(422);
    expect(stranger.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stranger.json()).toMatchObject({
      status: 422,
      code: 'member-unknown',
      errors: [
        { name: 'email', message: 'No officer or supervisor of this case’s units has that email address' },
      ],
    });
    expect(stranger.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('email');
    const added = await call('oic', 'POST', `/api/v1/cases/${reference}/members`, {
      email: 'Colleague@police.example',
    });
    expect(added.statusCode).toBe(201);
    const seen = await call('colleague', 'GET', `/api/v1/cases/${reference}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json<{ members: string[] }>().members).toEqual([
      'colleague@police.example',
      'oic@police.example',
    ]);
    const oic = await call('colleague', 'POST', `/api/v1/cases/${reference}/members/remove`, {
      email: 'oic@police.example',
    });
    expect(oic.statusCode).toBe(422);
    await call('oic', 'POST', `/api/v1/cases/${reference}/members/remove`, {
      email: 'colleague@police.example',
    });
    expect((await call('colleague', 'GET', `/api/v1/cases/${reference}`)).statusCode).toBe(404);
    const log = (await call('oic', 'GET', `/api/v1/cases/${reference}`)).json<{
      decisions: { code: string | null; subject: string | null }[];
    }>();
    expect(log.decisions.map((d) => [d.code, d.subject])).toEqual([
      ['member-added', 'colleague@police.example'],
      ['member-removed', 'colleague@police.example'],
    ]);
    // Members given when the case is opened must be officers of the unit too.
    const outsider = await call('oic', 'POST', '/api/v1/cases', {
      title: 'Restricted',
      reports: [],
      restricted: true,
      members: ['kent@police.example'],
    });
    expect(outsider.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('members');
  });

  it('verifies an intact case with the CLI and exports a bundle the recipient can check offline', async () => {
    const { reference } = await caseWithExhibit();
    const ok = await cli(['custody', 'verify', reference]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toEqual({ case: reference, entries: 5, files: 1, ok: true });
    const exported = await cli(['case', 'export', reference, 'bundle']);
    expect(exported.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(exported.cwd, 'bundle', 'manifest.json'), 'utf8')) as {
      files: { file: string; sha256: string }[];
      custody_log: unknown[];
    };
    expect(manifest.custody_log).toHaveLength(5);
    for (const file of manifest.files) {
      const bytes = readFileSync(join(exported.cwd, 'bundle', file.file));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    }
    expect(readFileSync(join(exported.cwd, 'bundle', 'manifest.html'), 'utf8')).toContain('Chain of custody');
    expect((await cli(['custody', 'verify', 'CASE-NOPE'])).code).toBe(2);
  });

  it('exports what a third party needs to check the signed chain offline, with node:crypto and the bundle alone', async () => {
    const { reference } = await caseWithExhibit();
    const exported = await cli(['case', 'export', reference, 'bundle']);
    expect(exported.code).toBe(0);
    const dir = join(exported.cwd, 'bundle');
    const read = (file: string) => readFileSync(join(dir, file));
    // The recipient's own check, from the rules in VERIFY.txt: nothing of Bluelight's code is used.
    const chain = JSON.parse(read('custody-chain.json').toString()) as {
      case: string;
      entries: Record<string, string | number | null>[];
      signature: { algorithm: string; value: string };
    };
    expect(chain.case).toBe(reference);
    expect(chain.entries).toHaveLength(5);
    let previous = '0'.repeat(64);
    for (const e of chain.entries) {
      const fields = [
        chain.case,
        e.seq,
        e.exhibit,
        e.event,
        e.actor,
        e.at,
        e.location,
        e.note,
        e.file_sha256,
        e.file_name,
        previous,
      ];
      expect(createHash('sha256').update(JSON.stringify(fields)).digest('hex')).toBe(e.hash);
      previous = String(e.hash);
    }
    const message = JSON.stringify(['bluelight custody head', reference, 5, previous]);
    expect(read('custody-head.txt').toString()).toBe(message);
    const key = createPublicKey(read('public-key.pem'));
    expect(chain.signature.algorithm).toBe('Ed25519');
    expect(verify(null, Buffer.from(message), key, read('custody-head.sig'))).toBe(true);
    expect(verify(null, Buffer.from(message), key, Buffer.from(chain.signature.value, 'base64'))).toBe(true);
    // The key in the bundle is the one `keys show` publishes, and the instructions name its fingerprint.
    const fingerprint = createHash('sha256')
      .update(key.export({ format: 'der', type: 'spki' }))
      .digest('hex');
    expect((await cli(['keys', 'show'])).out).toContain(fingerprint);
    expect(read('VERIFY.txt').toString()).toContain(fingerprint);
    expect(read('VERIFY.txt').toString()).toMatch(
      /openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin/,
    );
    // The script shipped in the bundle does the same with Node.js only.
    const run = (bundle: string) =>
      spawnSync(process.execPath, ['verify.mjs'], { cwd: bundle, encoding: 'utf8' });
    const ok = run(dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^OK: ${reference}: 5 custody entries, head signed; 1 files match`));
    // A bundle whose chain was edited and re-hashed, without the key, fails the same checks.
    const forged = structuredClone(chain);
    const third = forged.entries[2];
    if (third === undefined) throw new Error('no entry 3');
    third.location = 'Nowhere';
    let hash = '0'.repeat(64);
    for (const e of forged.entries) {
      e.prev_hash = hash;
      const fields = [
        forged.case,
        e.seq,
        e.exhibit,
        e.event,
        e.actor,
        e.at,
        e.location,
        e.note,
        e.file_sha256,
        e.file_name,
        hash,
      ];
      hash = createHash('sha256').update(JSON.stringify(fields)).digest('hex');
      e.hash = hash;
    }
    writeFileSync(join(dir, 'custody-chain.json'), JSON.stringify(forged));
    const failed = run(dir);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/^FAILED: the signature does not cover these 5 entries/);
    expect(
      verify(
        null,
        Buffer.from(JSON.stringify(['bluelight custody head', reference, 5, hash])),
        key,
        read('custody-head.sig'),
      ),
    ).toBe(false);
  });

  it('checks the files against the signed chain: a file removed with its manifest line, added or swapped fails', async () => {
    const { reference } = await caseWithExhibit();
    const run = (bundle: string) =>
      spawnSync(process.execPath, ['verify.mjs'], { cwd: bundle, encoding: 'utf8' });
    const fresh = async () => {
      const exported = await cli(['case', 'export', reference, 'bundle']);
      expect(exported.code).toBe(0);
      const dir = join(exported.cwd, 'bundle');
      expect(run(dir).status).toBe(0);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
        files: { file: string; sha256: string }[];
      };
      const [file] = manifest.files;
      if (file === undefined) throw new Error('no file in the bundle');
      return { dir, manifest, file };
    };
    // Removed, and its line taken out of the unsigned manifest.json too.
    {
      const { dir, manifest, file } = await fresh();
      rmSync(join(dir, file.file));
      manifest.files = [];
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      const failed = run(dir);
      expect(failed.status).toBe(1);
      expect(failed.stdout).toContain(`FAILED: ${file.file} (custody entry`);
    }
    // Another file slipped in beside the evidence.
    {
      const { dir } = await fresh();
      writeFileSync(join(dir, 'files', 'extra.txt'), 'planted');
      expect(run(dir).stdout).toContain('FAILED: files/extra.txt is not named by any custody entry');
    }
    // Swapped content under the same name.
    {
      const { dir, file } = await fresh();
      writeFileSync(join(dir, file.file), 'other bytes');
      expect(run(dir).stdout).toContain(`FAILED: ${file.file} has been changed`);
    }
    // The readable manifest saying otherwise than the chain.
    {
      const { dir, manifest, file } = await fresh();
      manifest.files = [{ ...file, sha256: 'f'.repeat(64) }];
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      expect(run(dir).stdout).toContain('FAILED: manifest.json lists');
    }
    // Every export is audited, with the head it carried.
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'case-export')
      .where('reference', '=', reference)
      .execute();
    expect(audit).toHaveLength(4);
    expect(audit[0]?.detail).toMatch(/^5 custody entries, head [0-9a-f]{64}, 1 files$/);
  });

  it('refuses to export a bundle missing a file the chain names, writing nothing', async () => {
    const { reference } = await caseWithExhibit();
    const [sha] = await ctx.services.database.db
      .selectFrom('custody_entries')
      .innerJoin('cases', 'cases.id', 'custody_entries.case_id')
      .select('custody_entries.file_sha256')
      .where('cases.reference', '=', reference)
      .where('custody_entries.file_sha256', 'is not', null)
      .execute();
    const stored = await ctx.services.database.db
      .selectFrom('evidence_blobs')
      .selectAll()
      .where('sha256', '=', sha?.file_sha256 ?? '')
      .executeTakeFirstOrThrow();
    await ctx.services.database.db.deleteFrom('evidence_blobs').where('sha256', '=', stored.sha256).execute();
    try {
      const exported = await cli(['case', 'export', reference, 'bundle']);
      expect(exported.code).toBe(1);
      expect(exported.err).toContain('names a file that is not stored');
      expect(existsSync(join(exported.cwd, 'bundle'))).toBe(false);
    } finally {
      await ctx.services.database.db.insertInto('evidence_blobs').values(stored).execute();
    }
  });

  it('refuses to export a file whose stored bytes were changed (sealed bytes that do not open), writing nothing', async () => {
    const { reference } = await caseWithExhibit();
    const [sha] = await ctx.services.database.db
      .selectFrom('custody_entries')
      .innerJoin('cases', 'cases.id', 'custody_entries.case_id')
      .select('custody_entries.file_sha256')
      .where('cases.reference', '=', reference)
      .where('custody_entries.file_sha256', 'is not', null)
      .execute();
    const stored = await ctx.services.database.db
      .selectFrom('evidence_blobs')
      .selectAll()
      .where('sha256', '=', sha?.file_sha256 ?? '')
      .executeTakeFirstOrThrow();
    const flipped = Buffer.from(stored.content);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    await ctx.services.database.db
      .updateTable('evidence_blobs')
      .set({ content: flipped })
      .where('sha256', '=', stored.sha256)
      .execute();
    try {
      const exported = await cli(['case', 'export', reference, 'bundle']);
      expect(exported.code).toBe(1);
      expect(exported.err).toContain('names a file whose stored bytes have been changed');
      expect(existsSync(join(exported.cwd, 'bundle'))).toBe(false);
    } finally {
      await ctx.services.database.db
        .updateTable('evidence_blobs')
        .set({ content: stored.content })
        .where('sha256', '=', stored.sha256)
        .execute();
    }
  });

  it('runs the case: tasks, decision log, sharing and transfer, closing with a Home Office outcome', async () => {
    const { reference } = await caseWithExhibit();
    const task = await call('oic', 'POST', `/api/v1/cases/${reference}/tasks`, {
      title: 'Get subscriber details for the number',
      owner: 'colleague@police.example',
      due_on: '2026-12-01',
    });
    const taskId = task.json<{ id: number }>().id;
    expect(
      (await call('colleague', 'POST', `/api/v1/cases/${reference}/tasks/${taskId}/done`)).statusCode,
    ).toBe(200);
    await call('oic', 'POST', `/api/v1/cases/${reference}/decisions`, {
      decision: 'Seek a production order',
      reason: 'Bank records needed to trace the money',
    });
    expect((await call('kent', 'GET', `/api/v1/cases/${reference}`)).statusCode).toBe(404);
    const share = await call('oic', 'POST', `/api/v1/cases/${reference}/share`, {
      unit: 'kent-cyber',
      reason: 'Suspect lives in Kent',
    });
    expect(share.statusCode).toBe(201);
    expect((await call('kent', 'GET', `/api/v1/cases/${reference}`)).statusCode).toBe(200);
    const badOutcome = await call('oic', 'POST', `/api/v1/cases/${reference}/close`, {
      outcome: 'vanished',
      reason: 'x',
    });
    expect(badOutcome.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('outcome');
    await call('oic', 'POST', `/api/v1/cases/${reference}/close`, {
      outcome: 'charge-summons',
      reason: 'CPS authorised charge',
    });
    const read = (await call('oic', 'GET', `/api/v1/cases/${reference}`)).json<{
      status: string;
      outcome: string;
      tasks: { status: string }[];
      decisions: { decision: string; decided_by: string; code: string | null; subject: string | null }[];
      shared_with: { unit: string }[];
    }>();
    expect(read).toMatchObject({
      status: 'closed',
      outcome: 'charge-summons',
      tasks: [{ status: 'done' }],
      shared_with: [{ unit: 'kent-cyber' }],
    });
    expect(read.decisions.map((d) => [d.decision, d.code, d.subject])).toEqual([
      ['Seek a production order', null, null],
      ['shared with Kent Police Cyber Crime Unit', 'shared', 'kent-cyber'],
      ['closed: charge-summons', 'closed', 'charge-summons'],
    ]);
    // Transfer: the case now belongs to Kent; Cumbria no longer sees it.
    const moved = await caseWithExhibit();
    const unnamed = await call('oic', 'POST', `/api/v1/cases/${moved.reference}/share`, {
      unit: 'kent-cyber',
      reason: 'Offender in Kent',
      transfer: true,
    });
    expect(unnamed.statusCode).toBe(422);
    expect(unnamed.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('officer_in_charge');
    await call('oic', 'POST', `/api/v1/cases/${moved.reference}/share`, {
      unit: 'kent-cyber',
      reason: 'Offender in Kent',
      transfer: true,
      officer_in_charge: 'kent@police.example',
    });
    expect((await call('kent', 'GET', `/api/v1/cases/${moved.reference}`)).statusCode).toBe(200);
    expect((await call('oic', 'GET', `/api/v1/cases/${moved.reference}`)).statusCode).toBe(404);
  });

  it('queues forensic examinations with turnaround, and checks exhibit files against imported hash lists', async () => {
    const { reference, exhibitId } = await caseWithExhibit();
    const request = await call('oic', 'POST', `/api/v1/exhibits/${exhibitId}/examinations`, {
      what: 'Full logical extraction',
      why: 'Messages with the suspect',
      priority: 'high',
      legal_authority: 'PACE s.19 seizure',
    });
    const id = request.json<{ id: number }>().id;
    const noFindings = await call('colleague', 'POST', `/api/v1/examinations/${id}`, { status: 'complete' });
    expect(noFindings.statusCode).toBe(422);
    await call('colleague', 'POST', `/api/v1/examinations/${id}`, {
      status: 'complete',
      findings: 'Chats recovered; see report',
    });
    const queue = (await call('colleague', 'GET', '/api/v1/examinations')).json<{
      requests: { id: number; status: string; turnaround_hours: number | null }[];
      median_turnaround_hours: number | null;
    }>();
    expect(queue.requests.find((r) => r.id === id)).toMatchObject({ status: 'complete' });
    expect(queue.median_turnaround_hours).not.toBeNull();
    expect(
      (await call('kent', 'GET', '/api/v1/examinations')).json<{ requests: unknown[] }>().requests,
    ).toEqual([]);
    // The examination is in the chain of custody.
    expect((await cli(['custody', 'verify', reference])).code).toBe(0);

    const md5 = createHash('md5').update('%PDF-1.4 extraction report').digest('hex');
    const dir = mkdtempSync(join(tmpdir(), 'bluelight-hashes-'));
    writeFileSync(join(dir, 'list.txt'), `# export\n${md5.toUpperCase()}\nnot-a-hash\n${'a'.repeat(64)}\n`);
    const importList = () =>
      cli(['hashlist', 'import', join(dir, 'list.txt'), '--name', 'national-db'], {
        USER: 'evidence.officer',
      });
    const imported = await importList();
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toEqual({ name: 'national-db', entries: 2, skipped_lines: [3] });
    // The import, and a replacement, are audited in their own transaction, naming the operator.
    expect((await importList()).code).toBe(0);
    const listAudit = () =>
      ctx.services.database.db
        .selectFrom('audit_log')
        .select(['actor', 'reference', 'detail'])
        .where('action', '=', 'hashlist-imported')
        .orderBy('id')
        .execute();
    expect(await listAudit()).toEqual([
      { actor: 'cli:evidence.officer', reference: null, detail: 'list "national-db": 2 hashes' },
      { actor: 'cli:evidence.officer', reference: null, detail: 'list "national-db": 2 hashes, replacing 2' },
    ]);
    const read = (await call('oic', 'GET', `/api/v1/cases/${reference}`)).json<{ hash_matches: unknown[] }>();
    expect(read.hash_matches).toEqual([
      {
        exhibit: 'JS/1',
        file_name: 'extraction-report.pdf',
        file_sha256: createHash('sha256').update('%PDF-1.4 extraction report').digest('hex'),
        list: 'national-db',
        hash: md5,
      },
    ]);
    expect((await cli(['hashlist', 'import', '/no/such/file', '--name', 'x'])).code).toBe(2);
    expect(await listAudit()).toHaveLength(2);
  });

  it('imports call data records, shows a timeline and marks events near a place and time', async () => {
    const { exhibitId } = await caseWithExhibit();
    const csv = [
      'timestamp,type,from,to,duration_seconds,cell_id,latitude,longitude',
      '2026-11-20T08:59:00Z,call,+447700900111,+447700900222,65,CELL-1,54.8925,-2.9329',
      '2026-11-20T09:10:00Z,cell,+447700900111,,,CELL-2,54.8951,-2.9360',
      '2026-11-20T11:00:00Z,sms,+447700900111,+447700900333,,CELL-9,54.5,-3.5',
    ].join('\n');
    const imported = await call('oic', 'POST', `/api/v1/exhibits/${exhibitId}/cdr`, { csv });
    expect(imported.json()).toEqual({ imported: 3 });
    const bad = await call('oic', 'POST', `/api/v1/exhibits/${exhibitId}/cdr`, {
      csv: 'timestamp,type\nyesterday,call',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ detail: string }>().detail).toContain('Row 2');
    const marked = await call('oic', 'POST', `/api/v1/exhibits/${exhibitId}/cdr/mark`, {
      latitude: 54.8931,
      longitude: -2.934,
      radius_m: 500,
      from: '2026-11-20T08:30:00Z',
      to: '2026-11-20T09:30:00Z',
      note: 'Near the victim’s address at the time of the burglary',
    });
    expect(marked.json()).toEqual({ marked: 2 });
    const timeline = (await call('oic', 'GET', `/api/v1/exhibits/${exhibitId}/cdr`)).json<{
      events: { kind: string; marked: boolean }[];
    }>();
    expect(timeline.events.map((e) => [e.kind, e.marked])).toEqual([
      ['call', true],
      ['cell', true],
      ['sms', false],
    ]);
    expect((await call('kent', 'GET', `/api/v1/exhibits/${exhibitId}/cdr`)).statusCode).toBe(404);
  });

  const db = () => ctx.services.database.db;
  const entriesOf = async (reference: string) =>
    db()
      .selectFrom('custody_entries')
      .innerJoin('cases', 'cases.id', 'custody_entries.case_id')
      .selectAll('custody_entries')
      .where('cases.reference', '=', reference)
      .orderBy('custody_entries.id')
      .execute();

  /** What someone with the database but not the key can do: recompute every SHA-256 and the case's head. */
  async function rehashChain(reference: string) {
    const rows = await db()
      .selectFrom('custody_entries')
      .innerJoin('cases', 'cases.id', 'custody_entries.case_id')
      .innerJoin('exhibits', 'exhibits.id', 'custody_entries.exhibit_id')
      .selectAll('custody_entries')
      .select('exhibits.exhibit_ref')
      .where('cases.reference', '=', reference)
      .orderBy('custody_entries.id')
      .execute();
    let previous = '0'.repeat(64);
    for (const [index, e] of rows.entries()) {
      const seq = index + 1;
      const fields = [
        reference,
        seq,
        e.exhibit_ref,
        e.event,
        e.actor,
        e.at,
        e.location,
        e.note,
        e.file_sha256,
        e.file_name,
        previous,
      ];
      const hash = createHash('sha256').update(JSON.stringify(fields)).digest('hex');
      await db()
        .updateTable('custody_entries')
        .set({ seq, prev_hash: previous, hash })
        .where('id', '=', e.id)
        .execute();
      previous = hash;
    }
    await db()
      .updateTable('cases')
      .set({ custody_head: previous, custody_count: rows.length })
      .where('reference', '=', reference)
      .execute();
  }

  it.each([
    [
      'a changed row',
      async (reference: string) => {
        const [, second] = await entriesOf(reference);
        await db()
          .updateTable('custody_entries')
          .set({ location: 'Somewhere else' })
          .where('id', '=', second?.id ?? 0)
          .execute();
      },
      /entry 2 has been changed/,
    ],
    [
      'a deleted row',
      async (reference: string) => {
        const [, , third] = await entriesOf(reference);
        await db()
          .deleteFrom('custody_entries')
          .where('id', '=', third?.id ?? 0)
          .execute();
      },
      /entry 3 is missing or out of order/,
    ],
    [
      'the last row deleted',
      async (reference: string) => {
        const entries = await entriesOf(reference);
        await db()
          .deleteFrom('custody_entries')
          .where('id', '=', entries.at(-1)?.id ?? 0)
          .execute();
      },
      /entries were removed or added/,
    ],
    [
      'reordered rows',
      async (reference: string) => {
        const [, second, third] = await entriesOf(reference);
        if (second === undefined || third === undefined) throw new Error('no rows');
        // Swap everything but the row ids, so the stored order of the two entries is reversed.
        const { id: secondId, ...secondRest } = second;
        const { id: thirdId, ...thirdRest } = third;
        await db().updateTable('custody_entries').set({ seq: -1 }).where('id', '=', secondId).execute();
        await db().updateTable('custody_entries').set(secondRest).where('id', '=', thirdId).execute();
        await db().updateTable('custody_entries').set(thirdRest).where('id', '=', secondId).execute();
      },
      /entry 2 is missing or out of order/,
    ],
    [
      'a chain rewritten with every SHA-256 and the head recomputed, without the key',
      async (reference: string) => {
        const [, second] = await entriesOf(reference);
        await db()
          .updateTable('custody_entries')
          .set({ location: 'Somewhere else' })
          .where('id', '=', second?.id ?? 0)
          .execute();
        await rehashChain(reference);
      },
      /the custody head of CASE-\w+ \(5 entries\) does not carry a valid signature/,
    ],
    [
      'the last row deleted and the head put back to the entry before',
      async (reference: string) => {
        const entries = await entriesOf(reference);
        await db()
          .deleteFrom('custody_entries')
          .where('id', '=', entries.at(-1)?.id ?? 0)
          .execute();
        await rehashChain(reference);
      },
      /the custody head of CASE-\w+ \(4 entries\) does not carry a valid signature/,
    ],
    [
      'every entry deleted and the head emptied',
      async (reference: string) => {
        const entries = await entriesOf(reference);
        for (const e of entries) await db().deleteFrom('custody_entries').where('id', '=', e.id).execute();
        await db()
          .updateTable('cases')
          .set({ custody_head: null, custody_count: 0 })
          .where('reference', '=', reference)
          .execute();
      },
      /the custody head of CASE-\w+ \(0 entries\) does not carry a valid signature/,
    ],
    [
      'a changed file',
      async (reference: string) => {
        const file = (await entriesOf(reference)).find((e) => e.file_sha256 !== null);
        await db()
          .updateTable('evidence_blobs')
          .set({ content: Buffer.from('%PDF-1.4 doctored report') })
          .where('sha256', '=', file?.file_sha256 ?? '')
          .execute();
      },
      /file extraction-report\.pdf \(entry 5\) has been changed/,
    ],
  ] as const)('catches %s made behind the application’s back', async (_name, tamper, message) => {
    const { reference } = await caseWithExhibit();
    await tamper(reference);
    const result = await cli(['custody', 'verify', reference]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(JSON.parse(result.out)).toMatchObject({ case: reference, ok: false });
  });

  it('does not let a later custody entry cover up a rewritten chain: the break goes in the audit log first', async () => {
    const { reference, exhibitId } = await caseWithExhibit();
    const entries = await entriesOf(reference);
    await db()
      .deleteFrom('custody_entries')
      .where('id', '=', entries.at(-1)?.id ?? 0)
      .execute();
    await rehashChain(reference);
    const added = await call('oic', 'POST', `/api/v1/exhibits/${exhibitId}/custody`, {
      event: 'moved',
      at: '2026-11-22T10:00:00Z',
      location: 'Carlisle property store',
    });
    expect(added.statusCode).toBe(201);
    const alarm = await db()
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'custody-chain-altered')
      .where('reference', '=', reference)
      .execute();
    expect(alarm).toEqual([
      {
        actor: 'system',
        detail: expect.stringMatching(
          /\(4 entries\) does not carry a valid signature.*found when entry 5 was added/,
        ) as unknown,
      },
    ]);
    const result = await cli(['custody', 'verify', reference]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/records that the chain had been altered/);
  });
});
