// Checks a Bluelight evidence bundle offline with Node.js (20 or later) and nothing else:
//   node verify.mjs [bundle-directory]
// Exit 0: the chain of custody is intact, its head is signed by public-key.pem and every file matches.
// Exit 1: the first problem is printed. Compare the printed fingerprint with the one the force publishes.
// Copied into every bundle by `bluelight case export`; the rules are in VERIFY.txt.
import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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
  let files = 0;
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest))
    for (const file of JSON.parse(readFileSync(manifest, 'utf8')).files ?? []) {
      if (sha256(readFileSync(join(dir, file.file))) !== file.sha256)
        return { fingerprint, problem: `${file.file} has been changed` };
      files++;
    }
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
