/**
 * Leave-one-set-out over the blind development sets (first-sight.ts) for a narrative n-gram model of its own
 * (docs/classification.md, "A narrative model of its own"): each blind narrative set is scored with the rules at
 * first sight, a narrative model trained on every narrative development set but that one, and hinges trained on the
 * other sets' rows. The force record set (force-records-dev2) keeps the force records' model and, as shipped, the
 * blend. Prints today's method beside each option grid point; options are chosen on this table only.
 *
 *   npx tsx test/classification/narrative-loso.ts [config …]   # configs: see CONFIGS (default: all)
 *
 * Models are cached in /tmp/narrative-loso (delete it after changing the trainer). Reads development sets and
 * first-sight.jsonl only, never a held-out file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { loadModel, type NgramModel, type NgramModelFile } from '../../src/domain/classification/ngram.ts';
import {
  CHOSEN,
  DEV_SETS,
  loadExamples,
  NARRATIVE_SETS,
  serialise,
  train,
  type Options,
} from './ngram-training.ts';
import { FIRST_SIGHT } from './first-sight.ts';
import { blendFlag, fitHinges, rows, stackedFlag, type Row } from './cyber-training.ts';

const CACHE = '/tmp/narrative-loso';
const FORCE_SET = 'force-records-dev2';

/** A narrative model's training sets and options. */
interface Config {
  sets: readonly string[];
  options: Options;
}

export const CONFIGS: Record<string, Config> = {
  // The force records' model as shipped (today's method).
  today: { sets: DEV_SETS, options: CHOSEN },
  narratives: { sets: NARRATIVE_SETS, options: CHOSEN },
  'narratives-60k': { sets: NARRATIVE_SETS, options: { ...CHOSEN, keep: 60_000 } },
  'narratives-words': { sets: NARRATIVE_SETS, options: { ...CHOSEN, chars: false } },
  'narratives-words-60k': { sets: NARRATIVE_SETS, options: { ...CHOSEN, chars: false, keep: 60_000 } },
  'narratives-words-100k': { sets: NARRATIVE_SETS, options: { ...CHOSEN, chars: false, keep: 100_000 } },
  'narratives-words-20k': { sets: NARRATIVE_SETS, options: { ...CHOSEN, chars: false, keep: 20_000 } },
  'narratives-l1e-5': { sets: NARRATIVE_SETS, options: { ...CHOSEN, lambda: 1e-5 } },
  // Every development set, force records too, with the blind ones.
  'all-sets': {
    sets: [...DEV_SETS, ...NARRATIVE_SETS.filter((s) => !(DEV_SETS as readonly string[]).includes(s))],
    options: CHOSEN,
  },
};

/** A model trained on the config's sets less `without`, cached on disk. */
function model(name: string, config: Config, without: string): NgramModel {
  const file = `${CACHE}/${name}--${without}.json`;
  if (!existsSync(file)) {
    mkdirSync(CACHE, { recursive: true });
    const started = Date.now();
    const examples = loadExamples(
      config.options.chars,
      config.sets.filter((s) => s !== without),
    );
    // Written aside, then renamed: two runs may share the cache.
    writeFileSync(`${file}.${process.pid}`, serialise(train(examples, config.options)));
    renameSync(`${file}.${process.pid}`, file);
    console.error(`${name} without ${without}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return loadModel(JSON.parse(readFileSync(file, 'utf8')) as NgramModelFile);
}

/** Each blind set's model for a config: the force record set always gets today's force model. */
export function models(name: string): Map<string, NgramModel> {
  const config = CONFIGS[name];
  if (config === undefined) throw new Error(`no config ${name}`);
  const out = new Map<string, NgramModel>();
  for (const { set } of FIRST_SIGHT)
    out.set(set, set === FORCE_SET ? model('today', CONFIGS.today as Config, set) : model(name, config, set));
  return out;
}

interface Method {
  lambda: number;
  weight: number;
  /** Train the hinges on narrative rows only (true) or on every blind set's rows (false, today). */
  narrativeRows: boolean;
  /** Narratives where no category cue matched and the rules said other keep the rules' answer (classify.ts). */
  keepUncued: boolean;
}

/** Category / cyber flag / online flag per set and mean cyber flag (as shipped: force records by the blend). */
function table(
  all: readonly Row[],
  m: Method,
): { cells: string[]; mean: number; meanNarr: number; legacy: number } {
  const cells: string[] = [];
  let sum = 0;
  let sumNarr = 0;
  let legacy = 0;
  const sets = FIRST_SIGHT.map((f) => f.set);
  for (const set of sets) {
    const test = all.filter((r) => r.set === set);
    const train = all.filter((r) => r.set !== set && (!m.narrativeRows || r.set !== FORCE_SET));
    const hinges = set === FORCE_SET ? null : fitHinges(train, { lambda: m.lambda });
    let category = 0;
    let cyber = 0;
    let online = 0;
    for (const r of test) {
      const d =
        hinges === null
          ? blendFlag(r.inputs)
          : m.keepUncued && !r.inputs.cued && r.inputs.rulesCategory === 'other'
            ? { category: 'other', online: r.inputs.rulesOnline, flag: 'none' }
            : stackedFlag(r.inputs, r.features, hinges, m.weight);
      if (d.category === r.record.category) category++;
      if (d.flag === r.flag) cyber++;
      if (d.online === r.online) online++;
    }
    const pct = (a: number) => ((100 * a) / test.length).toFixed(1);
    cells.push(`${pct(category)} / ${pct(cyber)} / ${pct(online)}`);
    sum += (100 * cyber) / test.length;
    if (set !== FORCE_SET) sumNarr += (100 * cyber) / test.length;
    // train-cyber.ts --loso scores the force record set with hinges too (not as shipped): kept for comparison.
    const h = fitHinges(train, { lambda: m.lambda });
    legacy +=
      set !== FORCE_SET
        ? (100 * cyber) / test.length
        : (100 * test.filter((r) => stackedFlag(r.inputs, r.features, h, m.weight).flag === r.flag).length) /
          test.length;
  }
  return {
    cells,
    mean: sum / sets.length,
    meanNarr: sumNarr / (sets.length - 1),
    legacy: legacy / sets.length,
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(CONFIGS);
  const sets = FIRST_SIGHT.map((f) => f.set);
  console.log(
    `| model | hinges | ${sets.join(' | ')} | mean cyber flag (${sets.length} sets) | mean (${sets.length - 1} narrative sets) | train-cyber --loso's mean |`,
  );
  for (const name of names) {
    const all = rows(models(name));
    for (const keepUncued of process.env.KEEP_UNCUED === '1' ? [true] : [false])
      for (const narrativeRows of [false, true])
        for (const lambda of [0.01, 0.1, 1])
          for (const weight of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7]) {
            const t = table(all, { lambda, weight, narrativeRows, keepUncued });
            console.log(
              `| ${name} | λ ${lambda}, rules ${weight}${narrativeRows ? ', narrative rows' : ''}${keepUncued ? ', uncued kept' : ''} | ${t.cells.join(' | ')} | ${t.mean.toFixed(2)} | ${t.meanNarr.toFixed(2)} | ${t.legacy.toFixed(2)} |`,
            );
          }
  }
}
