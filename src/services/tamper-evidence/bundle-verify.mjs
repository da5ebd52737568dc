// Checks a Bluelight evidence bundle offline with Node.js (20 or later) and nothing else:
//   node verify.mjs [bundle-directory] [--fingerprint <SHA-256 of the force's published key>]...
// Exit 0: the chain of custody is intact, its head is signed, every file matches, and the bundle is the one
// Bluelight exported (every file named, with its SHA-256, in the signed bundle-statement.txt; nothing else).
// Exit 1: the first problem is printed. Without --fingerprint, compare the printed fingerprint with the one the
// force publishes: anyone can make a bundle that checks out against a key of their own.
// Copied into every bundle by `bluelight case export`; the rules are in VERIFY.txt.
import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function parseArgs(args) {
  let dir;
  const fingerprints = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--fingerprint') {
      const value = (args[++i] ?? '').toLowerCase().replace(/[\s:]/g, '');
      if (!/^[0-9a-f]{64}$/.test(value)) throw new Error('--fingerprint needs a SHA-256 (64 hex digits)');
      fingerprints.push(value);
    } else if (dir === undefined) dir = args[i];
    else throw new Error(`unexpected argument ${args[i]}`);
  }
  return { dir: dir ?? '.', fingerprints };
}

const { dir, fingerprints } = parseArgs(process.argv.slice(2));

/** A regular file of the bundle (not a link, a folder or a device), or the reason it is not. */
function notRegular(file) {
  const stat = lstatSync(join(dir, file), { throwIfNoEntry: false });
  if (stat === undefined) return 'is missing';
  return stat.isFile() ? null : 'is not a regular file';
}

function readKey(file) {
  const key = createPublicKey(readFileSync(join(dir, file)));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 key`);
  return { file, key, fingerprint: sha256(key.export({ format: 'der', type: 'spki' })) };
}

/** The key is one the recipient was given (when they gave any): otherwise nothing it signed means anything. */
function unexpectedKey({ file, fingerprint }) {
  if (fingerprints.length === 0 || fingerprints.includes(fingerprint)) return null;
  return fingerprints.length === 1
    ? `${file} is not the key with fingerprint ${fingerprints[0]} (its fingerprint is ${fingerprint})`
    : `${file} (fingerprint ${fingerprint}) is not one of the keys given with --fingerprint`;
}

/** Every file and folder under the bundle, relative, with `/` between folders. */
function everything(prefix = '') {
  const found = [];
  for (const name of readdirSync(join(dir, prefix))) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    found.push(path);
    const stat = lstatSync(join(dir, path));
    if (stat.isDirectory()) found.push(...everything(path));
  }
  return found;
}

function check() {
  const headKey = readKey('public-key.pem');
  const keys = [headKey];
  const statementKey = existsSync(join(dir, 'statement-key.pem')) ? readKey('statement-key.pem') : headKey;
  if (statementKey !== headKey) keys.push(statementKey);
  for (const key of keys) {
    const problem = unexpectedKey(key);
    if (problem !== null) return { keys, problem };
  }
  const chain = JSON.parse(readFileSync(join(dir, 'custody-chain.json'), 'utf8'));
  let previous = '0'.repeat(64);
  for (const [index, entry] of chain.entries.entries()) {
    if (entry.seq !== index + 1) return { keys, problem: `entry ${index + 1} is missing or out of order` };
    if (entry.prev_hash !== previous)
      return { keys, problem: `entry ${entry.seq} does not follow entry ${index}` };
    const fields = [
      chain.case,
      entry.seq,
      entry.exhibit,
      entry.event,
      entry.actor,
      entry.at,
      entry.location,
      entry.note,
      entry.file_sha256,
      entry.file_name,
      entry.prev_hash,
    ];
    if (sha256(JSON.stringify(fields)) !== entry.hash)
      return { keys, problem: `entry ${entry.seq} has been changed` };
    previous = entry.hash;
  }
  // The signed statement is rebuilt from the entries themselves, never taken from the bundle.
  const message = JSON.stringify(['bluelight custody head', chain.case, chain.entries.length, previous]);
  const signature = Buffer.from(chain.signature.value, 'base64');
  if (!verify(null, Buffer.from(message, 'utf8'), headKey.key, signature))
    return {
      keys,
      problem: `the signature does not cover these ${chain.entries.length} entries: the chain was changed, or entries were removed or added`,
    };
  // The files come from the signed chain, not from manifest.json: every entry that names a file must have it, at
  // the path the export gives it, with that SHA-256; and files/ holds nothing else.
  const expected = new Map();
  for (const entry of chain.entries)
    if (entry.file_sha256 !== null && entry.file_sha256 !== undefined) {
      if (!/^[0-9a-f]{64}$/.test(entry.file_sha256))
        return { keys, problem: `entry ${entry.seq} names a file by something that is not a SHA-256` };
      const name = (entry.file_name ?? 'file').replace(/[^A-Za-z0-9._-]/g, '_');
      const kept = name.length <= 120 ? name : `${name.slice(0, 100)}_${name.slice(-19)}`;
      expected.set(`files/${entry.file_sha256}-${kept}`, entry);
    }
  for (const [file, entry] of expected) {
    const irregular = notRegular(file);
    if (irregular === 'is missing')
      return { keys, problem: `${file} (custody entry ${entry.seq}) is missing` };
    if (irregular !== null) return { keys, problem: `${file} ${irregular}` };
    if (sha256(readFileSync(join(dir, file))) !== entry.file_sha256)
      return { keys, problem: `${file} has been changed` };
  }
  const filesDir = lstatSync(join(dir, 'files'), { throwIfNoEntry: false });
  if (filesDir !== undefined && !filesDir.isDirectory()) return { keys, problem: 'files is not a folder' };
  const present = filesDir === undefined ? [] : readdirSync(join(dir, 'files')).map((f) => `files/${f}`);
  for (const file of present)
    if (!expected.has(file)) return { keys, problem: `${file} is not named by any custody entry` };
  // The readable manifest must say what the chain says.
  for (const file of JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).files ?? [])
    if (expected.get(file.file)?.file_sha256 !== file.sha256)
      return { keys, problem: `manifest.json lists ${file.file} with a SHA-256 the chain does not give it` };

  // The bundle as exported: every file, with its SHA-256, in the statement signed at export; nothing else.
  for (const file of ['bundle-statement.txt', 'bundle-statement.sig']) {
    const irregular = notRegular(file);
    if (irregular !== null) return { keys, problem: `${file} ${irregular}` };
  }
  const statement = readFileSync(join(dir, 'bundle-statement.txt'));
  if (!verify(null, statement, statementKey.key, readFileSync(join(dir, 'bundle-statement.sig'))))
    return { keys, problem: `bundle-statement.txt is not signed by ${statementKey.file}` };
  const [title = '', ...lines] = statement.toString('utf8').replace(/\n$/, '').split('\n');
  const heading = /^bluelight evidence bundle (\S+) exported (\S+)$/.exec(title);
  if (heading === null || heading[1] !== chain.case)
    return { keys, problem: `bundle-statement.txt is not the statement of ${chain.case}` };
  const listed = new Map();
  for (const line of lines) {
    const match = /^([0-9a-f]{64}) {2}((?:files\/)?[A-Za-z0-9._-]+)$/.exec(line);
    if (match === null || match[2].split('/').some((part) => part === '.' || part === '..'))
      return { keys, problem: `bundle-statement.txt has a line that is not a file and its SHA-256: ${line}` };
    listed.set(match[2], match[1]);
  }
  for (const path of everything()) {
    if (path === 'files' || path === 'bundle-statement.txt' || path === 'bundle-statement.sig') continue;
    if (!listed.has(path)) {
      const irregular = notRegular(path);
      return {
        keys,
        problem: `${path} ${irregular === 'is not a regular file' ? 'is not a regular file, and ' : ''}is not part of the bundle as exported (bundle-statement.txt does not name it)`,
      };
    }
  }
  for (const [file, hash] of listed) {
    const irregular = notRegular(file);
    if (irregular !== null) return { keys, problem: `${file} ${irregular}` };
    if (sha256(readFileSync(join(dir, file))) !== hash)
      return { keys, problem: `${file} has been changed since the export (bundle-statement.txt)` };
  }
  return {
    keys,
    entries: chain.entries.length,
    files: expected.size,
    reference: chain.case,
    exportedAt: heading[2],
  };
}

function fingerprintLines(keys) {
  return keys
    .map(({ file, fingerprint }) =>
      file === 'public-key.pem'
        ? `key fingerprint (SHA-256): ${fingerprint}\n`
        : `${file} fingerprint (SHA-256): ${fingerprint}\n`,
    )
    .join('');
}

try {
  const result = check();
  if (result.problem !== undefined) {
    process.stdout.write(`FAILED: ${result.problem}\n${fingerprintLines(result.keys)}`);
    process.exitCode = 1;
  } else {
    process.stdout.write(
      `OK: ${result.reference}: ${result.entries} custody entries, head signed; ${result.files} files match; ` +
        `the bundle is as exported on ${result.exportedAt}\n` +
        fingerprintLines(result.keys) +
        (fingerprints.length > 0
          ? 'The key is the one you gave with --fingerprint.\n'
          : 'Compare the fingerprint with the one the force publishes for its Bluelight signing key ' +
            '(or run again with --fingerprint <it>).\n'),
    );
  }
} catch (error) {
  process.stdout.write(`FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
