/**
 * Lists a development set's misclassified records with the classifier's reasons, to tune against:
 *
 *   npx tsx test/classification/dev-misses.ts reports-online-dev [--rules]   # --rules: without the n-gram model
 *
 * Refuses the held-out sets: their records are never looked at one by one.
 */
import { createClassifier } from '../../src/domain/classification/classify.ts';
import { classifyRecord, labelCyber } from '../../src/domain/classification/evaluation.ts';
import { loadSet, SETS } from './fixtures.ts';

const name = process.argv[2] ?? '';
const set = SETS.find((s) => s.name === name);
if (set === undefined || set.heldOut) {
  console.error(`usage: dev-misses.ts <development set>; one of ${SETS.filter((s) => !s.heldOut).map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const classifier = createClassifier(process.argv.includes('--rules') ? { model: null } : {});
const records = loadSet(name);
let category = 0;
let cyber = 0;
for (const r of records) {
  const c = classifyRecord(r, classifier);
  const onlineWrong = r.online !== undefined && r.online.length > 0 !== (c.online.medium !== null);
  if (c.category === r.category) category++;
  if (c.cyber === labelCyber(r)) cyber++;
  if (c.category === r.category && !onlineWrong) continue;
  console.log(
    `${r.id}  expected ${r.category} [${(r.online ?? []).join(',')}]  got ${c.category} [${c.online.media.join(',')}] (${c.confidence})`,
  );
  console.log(`  ${r.offence !== undefined ? `${r.offence}: ` : ''}${r.summary ?? r.text ?? ''}`);
  console.log(`  online: ${c.online.evidence.map((e) => `${e.id}“${e.words}”`).join(' ')}`);
  console.log(`  ${c.reasons.join(' | ')}`);
}
const pct = (n: number) => ((100 * n) / records.length).toFixed(1);
console.log(`${name}: ${records.length} records, category ${pct(category)}%, cyber ${pct(cyber)}%`);
