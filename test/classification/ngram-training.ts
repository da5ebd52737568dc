/**
 * Training of the n-gram models (src/domain/classification/ngram.ts) on the development sets only: the force records'
 * model on DEV_SETS (dev, dev2, force-records-dev, -dev2, reports-online-dev, -dev2, -dev3, -dev4, -dev5, -dev6,
 * -dev7), the narratives' on NARRATIVE_SETS. Deterministic: the same data gives the same weights (fixed example order,
 * a seeded shuffle, no threads). The held-out sets are never read here. Entry point: train-ngram.ts.
 */
import { normaliseWords } from '../../src/domain/classification/normalise-text.ts';
import { forEachFeature, type NgramModelFile } from '../../src/domain/classification/ngram.ts';
import { CATEGORIES, type Category } from '../../src/domain/classification/taxonomy.ts';
import type { LabelledRecord } from '../../src/domain/classification/evaluation.ts';
import { loadSet } from './fixtures.ts';

export const DEV_SETS = [
  'force-records-dev',
  'reports-online-dev',
  'reports-online-dev2',
  'reports-online-dev3',
  'reports-online-dev4',
  'reports-online-dev5',
  'reports-online-dev6',
  'reports-online-dev7',
  'force-records-dev2',
  'dev',
  'dev2',
] as const;

/**
 * The narrative model's training sets (ngram-narrative-model.json): every development set of narratives (no offence
 * name), the blind ones the force records' model leaves out included.
 */
export const NARRATIVE_SETS = [
  'reports-online-dev',
  'reports-online-dev2',
  'reports-online-dev3',
  'reports-online-dev4',
  'reports-online-dev5',
  'reports-online-dev6',
  'reports-online-dev7',
  'reports-online-dev8',
  'reports-online-dev9',
  'reports-online-dev10',
  'reports-online-dev11',
  'reports-online-dev12',
  'reports-online-dev13',
  'reports-online-dev14',
  'reports-online-dev15',
  'reports-online-dev16',
  'reports-online-dev17',
  'reports-online-dev18',
  'reports-online-dev19',
  'dev',
  'dev2',
] as const;
const CLASSES = Object.keys(CATEGORIES) as Category[];
const K = CLASSES.length + 1;
const ONLINE = CLASSES.length;

export interface Options {
  chars: boolean;
  /** L2 regularisation strength. */
  lambda: number;
  epochs: number;
  /** Weights kept after pruning (largest magnitude first). */
  keep: number;
  /** Features seen in fewer training records are dropped. */
  minDf: number;
}

/** The options chosen by cross-validation (see docs/classification.md, "Method chosen"). */
export const CHOSEN: Options = { chars: true, lambda: 1e-6, epochs: 40, keep: 40_000, minDf: 2 };

/** The narrative model's options, chosen by leave-one-set-out (docs/classification.md, "A narrative model of its own"). */
export const NARRATIVE_CHOSEN: Options = { ...CHOSEN, chars: false, keep: 60_000 };

export interface Example {
  id: string;
  set: string;
  category: number;
  /** 1 online, 0 offline, -1 not labelled (the older narrative sets). */
  online: number;
  /** Feature → count, and the total count (the unit-length scale uses every feature, known or not). */
  counts: Map<string, number>;
  total: number;
  words: string[];
  offenceWords: string[] | null;
  offence: string | undefined;
}

export function example(r: LabelledRecord, set: string, chars: boolean): Example {
  const text = r.summary ?? r.text ?? '';
  const words = normaliseWords(text);
  const offenceWords = r.offence === undefined ? null : normaliseWords(r.offence);
  const counts = new Map<string, number>();
  let total = 0;
  forEachFeature(words, offenceWords, r.offence, chars, (f) => {
    counts.set(f, (counts.get(f) ?? 0) + 1);
    total++;
  });
  return {
    id: r.id,
    set,
    category: CLASSES.indexOf(r.category),
    online: r.online === undefined ? -1 : r.online.length > 0 ? 1 : 0,
    counts,
    total,
    words,
    offenceWords,
    offence: r.offence,
  };
}

export function loadExamples(chars: boolean, sets: readonly string[] = DEV_SETS): Example[] {
  return sets.flatMap((set) => loadSet(set).map((r) => example(r, set, chars)));
}

/** A small seeded generator (mulberry32), so the shuffle is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sparse {
  index: Int32Array;
  value: Float64Array;
}

/** Trains on the examples: SGD on cross-entropy (softmax over categories, sigmoid for online) plus L2. */
export function train(examples: readonly Example[], o: Options): NgramModelFile {
  const df = new Map<string, number>();
  for (const e of examples) for (const f of e.counts.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = [...df.entries()]
    .filter(([, n]) => n >= o.minDf)
    .map(([f]) => f)
    .sort();
  const id = new Map(vocab.map((f, i) => [f, i]));
  const rows: Sparse[] = examples.map((e) => {
    const known = [...e.counts.entries()].filter(([f]) => id.has(f)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const scale = 1 / Math.sqrt(Math.max(1, e.total));
    return {
      index: Int32Array.from(known.map(([f]) => id.get(f) ?? 0)),
      value: Float64Array.from(known.map(([, n]) => n * scale)),
    };
  });
  const V = new Float64Array(vocab.length * K);
  const bias = new Float64Array(K);
  let s = 1;
  const lr0 = 0.5;
  let t = 0;
  const rnd = random(17);
  const order = examples.map((_, i) => i);
  const z = new Float64Array(K);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    for (const n of order) {
      const e = examples[n];
      const row = rows[n];
      if (e === undefined || row === undefined) continue;
      t++;
      const lr = lr0 / (1 + lr0 * o.lambda * t);
      z.fill(0);
      for (let k = 0; k < row.index.length; k++) {
        const base = (row.index[k] ?? 0) * K;
        const x = row.value[k] ?? 0;
        for (let c = 0; c < K; c++) z[c] = (z[c] ?? 0) + x * (V[base + c] ?? 0);
      }
      let max = -Infinity;
      for (let c = 0; c < K; c++) {
        z[c] = (z[c] ?? 0) * s + (bias[c] ?? 0);
        if (c < ONLINE) max = Math.max(max, z[c] ?? 0);
      }
      let sum = 0;
      for (let c = 0; c < ONLINE; c++) {
        z[c] = Math.exp((z[c] ?? 0) - max);
        sum += z[c] ?? 0;
      }
      // z now holds the gradient of the loss with respect to each output.
      for (let c = 0; c < ONLINE; c++) z[c] = (z[c] ?? 0) / sum - (c === e.category ? 1 : 0);
      z[ONLINE] = e.online < 0 ? 0 : 1 / (1 + Math.exp(-(z[ONLINE] ?? 0))) - e.online;
      s *= 1 - lr * o.lambda;
      for (let k = 0; k < row.index.length; k++) {
        const base = (row.index[k] ?? 0) * K;
        const step = (lr * (row.value[k] ?? 0)) / s;
        for (let c = 0; c < K; c++) V[base + c] = (V[base + c] ?? 0) - step * (z[c] ?? 0);
      }
      for (let c = 0; c < K; c++) bias[c] = (bias[c] ?? 0) - lr * (z[c] ?? 0);
      if (s < 1e-6) {
        for (let k = 0; k < V.length; k++) V[k] = (V[k] ?? 0) * s;
        s = 1;
      }
    }
  }
  // Prune: keep the largest weights, rounded to 3 decimals.
  const magnitudes = Float64Array.from(V, (v) => Math.abs(v * s)).sort();
  const threshold = magnitudes.length > o.keep ? (magnitudes[magnitudes.length - o.keep] ?? 0) : 0;
  const weights: Record<string, number[]> = {};
  vocab.forEach((f, j) => {
    const pairs: number[] = [];
    for (let c = 0; c < K; c++) {
      const w = Math.round((V[j * K + c] ?? 0) * s * 1000) / 1000;
      if (Math.abs(w) >= threshold && w !== 0) pairs.push(c, w);
    }
    if (pairs.length > 0) weights[f] = pairs;
  });
  return {
    version: 1,
    chars: o.chars,
    classes: CLASSES,
    bias: Array.from(bias, (b) => Math.round(b * 1000) / 1000),
    weights,
  };
}

/** Cross-validation folds (by a hash of each record's id). */
export const FOLDS = 5;

/** The fold of a record (by a hash of its id), for cross-validation. */
export function fold(id: string, folds: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % folds;
}

/** The model file's text: one feature per line keeps diffs readable. */
export function serialise(model: NgramModelFile): string {
  const lines = Object.keys(model.weights)
    .sort()
    .map((f) => `    ${JSON.stringify(f)}: ${JSON.stringify(model.weights[f])}`);
  return `{\n  "version": ${model.version},\n  "chars": ${model.chars},\n  "classes": ${JSON.stringify(model.classes)},\n  "bias": ${JSON.stringify(model.bias)},\n  "weights": {\n${lines.join(',\n')}\n  }\n}\n`;
}
