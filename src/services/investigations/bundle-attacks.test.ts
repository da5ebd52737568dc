import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitPartnerReport } from '../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../test/support/test-app.ts';
import { TEST_AUDIT_SIGNING_KEY, TEST_DATA_KEY, testDialect } from '../../../test/support/test-services.ts';
import type { CliIo } from '../../cli/cli-io.ts';
import { runCli } from '../../cli/main.ts';

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The fingerprint the force publishes (`bluelight keys show`), which the recipient got separately. */
const PUBLISHED = sha256(
  createPublicKey(
    createPrivateKey({ key: Buffer.from(TEST_AUDIT_SIGNING_KEY, 'base64'), format: 'der', type: 'pkcs8' }),
  ).export({ format: 'der', type: 'spki' }),
);

interface Chain {
  case: string;
  entries: Record<string, string | number | null>[];
  signed_message: string;
  signature: { value: string; public_key_sha256: string };
}

/** `node verify.mjs` as the recipient runs it in the bundle, with any extra arguments. */
const verifyBundle = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['verify.mjs', '.', ...args], { cwd: dir, encoding: 'utf8' });

describe(`attacks on the evidence bundle and verify.mjs (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let token = '';
  let reportRef = '';

  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });

  const cli = async (
    args: string[],
    env: Record<string, string> = {},
    cwd = mkdtempSync(join(tmpdir(), 'bluelight-bundle-attack-')),
  ) => {
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
      cwd,
    };
    const code = await runCli(args, io);
    return { code, out: out.join(''), err: err.join(''), cwd };
  };

  const exportCase = async (reference: string, env: Record<string, string> = {}): Promise<string> => {
    const exported = await cli(['case', 'export', reference, 'bundle'], env);
    expect(`${String(exported.code)} ${exported.err}`).toBe('0 ');
    const dir = join(exported.cwd, 'bundle');
    const ok = verifyBundle(dir);
    expect(ok.stdout).toMatch(/^OK: /);
    return dir;
  };

  /** A case with one exhibit and the files given (name → content). */
  async function caseWithFiles(files: [string, string][]): Promise<string> {
    const created = await call('POST', '/api/v1/cases', { title: 'Operation Heron', reports: [reportRef] });
    expect(created.statusCode).toBe(201);
    const reference = created.json<{ reference: string }>().reference;
    const exhibit = await call('POST', `/api/v1/cases/${reference}/exhibits`, {
      initials: 'AB',
      kind: 'phone',
      description: 'Blue phone in an evidence bag',
      seized_at: '2026-11-20T09:15:00Z',
      seized_where: '2 Low Street, Penrith',
      seal_numbers: ['SEAL-0009'],
    });
    expect(exhibit.statusCode).toBe(201);
    const { id } = exhibit.json<{ id: number }>();
    for (const [name, content] of files) {
      const file = await call('POST', `/api/v1/exhibits/${String(id)}/files`, {
        file_name: name,
        content_base64: Buffer.from(content).toString('base64'),
      });
      expect(file.statusCode).toBe(201);
    }
    return reference;
  }

  beforeAll(async () => {
    ctx = await createTestApp();
    const email = 'oic@bundle-attack.example';
    await ctx.services.staffAccounts.add({
      email,
      role: 'force-officer',
      forceId: 'cumbria',
      password: 'correct horse battery staple',
    });
    const user = await ctx.services.staff.userIdByEmail(email);
    token = (await ctx.services.tokens.create('oic', ['staff'], user?.id ?? null)).token;
    // A report the force's own unit holds (hacking-social-email), so its officer may put it in a case.
    reportRef = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'V', postcode: 'CA1 1AA' },
      incident: { narrative: 'someone took over my social media account and is messaging my friends' },
      consents: { victim_support: false },
    });
  });
  afterAll(() => ctx.close());

  it('fails a bundle whose readable manifest (HTML or JSON) says something the chain does not', async () => {
    const reference = await caseWithFiles([['extraction.pdf', '%PDF-1.4 report']]);
    const pristine = await exportCase(reference);
    const copy = (name: string) => {
      const dir = join(pristine, '..', name);
      cpSync(pristine, dir, { recursive: true });
      return dir;
    };
    // The printable custody log a court reads: where the phone was, changed.
    {
      const dir = copy('html');
      const html = readFileSync(join(dir, 'manifest.html'), 'utf8');
      expect(html).toContain('2 Low Street, Penrith');
      writeFileSync(
        join(dir, 'manifest.html'),
        html.replaceAll('2 Low Street, Penrith', '9 Other Road, Kendal'),
      );
      const run = verifyBundle(dir);
      expect(run.stdout).toMatch(/^FAILED: manifest\.html /);
      expect(run.status).toBe(1);
    }
    // The custody log in manifest.json, and an exhibit's description, which no chain entry carries.
    {
      const dir = copy('json-log');
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
        custody_log: { location: string | null }[];
      };
      const first = manifest.custody_log[0];
      if (first === undefined) throw new Error('no custody log');
      first.location = '9 Other Road, Kendal';
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
      expect(verifyBundle(dir).stdout).toMatch(/^FAILED: manifest\.json /);
    }
    {
      const dir = copy('json-exhibit');
      const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
      writeFileSync(
        join(dir, 'manifest.json'),
        text.replace('Blue phone in an evidence bag', 'Red phone, no bag'),
      );
      expect(verifyBundle(dir).stdout).toMatch(/^FAILED: manifest\.json /);
    }
    // A note slipped in beside the evidence, and an extra field in the chain file (nothing hashes it).
    {
      const dir = copy('note');
      writeFileSync(join(dir, 'NOTE-FOR-THE-COURT.txt'), 'The defendant confessed.');
      expect(verifyBundle(dir).stdout).toMatch(/^FAILED: NOTE-FOR-THE-COURT\.txt /);
    }
    {
      const dir = copy('extra-field');
      const chain = JSON.parse(readFileSync(join(dir, 'custody-chain.json'), 'utf8')) as Chain & {
        entries: Record<string, unknown>[];
      };
      const entry = chain.entries[0];
      if (entry === undefined) throw new Error('no entry');
      entry.remark = 'seized without a warrant';
      writeFileSync(join(dir, 'custody-chain.json'), JSON.stringify(chain, null, 2));
      expect(verifyBundle(dir).stdout).toMatch(/^FAILED: custody-chain\.json /);
    }
    // Untouched, it still verifies.
    expect(verifyBundle(copy('untouched')).status).toBe(0);
  });

  it('fails a bundle whose evidence is a symbolic link or sits in a folder, and keeps every name inside files/', async () => {
    const reference = await caseWithFiles([
      ['../../../etc/passwd', 'traversal'],
      ['/abs/path/name.txt', 'absolute'],
      ['a b.txt', 'one'],
      ['a_b.txt', 'two'],
      ['same.txt', 'same bytes'],
      ['same?txt', 'same bytes'],
    ]);
    const dir = await exportCase(reference);
    const names = readdirSync(join(dir, 'files'));
    // Six files, five distinct (name, content) paths; nothing outside files/.
    expect(names).toHaveLength(6);
    for (const name of names) expect(name).toMatch(/^[0-9a-f]{64}-[A-Za-z0-9._-]+$/);
    expect(existsSync(join(dir, '..', 'etc'))).toBe(false);
    const target = names.find(
      (n) => n.endsWith('-a_b.txt') && readFileSync(join(dir, 'files', n), 'utf8') === 'two',
    );
    if (target === undefined) throw new Error('no a_b.txt');
    // The evidence moved out of the bundle and linked back: the bundle no longer holds it.
    const outside = join(dir, '..', 'elsewhere.bin');
    renameSync(join(dir, 'files', target), outside);
    symlinkSync(outside, join(dir, 'files', target));
    expect(verifyBundle(dir).stdout).toContain(`FAILED: files/${target} is not a regular file`);
    // A folder under files/.
    renameSync(join(dir, 'files', target), join(dir, '..', 'link-removed'));
    cpSync(outside, join(dir, 'files', target));
    expect(verifyBundle(dir).status).toBe(0);
    mkdirSync(join(dir, 'files', 'sub'));
    expect(verifyBundle(dir).stdout).toContain('FAILED: files/sub is not');
  });

  it('exports and verifies a file whose name is as long as the API allows', async () => {
    const reference = await caseWithFiles([[`${'long-name-'.repeat(19)}end.pdf`, 'long']]);
    const dir = await exportCase(reference);
    expect(readdirSync(join(dir, 'files'))[0]?.length).toBeLessThanOrEqual(255);
  });

  it('shows the key it checked against, and fails a bundle re-signed with another key when given the published fingerprint', async () => {
    const reference = await caseWithFiles([['extraction.pdf', '%PDF-1.4 report']]);
    const dir = await exportCase(reference);
    expect(verifyBundle(dir).stdout).toContain(`key fingerprint (SHA-256): ${PUBLISHED}`);
    expect(verifyBundle(dir, '--fingerprint', PUBLISHED).status).toBe(0);

    // The forger edits an entry, re-hashes the chain and signs everything with a key of their own.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const forgedFingerprint = sha256(publicKey.export({ format: 'der', type: 'spki' }));
    const chain = JSON.parse(readFileSync(join(dir, 'custody-chain.json'), 'utf8')) as Chain;
    let previous = '0'.repeat(64);
    for (const e of chain.entries) {
      if (e.event === 'seized') e.location = '9 Other Road, Kendal';
      e.prev_hash = previous;
      previous = sha256(
        JSON.stringify([
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
        ]),
      );
      e.hash = previous;
    }
    const message = JSON.stringify(['bluelight custody head', chain.case, chain.entries.length, previous]);
    const signature = sign(null, Buffer.from(message), privateKey);
    chain.signed_message = message;
    chain.signature.value = signature.toString('base64');
    chain.signature.public_key_sha256 = forgedFingerprint;
    writeFileSync(join(dir, 'custody-chain.json'), JSON.stringify(chain, null, 2));
    writeFileSync(join(dir, 'custody-head.txt'), message);
    writeFileSync(join(dir, 'custody-head.sig'), signature);
    writeFileSync(join(dir, 'public-key.pem'), publicKey.export({ format: 'pem', type: 'spki' }));
    writeFileSync(
      join(dir, 'VERIFY.txt'),
      readFileSync(join(dir, 'VERIFY.txt'), 'utf8').replaceAll(PUBLISHED, forgedFingerprint),
    );
    // Whatever else the bundle signs, the forger signs again with their key.
    if (existsSync(join(dir, 'bundle-statement.txt'))) {
      const [first = '', ...lines] = readFileSync(join(dir, 'bundle-statement.txt'), 'utf8')
        .trimEnd()
        .split('\n');
      const statement = [
        first,
        ...lines.map((line) => {
          const name = line.slice(66);
          return `${sha256(readFileSync(join(dir, name)))}  ${name}`;
        }),
      ].join('\n');
      writeFileSync(join(dir, 'bundle-statement.txt'), `${statement}\n`);
      writeFileSync(join(dir, 'bundle-statement.sig'), sign(null, Buffer.from(`${statement}\n`), privateKey));
    }
    // Without the published fingerprint the script cannot know: it says OK, and shows the forger's key.
    const unchecked = verifyBundle(dir);
    expect(unchecked.stdout).toContain(`key fingerprint (SHA-256): ${forgedFingerprint}`);
    expect(unchecked.stdout).not.toContain(PUBLISHED);
    // Given the fingerprint the force published, it fails.
    const checked = verifyBundle(dir, '--fingerprint', PUBLISHED);
    expect(checked.status).toBe(1);
    expect(checked.stdout).toContain(`FAILED: public-key.pem is not the key with fingerprint ${PUBLISHED}`);
    // And the script a forger could have replaced: the force publishes its SHA-256 with the key.
    const shown = (await cli(['keys', 'show'])).out;
    expect(shown).toContain(`fingerprint (SHA-256): ${PUBLISHED}`);
    expect(shown).toContain(
      `evidence bundles' verify.mjs (SHA-256): ${sha256(readFileSync(join(dir, 'verify.mjs')))}`,
    );
  });

  it('refuses to export into a folder that already holds something, which the export would sign as part of the bundle', async () => {
    const reference = await caseWithFiles([['extraction.pdf', '%PDF-1.4 report']]);
    const cwd = mkdtempSync(join(tmpdir(), 'bluelight-bundle-attack-'));
    mkdirSync(join(cwd, 'bundle', 'files'), { recursive: true });
    writeFileSync(join(cwd, 'bundle', 'files', 'planted.pdf'), 'not evidence');
    const refused = await cli(['case', 'export', reference, 'bundle'], {}, cwd);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('is not empty');
    expect(readdirSync(join(cwd, 'bundle'))).toEqual(['files']);
  });

  it('fails a bundle whose chain was emptied, or whose entries were reordered', async () => {
    const reference = await caseWithFiles([['extraction.pdf', '%PDF-1.4 report']]);
    for (const edit of [
      (chain: Chain) => {
        chain.entries = [];
      },
      (chain: Chain) => {
        chain.entries.reverse();
      },
    ]) {
      const dir = await exportCase(reference);
      const chain = JSON.parse(readFileSync(join(dir, 'custody-chain.json'), 'utf8')) as Chain;
      edit(chain);
      writeFileSync(join(dir, 'custody-chain.json'), JSON.stringify(chain, null, 2));
      const run = verifyBundle(dir);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^FAILED: /);
    }
  });

  // Last: the export under another key leaves the audit log signed by a key the later tests' services do not hold.
  it('after a key rotation, checks the head with the key that signed it and the bundle with the key that exported it', async () => {
    const reference = await caseWithFiles([['extraction.pdf', '%PDF-1.4 report']]);
    const oldPublic = createPublicKey(
      createPrivateKey({ key: Buffer.from(TEST_AUDIT_SIGNING_KEY, 'base64'), format: 'der', type: 'pkcs8' }),
    )
      .export({ format: 'der', type: 'spki' })
      .toString('base64');
    const next = generateKeyPairSync('ed25519');
    const nextFingerprint = sha256(next.publicKey.export({ format: 'der', type: 'spki' }));
    const dir = await exportCase(reference, {
      AUDIT_SIGNING_KEY: next.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      AUDIT_TRUSTED_PUBLIC_KEYS: oldPublic,
    });
    const ok = verifyBundle(dir);
    expect(ok.stdout).toContain(`key fingerprint (SHA-256): ${PUBLISHED}`);
    expect(ok.stdout).toContain(`statement-key.pem fingerprint (SHA-256): ${nextFingerprint}`);
    expect(readFileSync(join(dir, 'VERIFY.txt'), 'utf8')).toContain(nextFingerprint);
    expect(verifyBundle(dir, '--fingerprint', PUBLISHED, '--fingerprint', nextFingerprint).status).toBe(0);
    // Given only the old key's fingerprint, the statement's key is not one the recipient knows.
    const onlyOld = verifyBundle(dir, '--fingerprint', PUBLISHED);
    expect(onlyOld.status).toBe(1);
    expect(onlyOld.stdout).toContain('FAILED: statement-key.pem is not the key with fingerprint');
  });
});
