/**
 * npm run classification:train-cyber: trains the cyber flag's hinges (src/domain/classification/cyber-model.ts) and
 * writes src/domain/classification/cyber-model.json (byte for byte the same on every run).
 *
 *   npm run classification:train-cyber            # trains on every blind development set, writes the model
 *   npm run classification:train-cyber -- --loso  # leave-one-set-out: each blind set scored by hinges and an
 *                                                 # n-gram model trained without it, against the blend (force
 *                                                 # records by the blend, as shipped)
 *
 * Reads test/fixtures/classification/first-sight.jsonl (first-sight.ts) and the development sets only.
 */
import { writeFileSync } from 'node:fs';
import { createClassifier } from '../../src/domain/classification/classify.ts';
import { loadCyberModel } from '../../src/domain/classification/cyber-model.ts';
import { classifyRecord, labelCyber } from '../../src/domain/classification/evaluation.ts';
import type { NgramModel } from '../../src/domain/classification/ngram.ts';
import { loadSet } from './fixtures.ts';
import { FIRST_SIGHT } from './first-sight.ts';
import {
  blendFlag,
  CHOSEN_HINGES,
  cyberModelFile,
  fitHinges,
  leaveOneOutModels,
  rows,
  rulesWeightOf,
  stackedFlag,
  type Row,
} from './cyber-training.ts';

const MODEL_FILE = new URL('../../src/domain/classification/cyber-model.json', import.meta.url);

export function cyberModelText(all: readonly Row[]): string {
  return `${JSON.stringify(cyberModelFile(fitHinges(all, CHOSEN_HINGES)), null, 2)}\n`;
}

function leaveOneSetOut(all: readonly Row[]): void {
  const sets = FIRST_SIGHT.map((f) => f.set);
  const pct = (a: number, n: number) => ((100 * a) / n).toFixed(1);
  const methods: [
    string,
    (r: Row, train: readonly Row[]) => { category: string; online: boolean; flag: string },
  ][] = [['blend (rules decide online)', (r) => blendFlag(r.inputs, rulesWeightOf(r.inputs))]];
  for (const lambda of [0.01, 0.1, 1, 10]) {
    const fitted = new Map<string, ReturnType<typeof fitHinges>>();
    methods.push([
      `hinges (λ ${lambda})`,
      (r, train) => {
        // Force records get the blend, as shipped (the hinges apply to narratives only).
        if (r.inputs.record) return blendFlag(r.inputs, rulesWeightOf(r.inputs));
        let h = fitted.get(r.set);
        if (h === undefined) fitted.set(r.set, (h = fitHinges(train, { ...CHOSEN_HINGES, lambda })));
        return stackedFlag(r.inputs, r.features, h, rulesWeightOf(r.inputs));
      },
    ]);
  }
  console.log(`category / cyber flag / online flag (%), each set scored by parts trained without it`);
  console.log(`${'method'.padEnd(40)} ${sets.map((s) => s.padEnd(20)).join('')}mean cyber flag`);
  for (const [name, decide] of methods) {
    const cells: string[] = [];
    let sum = 0;
    for (const set of sets) {
      const test = all.filter((r) => r.set === set);
      const train = all.filter((r) => r.set !== set);
      let category = 0;
      let cyber = 0;
      let online = 0;
      for (const r of test) {
        const d = decide(r, train);
        if (d.category === r.record.category) category++;
        if (d.flag === r.flag) cyber++;
        if (d.online === r.online) online++;
      }
      cells.push(
        `${pct(category, test.length)}/${pct(cyber, test.length)}/${pct(online, test.length)}`.padEnd(20),
      );
      sum += (100 * cyber) / test.length;
    }
    console.log(`${name.padEnd(40)} ${cells.join('')}${(sum / sets.length).toFixed(2)}`);
  }
}

/**
 * The same yardstick with today's rules (which have been tuned on every development set, so their part is in sample):
 * each blind set classified by the shipped classifier with an n-gram model trained without it, with and without
 * hinges trained without it.
 */
function leaveOneSetOutToday(all: readonly Row[], models: ReadonlyMap<string, NgramModel>): void {
  const sets = FIRST_SIGHT.map((f) => f.set);
  console.log(`\ntoday's rules (in sample), n-gram model and hinges trained without the set:`);
  for (const withHinges of [false, true]) {
    const cells: string[] = [];
    let sum = 0;
    for (const set of sets) {
      const model = models.get(set) ?? null;
      const cyber = withHinges
        ? loadCyberModel(
            cyberModelFile(
              fitHinges(
                all.filter((r) => r.set !== set),
                CHOSEN_HINGES,
              ),
            ),
          )
        : null;
      const classifier = createClassifier({ model, cyber });
      const records = loadSet(set);
      let category = 0;
      let flag = 0;
      let online = 0;
      for (const r of records) {
        const c = classifyRecord(r, classifier);
        if (c.category === r.category) category++;
        if (c.cyber === labelCyber(r)) flag++;
        if ((c.online.medium !== null) === (r.online ?? []).length > 0) online++;
      }
      const pct = (a: number) => ((100 * a) / records.length).toFixed(1);
      cells.push(`${pct(category)}/${pct(flag)}/${pct(online)}`.padEnd(20));
      sum += (100 * flag) / records.length;
    }
    console.log(
      `${(withHinges ? 'with hinges' : 'blend (without hinges)').padEnd(40)} ${cells.join('')}${(sum / sets.length).toFixed(2)}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const models = leaveOneOutModels();
  const all = rows(models);
  if (process.argv.includes('--loso')) {
    leaveOneSetOut(all);
    leaveOneSetOutToday(all, models);
  } else {
    writeFileSync(MODEL_FILE, cyberModelText(all));
    console.log('cyber-model.json written');
  }
}
