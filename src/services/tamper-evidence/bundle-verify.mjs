// Checks a Bluelight evidence bundle offline with Node.js (20 or later) and nothing else:
//   node verify.mjs [bundle-directory]
// Exit 0: the chain of custody is intact, its head is signed by public-key.pem and every file matches.
// Exit 1: the first problem is printed. Compare the printed fingerprint with the one the force publishes.
// Copied into every bundle by `bluelight case export`; the rules are in VERIFY.txt.
import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const dir = process.argv[2] ?? '.';
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function check() {
  const chain = JSON.parse(readFileSync(join(dir, 'custody-chain.json'), 'utf8'));
  const key = createPublicKey(readFileSync(join(dir, 'public-key.pem')));
  if (key.asymmetricKeyType !== 'ed25519') return { problem: 'public-key.pem is not an Ed25519 key' };
  const fingerprint = sha256(key.export({ format: 'der', type: 'spki' }));
  let previous = '0'.repeat(64);
  for (const [index, entry] of chain.entries.entries()) {
    if (entry.seq !== index + 1)
      return { fingerprint, problem: `entry ${index + 1} is missing or out of order` };
    if (entry.prev_hash !== previous)
      return { fingerprint, problem: `entry ${entry.seq} does not follow entry ${index}` };
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
      return { fingerprint, problem: `entry ${entry.seq} has been changed` };
    previous = entry.hash;
  }
  // The signed statement is rebuilt from the entries themselves, never taken from the bundle.
  const message = JSON.stringify(['bluelight custody head', chain.case, chain.entries.length, previous]);
  const signature = Buffer.from(chain.signature.value, 'base64');
  if (!verify(null, Buffer.from(message, 'utf8'), key, signature))
    return {
      fingerprint,
      problem: `the signature does not cover these ${chain.entries.length} entries: the chain was changed, or entries were removed or added`,
    };
  // The files come from the signed chain, not from manifest.json (which nothing signs): every entry that names a
  // file must have it, at the path the export gives it, with that SHA-256; and files/ holds nothing else.
  const expected = new Map();
  for (const entry of chain.entries)
    if (entry.file_sha256 !== null && entry.file_sha256 !== undefined)
      expected.set(
        `files/${entry.file_sha256}-${(entry.file_name ?? 'file').replace(/[^A-Za-z0-9._-]/g, '_')}`,
        entry,
      );
  for (const [file, entry] of expected) {
    if (!existsSync(join(dir, file)))
      return { fingerprint, problem: `${file} (custody entry ${entry.seq}) is missing` };
    if (sha256(readFileSync(join(dir, file))) !== entry.file_sha256)
      return { fingerprint, problem: `${file} has been changed` };
  }
  const present = existsSync(join(dir, 'files'))
    ? readdirSync(join(dir, 'files')).map((f) => `files/${f}`)
    : [];
  for (const file of present)
    if (!expected.has(file)) return { fingerprint, problem: `${file} is not named by any custody entry` };
  // The readable manifest must say what the chain says.
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest))
    for (const file of JSON.parse(readFileSync(manifest, 'utf8')).files ?? [])
      if (expected.get(file.file)?.file_sha256 !== file.sha256)
        return {
          fingerprint,
          problem: `manifest.json lists ${file.file} with a SHA-256 the chain does not give it`,
        };
  const files = expected.size;
  return { fingerprint, entries: chain.entries.length, files, reference: chain.case };
}

try {
  const result = check();
  if (result.problem !== undefined) {
    process.stdout.write(`FAILED: ${result.problem}\n`);
    if (result.fingerprint !== undefined)
      process.stdout.write(`key fingerprint (SHA-256): ${result.fingerprint}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(
      `OK: ${result.reference}: ${result.entries} custody entries, head signed; ${result.files} files match\n` +
        `key fingerprint (SHA-256): ${result.fingerprint}\n` +
        'Compare the fingerprint with the one the force publishes for its Bluelight signing key.\n',
    );
  }
} catch (error) {
  process.stdout.write(`FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
