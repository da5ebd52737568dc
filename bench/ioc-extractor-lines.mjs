/* global process */
// The same job as `bluelight extract`, with ioc-extractor: JSON lines {"id","text"} on stdin, {"id","indicators"}
// on stdout. It reads and writes as src/cli/json-lines.ts does (a chunk at a time, one write per chunk), so that the
// two differ only in how they find indicators and what they load.
import { StringDecoder } from 'node:string_decoder';
import { extractIOC } from 'ioc-extractor';

const TYPES = [
  ['urls', 'url'],
  ['domains', 'domain'],
  ['ipv4s', 'ipv4'],
  ['ipv6s', 'ipv6'],
  ['emails', 'email'],
  ['btcs', 'btc-address'],
  ['eths', 'eth-address'],
  ['md5s', 'md5'],
  ['sha1s', 'sha1'],
  ['sha256s', 'sha256'],
];

function answer(lines) {
  let out = '';
  for (const line of lines.split(/[\r\n]+/)) {
    if (line.trim() === '') continue;
    const { id, text } = JSON.parse(line);
    const found = extractIOC(text, { refang: true });
    const indicators = TYPES.flatMap(([key, type]) => found[key].map((value) => ({ type, value })));
    out += JSON.stringify({ id, indicators }) + '\n';
  }
  return out;
}

const decoder = new StringDecoder('utf8');
let partial = '';
for await (const chunk of process.stdin) {
  const text = partial + decoder.write(chunk);
  const end = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  partial = text.slice(end + 1);
  if (end >= 0) process.stdout.write(answer(text.slice(0, end)));
}
process.stdout.write(answer(partial + decoder.end()));
