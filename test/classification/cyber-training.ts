/**
 * Training and leave-one-set-out validation of the cyber flag's hinges (src/domain/classification/cyber-model.ts).
 *
 * Each blind development set (first-sight.ts) gives one row per record: the rules' answer at first sight (the rules
 * as they stood before that set was tuned on, rules alone) and the probabilities of an n-gram model trained on every
 * development set but that one. So every row is what the classifier would have seen on a report it had never met.
 * Deterministic: Newton's method on an L2-penalised log loss, fixed order, no randomness.
 */
import { readFileSync } from 'node:fs';
import {
  consistentCategory,
  cyberFeatures,
  FEATURES,
  hinge,
  type CyberInputs,
  type CyberModelFile,
} from '../../src/domain/classification/cyber-model.ts';
import { loadModel, predictNgram, type NgramModel } from '../../src/domain/classification/ngram.ts';
import { normaliseWords } from '../../src/domain/classification/normalise-text.ts';
import { OFFLINE_CATEGORIES } from '../../src/domain/classification/category-groups.ts';
import { CATEGORIES, type Category, type CyberFlag } from '../../src/domain/classification/taxonomy.ts';
import { labelCyber, type LabelledRecord } from '../../src/domain/classification/evaluation.ts';
import { NARRATIVE_RULES_WEIGHT, RULES_WEIGHT } from '../../src/domain/classification/classify.ts';
import { loadSet } from './fixtures.ts';
import { CHOSEN, loadExamples, NARRATIVE_CHOSEN, NARRATIVE_SETS, train } from './ngram-training.ts';
import { FIRST_SIGHT, FIRST_SIGHT_FILE } from './first-sight.ts';

export interface FirstSight {
  id: string;
  set: string;
  category: Category;
  cyber: CyberFlag;
  medium: string | null;
  evidence: { id: string; medium: string | null; weight: number }[];
  cues: string[];
  raw: number;
}

export interface Row {
  set: string;
  record: LabelledRecord;
  inputs: CyberInputs;
  features: Float64Array;
  /** The label: an online element, and (with one) a crime with a victim (flag enabled or dependent). */
  online: boolean;
  crime: boolean;
  flag: CyberFlag;
}

export function loadFirstSight(): FirstSight[] {
  return readFileSync(FIRST_SIGHT_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as FirstSight);
}

/**
 * One n-gram model per blind development set, trained without it: the narrative model (every narrative development
 * set but that one) for a narrative set, the force records' model (every development set but that one) for a force
 * record set, as classify() chooses them.
 */
export function leaveOneOutModels(): Map<string, NgramModel> {
  const narrative = (set: string) => (NARRATIVE_SETS as readonly string[]).includes(set);
  const narratives = loadExamples(NARRATIVE_CHOSEN.chars, NARRATIVE_SETS);
  const records = FIRST_SIGHT.some(({ set }) => !narrative(set)) ? loadExamples(CHOSEN.chars) : [];
  const models = new Map<string, NgramModel>();
  for (const { set } of FIRST_SIGHT) {
    const [examples, options] = narrative(set) ? [narratives, NARRATIVE_CHOSEN] : [records, CHOSEN];
    models.set(
      set,
      loadModel(
        train(
          examples.filter((e) => e.set !== set),
          options,
        ),
      ),
    );
  }
  return models;
}

export function rows(models: ReadonlyMap<string, NgramModel>): Row[] {
  const bySet = new Map<string, Map<string, LabelledRecord>>();
  return loadFirstSight().map((f) => {
    let records = bySet.get(f.set);
    if (records === undefined) bySet.set(f.set, (records = new Map(loadSet(f.set).map((r) => [r.id, r]))));
    const r = records.get(f.id);
    const model = models.get(f.set);
    if (r === undefined || model === undefined) throw new Error(`no record or model for ${f.set} ${f.id}`);
    const words = normaliseWords(r.summary ?? r.text ?? '');
    const offenceWords = r.offence === undefined ? null : normaliseWords(r.offence);
    const p = predictNgram(words, offenceWords, r.offence, model);
    const inputs: CyberInputs = {
      rulesCategory: f.category,
      rulesOnline: f.medium !== null,
      evidence: f.evidence,
      raw: f.raw,
      cued: f.cues.length > 0,
      record: r.offence !== undefined,
      nothingLost: f.cues.includes('phishing-attempt.nothing-lost'),
      classes: model.classes,
      probabilities: Float64Array.from(p.probabilities),
      ngramOnline: p.online,
      text: ` ${words.join(' ')} `,
    };
    const flag = labelCyber(r);
    const online = (r.online ?? []).length > 0;
    return {
      set: f.set,
      record: r,
      inputs,
      features: cyberFeatures(inputs),
      online,
      crime: flag !== 'none',
      flag,
    };
  });
}

/** L2-penalised logistic regression by Newton's method (the bias is not penalised). */
export function fitLogistic(X: readonly Float64Array[], y: readonly boolean[], lambda: number): Float64Array {
  const d = X[0]?.length ?? FEATURES.length;
  const w = new Float64Array(d);
  for (let iter = 0; iter < 50; iter++) {
    const g = new Float64Array(d);
    const H = Array.from({ length: d }, () => new Float64Array(d));
    X.forEach((x, n) => {
      const p = hinge(w, x);
      const r = p - (y[n] ? 1 : 0);
      const s = Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i < d; i++) {
        const xi = x[i] ?? 0;
        if (xi === 0) continue;
        g[i] = (g[i] ?? 0) + r * xi;
        const Hi = H[i] as Float64Array;
        for (let j = 0; j < d; j++) Hi[j] = (Hi[j] ?? 0) + s * xi * (x[j] ?? 0);
      }
    });
    for (let i = 1; i < d; i++) {
      g[i] = (g[i] ?? 0) + lambda * (w[i] ?? 0);
      (H[i] as Float64Array)[i] = ((H[i] as Float64Array)[i] ?? 0) + lambda;
    }
    (H[0] as Float64Array)[0] = ((H[0] as Float64Array)[0] ?? 0) + 1e-6;
    const step = solve(H, g);
    let size = 0;
    for (let i = 0; i < d; i++) {
      w[i] = (w[i] ?? 0) - (step[i] ?? 0);
      size = Math.max(size, Math.abs(step[i] ?? 0));
    }
    if (size < 1e-10) break;
  }
  return w;
}

/** Gaussian elimination with partial pivoting (H is symmetric positive definite here). */
function solve(H: Float64Array[], g: Float64Array): Float64Array {
  const d = g.length;
  const A = H.map((row, i) => [...row, g[i] ?? 0]);
  for (let c = 0; c < d; c++) {
    let pivot = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(A[r]?.[c] ?? 0) > Math.abs(A[pivot]?.[c] ?? 0)) pivot = r;
    [A[c], A[pivot]] = [A[pivot] ?? [], A[c] ?? []];
    const pr = A[c] ?? [];
    for (let r = c + 1; r < d; r++) {
      const row = A[r] ?? [];
      const f = (row[c] ?? 0) / (pr[c] ?? 1);
      for (let k = c; k <= d; k++) row[k] = (row[k] ?? 0) - f * (pr[k] ?? 0);
    }
  }
  const x = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    const row = A[r] ?? [];
    let s = row[d] ?? 0;
    for (let k = r + 1; k < d; k++) s -= (row[k] ?? 0) * (x[k] ?? 0);
    x[r] = s / (row[r] ?? 1);
  }
  return x;
}

export interface HingeOptions {
  lambda: number;
  /** Fit on narrative rows only (the hinges apply to narratives only), not on the force records' too. */
  narrativeOnly?: boolean;
  /** Each hinge says yes at or above its threshold (0.5 unless given). */
  thresholds?: { online: number; crime: number };
}

/**
 * Chosen by leave-one-set-out with the narrative model (docs/classification.md, "A narrative model of its own" and
 * "The cyber flag at the hinges").
 */
export const CHOSEN_HINGES: HingeOptions = {
  lambda: 0.01,
  narrativeOnly: true,
  thresholds: { online: 0.5, crime: 0.6 },
};

export interface Hinges {
  online: Float64Array;
  crime: Float64Array;
  thresholds: { online: number; crime: number };
}

/** The blend's rules weight classify() gives a row: the narratives' own, or the force records'. */
export function rulesWeightOf(x: CyberInputs): number {
  return x.record ? RULES_WEIGHT : NARRATIVE_RULES_WEIGHT;
}

/** Both hinges fitted on the rows (the crime hinge only on rows with an online element). */
export function fitHinges(train: readonly Row[], o: HingeOptions): Hinges {
  if (o.narrativeOnly === true) train = train.filter((r) => !r.inputs.record);
  const withOnline = train.filter((r) => r.online);
  return {
    online: fitLogistic(
      train.map((r) => r.features),
      train.map((r) => r.online),
      o.lambda,
    ),
    crime: fitLogistic(
      withOnline.map((r) => r.features),
      withOnline.map((r) => r.crime),
      o.lambda,
    ),
    thresholds: o.thresholds ?? { online: 0.5, crime: 0.5 },
  };
}

/** The flag the current method (the blend of rules and model, rules' online element) gives a row. */
export function blendFlag(
  x: CyberInputs,
  rulesWeight = 0.6,
): { category: Category; online: boolean; flag: CyberFlag } {
  const rulesSure = Math.round(x.raw * 1000) / 1000 > (1 - rulesWeight) / rulesWeight;
  let category = x.rulesCategory;
  if (!rulesSure) {
    let top = -1;
    for (let i = 0; i < x.classes.length; i++) {
      const c = x.classes[i] as Category;
      if (!x.rulesOnline && c !== 'other' && !OFFLINE_CATEGORIES.has(c)) continue;
      const s =
        (1 - rulesWeight) * (x.probabilities[i] ?? 0) + (c === x.rulesCategory ? rulesWeight * x.raw : 0);
      if (s > top) {
        top = s;
        category = c;
      }
    }
  }
  const flag = !x.rulesOnline || category === 'other' ? 'none' : CATEGORIES[category].cyber;
  return { category, online: x.rulesOnline, flag };
}

/**
 * The stacked decision for a row, as classify() takes it: the hinges decide the flag, the category follows it. With
 * no medium named, an online element is kept only for a cyber-dependent crime (its medium is computer misuse).
 */
export function stackedFlag(
  x: CyberInputs,
  features: Float64Array,
  hinges: Hinges,
  rulesWeight = 0.6,
): { category: Category; online: boolean; flag: CyberFlag } {
  const mediumNamed = x.rulesOnline || x.evidence.some((e) => e.medium !== null && e.weight > 0);
  let online = hinge(hinges.online, features) >= hinges.thresholds.online;
  let crime = online && hinge(hinges.crime, features) >= hinges.thresholds.crime;
  if (online && !mediumNamed) {
    const best = consistentCategory(
      x.classes,
      x.probabilities,
      x.rulesCategory,
      x.raw,
      true,
      true,
      OFFLINE_CATEGORIES,
      rulesWeight,
    ).category;
    if (!crime || CATEGORIES[best].cyber !== 'dependent') online = crime = false;
  }
  const { category } = consistentCategory(
    x.classes,
    x.probabilities,
    x.rulesCategory,
    x.raw,
    online,
    crime,
    OFFLINE_CATEGORIES,
    rulesWeight,
  );
  const flag = !online || category === 'other' ? 'none' : CATEGORIES[category].cyber;
  return { category, online, flag };
}

/** The model file: weights rounded to 4 decimals, and the thresholds. */
export function cyberModelFile(hinges: Hinges): CyberModelFile {
  const round = (w: Float64Array) => Array.from(w, (v) => Math.round(v * 10000) / 10000);
  return {
    version: 2,
    features: [...FEATURES],
    online: round(hinges.online),
    crime: round(hinges.crime),
    thresholds: hinges.thresholds,
  };
}
