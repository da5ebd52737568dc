/**
 * First-sight score of a file of new development records (before the changes they may prompt), with the misses:
 *
 *   npx tsx test/classification/score-file.ts <file.jsonl> [--rules] [--quiet]
 *
 * Refuses the held-out sets' files.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createClassifier } from '../../src/domain/classification/classify.ts';
import {
  classifyRecord,
  labelCyber,
  type LabelledRecord,
} from '../../src/domain/classification/evaluation.ts';
import { SETS } from './fixtures.ts';

const file = process.argv[2] ?? '';
if (file === '' || SETS.some((s) => s.heldOut && basename(file) === `${s.name}.jsonl`)) {
  console.error('usage: score-file.ts <development file.jsonl> [--rules] [--quiet] (never a held-out set)');
  process.exit(2);
}
const classifier = createClassifier(process.argv.includes('--rules') ? { model: null } : {});
const records = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as LabelledRecord);
let category = 0;
let cyber = 0;
let online = 0;
for (const r of records) {
  const c = classifyRecord(r, classifier);
  const onlineRight = r.online === undefined || r.online.length > 0 === (c.online.medium !== null);
  if (c.category === r.category) category++;
  if (c.cyber === labelCyber(r)) cyber++;
  if (onlineRight) online++;
  if ((c.category === r.category && onlineRight) || process.argv.includes('--quiet')) continue;
  console.log(
    `${r.id}  expected ${r.category} [${(r.online ?? []).join(',')}]  got ${c.category} [${c.online.media.join(',')}] (${String(c.confidence)})`,
  );
  console.log(`  ${r.offence !== undefined ? `${r.offence}: ` : ''}${r.summary ?? r.text ?? ''}`);
  console.log(`  online: ${c.online.evidence.map((e) => `${e.id}“${e.words}”`).join(' ')}`);
  console.log(`  ${c.reasons.join(' | ')}`);
}
const pct = (n: number) => ((100 * n) / records.length).toFixed(1);
console.log(
  `${basename(file)}: ${String(records.length)} records, category ${pct(category)}%, cyber ${pct(cyber)}%, online ${pct(online)}%`,
);
