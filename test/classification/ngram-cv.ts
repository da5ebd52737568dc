/**
 * Cross-validation of the n-gram model inside the development sets (npm run classification:train -- --cv): five
 * folds by a hash of each record's id; each fold is predicted by a model trained on the other four. Prints model-
 * alone figures per option set and writes the out-of-fold predictions of the chosen options (for tuning the
 * combinations with the rules on development records only). The held-out sets are never read.
 */
import { writeFileSync } from 'node:fs';
import { loadModel, predictNgram } from '../../src/domain/classification/ngram.ts';
import { CATEGORIES, type Category, type CyberFlag } from '../../src/domain/classification/taxonomy.ts';
import { CHOSEN, fold, FOLDS, loadExamples, train, type Example, type Options } from './ngram-training.ts';

export const OOF_FILE = '/tmp/ngram-oof.json';

export interface OutOfFold {
  category: Category;
  probabilities: number[];
  online: number;
}

function modelCyber(category: Category, online: boolean): CyberFlag {
  return !online || category === 'other' || category === 'phishing-attempt'
    ? 'none'
    : CATEGORIES[category].cyber;
}

function outOfFold(examples: readonly Example[], o: Options): Map<string, OutOfFold> {
  const out = new Map<string, OutOfFold>();
  for (let f = 0; f < FOLDS; f++) {
    const model = loadModel(
      train(
        examples.filter((e) => fold(e.id, FOLDS) !== f),
        o,
      ),
    );
    for (const e of examples)
      if (fold(e.id, FOLDS) === f) {
        const p = predictNgram(e.words, e.offenceWords, e.offence, model);
        out.set(e.id, { category: p.category, probabilities: [...p.probabilities], online: p.online });
      }
  }
  return out;
}

export function crossValidate(): void {
  const grid: Options[] = [];
  // The grid last searched (earlier runs: lambda 1e-3 and 1e-4 were worse, and so were 20 epochs).
  for (const chars of [false, true])
    for (const keep of [40_000, 60_000]) grid.push({ ...CHOSEN, chars, keep });
  const cache = new Map<boolean, Example[]>();
  for (const o of grid) {
    const examples = cache.get(o.chars) ?? loadExamples(o.chars);
    cache.set(o.chars, examples);
    const started = Date.now();
    const oof = outOfFold(examples, o);
    const tally: Record<string, [number, number]> = {
      labelled: [0, 0],
      old: [0, 0],
      online: [0, 0],
      cyber: [0, 0],
    };
    const count = (key: string, right: boolean) => {
      const t = (tally[key] ??= [0, 0]);
      t[0]++;
      if (right) t[1]++;
    };
    for (const e of examples) {
      const p = oof.get(e.id);
      if (p === undefined) continue;
      const cat = (Object.keys(CATEGORIES) as Category[])[e.category] ?? 'other';
      count(e.online < 0 ? 'old' : 'labelled', p.category === cat);
      if (e.online >= 0) count('online', (p.online >= 0.5 ? 1 : 0) === e.online);
      // The older sets carry no online label: their flag is the taxonomy's for the labelled category.
      const label = e.online < 0 ? CATEGORIES[cat].cyber : modelCyber(cat, e.online === 1);
      count('cyber', modelCyber(p.category, p.online >= 0.5) === label);
    }
    const pct = ([n, right]: [number, number] = [0, 0]) => `${((100 * right) / Math.max(1, n)).toFixed(1)}%`;
    console.log(
      `chars=${o.chars} lambda=${o.lambda} epochs=${o.epochs} keep=${o.keep}: category (online-labelled) ${pct(tally.labelled)}, ` +
        `category (older narratives) ${pct(tally.old)}, online ${pct(tally.online)}, cyber ${pct(tally.cyber)} ` +
        `[${((Date.now() - started) / 1000).toFixed(0)} s]`,
    );
    if (JSON.stringify(o) === JSON.stringify(CHOSEN))
      writeFileSync(OOF_FILE, JSON.stringify(Object.fromEntries(oof)));
  }
}
