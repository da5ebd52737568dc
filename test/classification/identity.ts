/**
 * Speed work on the classifier must not change a single answer. This classifies a fixed corpus and writes every
 * field of every answer (online element and its evidence, category, cyber, code, confidence, raw confidence,
 * flags, reasons, cues), one JSON line per input, so two versions can be compared line by line:
 *
 *   npx tsx test/classification/identity.ts --write /tmp/before.jsonl   (on the old code)
 *   npx tsx test/classification/identity.ts --check /tmp/before.jsonl   (on the new: exit 1 at the first difference)
 *
 * The corpus: every labelled record (as scored, and with each offence name the rules know, and without one),
 * the legacy import bench's generated rows, the journey's inputs (a chosen category, vulnerability answers, an
 * answered medium), and records made up from the labelled sentences with typing errors, shouting, amounts and
 * ages (seeded, so the same every run). Everything goes through one long-lived classifier, as an import does
 * (its memos fill and are cleared), and a sample through classify() with nothing remembered. With --dev-only as a
 * third argument the corpus leaves out the held-out sets (for work that must not read them).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  classify,
  createClassifier,
  type ClassificationInput,
} from '../../src/domain/classification/classify.ts';
import { CATEGORIES, type Category } from '../../src/domain/classification/taxonomy.ts';
import { MEDIA } from '../../src/domain/classification/online-cues.ts';
import { benchRow } from '../../bench/import-rows.ts';
import { loadAll, loadSet, SETS } from './fixtures.ts';

const OFFENCES = [
  'FRAUD',
  'Fraud by false representation',
  'Computer Misuse Act',
  'Unauthorised access to computer material',
  'Threats to kill',
  'Harassment',
  'Malicious Communications',
  'Stalking',
  'Blackmail',
  'Burglary – residential',
  'Assault occasioning ABH',
  'Theft from the person',
  'Sexual communication with a child',
  'Criminal damage',
  'Public fear alarm or distress',
  'OTHER',
  '',
];

/** A small seeded generator (mulberry32), so the made-up records are the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function* corpus(devOnly: boolean): Generator<ClassificationInput> {
  const sets = devOnly
    ? SETS.filter((s) => !s.heldOut).map((s) => ({ records: loadSet(s.name) }))
    : loadAll();
  const texts: string[] = [];
  for (const set of sets)
    for (const r of set.records) {
      const text = r.summary ?? r.text ?? '';
      texts.push(text);
      yield r.offence === undefined ? { text } : { text, offence: r.offence };
      for (const offence of OFFENCES) yield { text, offence };
      if (r.offence !== undefined) yield { text };
    }
  for (let i = 0; i < 30_000; i++) {
    const row = benchRow(i);
    yield { text: row.summary, offence: row.crimeType };
  }
  const categories = Object.keys(CATEGORIES) as Category[];
  const next = random(17);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  // The journey's own answers, on every third text.
  for (let i = 0; i < texts.length; i += 3) {
    const text = texts[i] ?? '';
    yield { text, chosenCategory: pick(categories) };
    yield { text, vulnerability: [pick(['over-70', 'none', 'disability'])] };
    yield { text, answeredMedium: pick(MEDIA) };
  }
  const sentences = texts.flatMap((t) => t.split(/(?<=[.!?])\s+/)).filter((s) => s.trim() !== '');
  const extras = [
    'aged 84',
    'IP (72)',
    'my 13 year old son',
    '£1,400',
    '£3k',
    '2,500 pounds',
    'in her 80s',
    'she is 91.',
    'S/C and acc no given',
    'paid BT to the seller',
    'Hi mum msg from new no',
    "didn't click",
    'NFI',
    'dêtio ar-lein',
    'wnes i ddim talu',
    '15%',
    'https://example.co.uk/x',
  ];
  const typo = (word: string): string => {
    if (word.length < 5) return word;
    const at = 1 + Math.floor(next() * (word.length - 2));
    const r = next();
    if (r < 0.33) return word.slice(0, at) + word.slice(at + 1);
    if (r < 0.66) return word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2);
    return word.slice(0, at) + (word[at] ?? '') + word.slice(at);
  };
  for (let i = 0; i < 40_000; i++) {
    const parts: string[] = [];
    const n = 1 + Math.floor(next() * 4);
    for (let k = 0; k < n; k++) parts.push(pick(sentences));
    if (next() < 0.4) parts.splice(Math.floor(next() * parts.length), 0, pick(extras));
    let text = parts.join(' ');
    if (next() < 0.3)
      text = text
        .split(' ')
        .map((w) => (next() < 0.15 ? typo(w) : w))
        .join(' ');
    if (next() < 0.2) text = text.toUpperCase();
    if (next() < 0.1) text = `${text} (${String(i)})`;
    const offence = next() < 0.6 ? pick(OFFENCES) : undefined;
    yield offence === undefined ? { text } : { text, offence };
  }
}

const [mode, path, only] = process.argv.slice(2);
if (
  (mode !== '--write' && mode !== '--check') ||
  path === undefined ||
  (only ?? '--dev-only') !== '--dev-only'
) {
  process.stderr.write('usage: identity.ts --write <file> | --check <file> [--dev-only]\n');
  process.exit(2);
}
const classifier = createClassifier();
const lines: string[] = [];
let i = 0;
for (const input of corpus(only === '--dev-only')) {
  const answer = classifier.classify(input);
  lines.push(JSON.stringify({ input, answer }));
  // A sample classified again with nothing remembered: the memos must not change an answer either.
  if (i++ % 7 === 0) lines.push(JSON.stringify({ input, fresh: true, answer: classify(input) }));
}
const text = lines.join('\n') + '\n';
const digest = createHash('sha256').update(text).digest('hex');
if (mode === '--write') {
  writeFileSync(path, text);
  process.stdout.write(`${String(lines.length)} answers written to ${path} (sha256 ${digest})\n`);
} else {
  const before = readFileSync(path, 'utf8').split('\n');
  let differences = 0;
  lines.forEach((line, k) => {
    if (line === before[k]) return;
    if (differences++ < 5)
      process.stdout.write(`line ${String(k + 1)} differs:\n- ${before[k] ?? '(none)'}\n+ ${line}\n`);
  });
  if (before.length - 1 !== lines.length) differences++;
  process.stdout.write(
    differences === 0
      ? `${String(lines.length)} answers identical (sha256 ${digest})\n`
      : `${String(differences)} of ${String(lines.length)} answers differ (before: ${String(before.length - 1)} lines)\n`,
  );
  process.exit(differences === 0 ? 0 : 1);
}
