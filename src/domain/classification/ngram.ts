import { createRequire } from 'node:module';
/**
 * A linear model over word and character n-grams (multinomial logistic regression for the category, a logistic
 * regression for the online element), trained on the development sets by test/classification/train-ngram.ts and
 * shipped as two files: ngram-model.json for force records (with an offence name) and ngram-narrative-model.json
 * for narratives, trained on every narrative development set (the blind ones too). Pure: the model is read once when the module loads and never changed; each call
 * keeps its sums in its own arrays. explain() names the n-grams that weighed most for a prediction.
 */
import { memorable } from './normalise-text.ts';
import { offenceRule } from './online-cues.ts';
import type { Category } from './taxonomy.ts';
import MODEL_FILE from './ngram-model.json' with { type: 'json' };

/** The model file: class names, biases (the categories, then the online element) and pruned weights. */
export interface NgramModelFile {
  version: 1;
  /** Whether character n-grams are features. */
  chars: boolean;
  /** The categories in weight order; the online element's weights are at index classes.length. */
  classes: Category[];
  bias: number[];
  /** Feature → flattened [class index, weight, class index, weight, …] (only the weights kept after pruning). */
  weights: Record<string, number[]>;
}

export interface NgramModel {
  chars: boolean;
  classes: readonly Category[];
  bias: Float64Array;
  /** Every kept feature by name (for explain()). */
  weights: ReadonlyMap<string, Float64Array>;
  /** Word bigrams by first word, then second (looked up without building the feature's name). */
  bigrams: ReadonlyMap<string, ReadonlyMap<string, Float64Array>>;
  /** Word unigrams and character n-grams by their text alone (looked up without building the feature's name). */
  unigrams: ReadonlyMap<string, Float64Array>;
  grams: ReadonlyMap<string, Float64Array>;
  /** Every 3-character start of a kept character n-gram: where a word's 3-gram is not one, no n-gram there is. */
  gramStarts: ReadonlySet<string>;
}

export interface NgramPrediction {
  /** The most probable category and its probability. */
  category: Category;
  probability: number;
  /** Probability of each category, in model.classes order. */
  probabilities: Float64Array;
  /** Probability that there is an online element. */
  online: number;
}

/**
 * What a classifier of many texts remembers between them: each word's summed weights (its unigram and character
 * n-grams), so a repeated word is looked up once. Cleared when full.
 */
export type WordCache = Map<string, Float64Array>;
const WORD_CACHE_LIMIT = 10_000;

/** How many n-grams an explanation names. */
const EXPLAIN = 3;

/**
 * Calls emit for every feature of a text (normalised words) and offence name, with repeats: word unigrams (w:),
 * word bigrams within a sentence (b:), character 3–5-grams of each word padded with spaces (c:), the offence
 * name's words (o:) and its offence rule (r:). The trainer uses this; the predictor computes the same sums
 * without building every name.
 */
export function forEachFeature(
  words: readonly string[],
  offenceWords: readonly string[] | null,
  offence: string | undefined,
  chars: boolean,
  emit: (feature: string) => void,
): void {
  let previous: string | null = null;
  for (const word of words) {
    if (word === '.') {
      previous = null;
      continue;
    }
    emit(`w:${word}`);
    if (previous !== null) emit(`b:${previous} ${word}`);
    previous = word;
    if (!chars) continue;
    const padded = ` ${word} `;
    for (let n = 3; n <= 5; n++)
      for (let i = 0; i + n <= padded.length; i++) emit(`c:${padded.slice(i, i + n)}`);
  }
  if (offenceWords !== null) for (const word of offenceWords) if (word !== '.') emit(`o:${word}`);
  const rule = offenceRule(offence);
  if (rule !== null) emit(`r:${rule.id}`);
}

export function loadModel(file: NgramModelFile): NgramModel {
  const weights = new Map<string, Float64Array>();
  const unigrams = new Map<string, Float64Array>();
  const grams = new Map<string, Float64Array>();
  const bigrams = new Map<string, Map<string, Float64Array>>();
  for (const [feature, pairs] of Object.entries(file.weights)) {
    const w = Float64Array.from(pairs);
    weights.set(feature, w);
    if (feature.startsWith('w:')) unigrams.set(feature.slice(2), w);
    if (feature.startsWith('c:')) grams.set(feature.slice(2), w);
    // A normalised word may hold a space ("did not"), so a bigram is filed under every way of splitting it: the
    // trainer's feature name is the same for each.
    if (feature.startsWith('b:')) {
      const body = feature.slice(2);
      for (let at = body.indexOf(' '); at >= 0; at = body.indexOf(' ', at + 1)) {
        const first = body.slice(0, at);
        const inner = bigrams.get(first) ?? new Map<string, Float64Array>();
        inner.set(body.slice(at + 1), w);
        bigrams.set(first, inner);
      }
    }
  }
  const gramStarts = new Set<string>();
  for (const gram of grams.keys()) gramStarts.add(gram.slice(0, 3));
  return Object.freeze({
    chars: file.chars,
    classes: Object.freeze([...file.classes]),
    bias: Float64Array.from(file.bias),
    weights,
    bigrams,
    unigrams,
    grams,
    gramStarts,
  });
}

/** The shipped model for force records, read once. */
export const NGRAM_MODEL: NgramModel = loadModel(MODEL_FILE as NgramModelFile);

let narrative: NgramModel | undefined;
/**
 * The shipped model for narratives (no offence name), loaded on first use like the JSON imports above, only later:
 * an import of force records never needs it, and each import worker would otherwise hold it (about 8 MB).
 */
export function narrativeModel(): NgramModel {
  narrative ??= loadModel(createRequire(import.meta.url)('./ngram-narrative-model.json') as NgramModelFile);
  return narrative;
}

function add(sums: Float64Array, pairs: Float64Array | undefined, scale = 1): void {
  if (pairs === undefined) return;
  for (let k = 0; k < pairs.length; k += 2) {
    const c = pairs[k] ?? 0;
    sums[c] = (sums[c] ?? 0) + (pairs[k + 1] ?? 0) * scale;
  }
}

/** A word's unigram and character n-gram weights, summed (unscaled); the last slot counts its features. */
function wordSums(model: NgramModel, word: string): Float64Array {
  const sums = new Float64Array(model.classes.length + 2);
  addWord(sums, model, word);
  return sums;
}

/** Adds a word's unigram and character n-gram weights to sums, and its number of features to the last slot. */
function addWord(sums: Float64Array, model: NgramModel, word: string): void {
  const last = model.classes.length + 1;
  add(sums, model.unigrams.get(word));
  let count = 1;
  if (model.chars) {
    const padded = ` ${word} `;
    // Every n-gram counts as a feature; only those whose first three characters start a kept n-gram are looked up
    // (a bit per position; a word longer than 30 characters looks every one up). The order of the sums is the
    // trainer's: all 3-grams, then 4-grams, then 5-grams.
    let starts = 0;
    const gated = padded.length <= 32;
    if (gated)
      for (let i = 0; i + 3 <= padded.length; i++)
        if (model.gramStarts.has(padded.slice(i, i + 3))) starts |= 1 << i;
    for (let n = 3; n <= 5; n++)
      for (let i = 0; i + n <= padded.length; i++) {
        count++;
        if (!gated || (starts & (1 << i)) !== 0) add(sums, model.grams.get(padded.slice(i, i + n)));
      }
  }
  sums[last] = (sums[last] ?? 0) + count;
}

/** An offence name's word and rule weights, summed (unscaled); the last slot counts its features. */
function offenceSums(
  model: NgramModel,
  offenceWords: readonly string[],
  offence: string | undefined,
): Float64Array {
  const classes = model.classes.length;
  const sums = new Float64Array(classes + 2);
  for (const word of offenceWords)
    if (word !== '.') {
      add(sums, model.weights.get(`o:${word}`));
      sums[classes + 1] = (sums[classes + 1] ?? 0) + 1;
    }
  const rule = offenceRule(offence);
  if (rule !== null) {
    add(sums, model.weights.get(`r:${rule.id}`));
    sums[classes + 1] = (sums[classes + 1] ?? 0) + 1;
  }
  return sums;
}

function remember(cache: WordCache | undefined, key: string, value: Float64Array): void {
  // Offence names (keys starting with a space) repeat whatever their digits ("CMA S1").
  if (cache === undefined || (!key.startsWith(' ') && !memorable(key))) return;
  if (cache.size >= WORD_CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

/**
 * Scores a text: words are normaliseWords() output; offenceWords the offence name's normalised words (or null).
 * Features are counted with repeats and the vector scaled to unit length, as in training.
 */
export function predictNgram(
  words: readonly string[],
  offenceWords: readonly string[] | null,
  offence: string | undefined,
  model: NgramModel = NGRAM_MODEL,
  cache?: WordCache,
  /**
   * Arrays to reuse for the sums and the probabilities (a caller classifying many texts one at a time, done with
   * the last prediction's probabilities before asking for the next).
   */
  scratch?: { sums: Float64Array; probabilities: Float64Array },
): NgramPrediction {
  const classes = model.classes.length;
  // Categories, the online element, then the number of features.
  const sums =
    scratch !== undefined && scratch.sums.length === classes + 2
      ? scratch.sums.fill(0)
      : new Float64Array(classes + 2);
  let previous: string | null = null;
  for (const word of words) {
    if (word === '.') {
      previous = null;
      continue;
    }
    const own = cache?.get(word);
    if (own !== undefined) for (let c = 0; c < own.length; c++) sums[c] = (sums[c] ?? 0) + (own[c] ?? 0);
    else if (cache !== undefined && memorable(word)) {
      const fresh = wordSums(model, word);
      remember(cache, word, fresh);
      for (let c = 0; c < fresh.length; c++) sums[c] = (sums[c] ?? 0) + (fresh[c] ?? 0);
    } else addWord(sums, model, word);
    if (previous !== null) {
      sums[classes + 1] = (sums[classes + 1] ?? 0) + 1;
      add(sums, model.bigrams.get(previous)?.get(word));
    }
    previous = word;
  }
  // Offence names repeat: their sums are remembered under a key no word can have (words do not start with a space).
  if (offenceWords !== null || offence !== undefined) {
    const key = ` offence ${offence ?? ''}`;
    let own = cache?.get(key);
    if (own === undefined) {
      own = offenceSums(model, offenceWords ?? [], offence);
      remember(cache, key, own);
    }
    for (let c = 0; c < own.length; c++) sums[c] = (sums[c] ?? 0) + (own[c] ?? 0);
  }
  const count = sums[classes + 1] ?? 0;
  const scale = count === 0 ? 0 : 1 / Math.sqrt(count);
  let best = 0;
  let max = -Infinity;
  for (let c = 0; c <= classes; c++) sums[c] = (sums[c] ?? 0) * scale + (model.bias[c] ?? 0);
  for (let c = 0; c < classes; c++)
    if ((sums[c] ?? 0) > max) {
      max = sums[c] ?? 0;
      best = c;
    }
  const probabilities =
    scratch !== undefined && scratch.probabilities.length === classes
      ? scratch.probabilities
      : new Float64Array(classes);
  let total = 0;
  for (let c = 0; c < classes; c++) {
    probabilities[c] = Math.exp((sums[c] ?? 0) - max);
    total += probabilities[c] ?? 0;
  }
  for (let c = 0; c < classes; c++) probabilities[c] = (probabilities[c] ?? 0) / total;
  return {
    category: model.classes[best] ?? 'other',
    probability: probabilities[best] ?? 0,
    probabilities,
    online: 1 / (1 + Math.exp(-(sums[classes] ?? 0))),
  };
}

/**
 * The words that weighed most for a category ("words that decided it"), strongest first: each word's own weight
 * and its character n-grams' add up to the word, a bigram's to the two words, the offence name's to the offence.
 * The explanation of a prediction, worked out only when it is shown.
 */
export function explain(
  words: readonly string[],
  offenceWords: readonly string[] | null,
  offence: string | undefined,
  category: Category,
  model: NgramModel = NGRAM_MODEL,
  count = EXPLAIN,
  /**
   * The category the model overruled: where no word weighed for `category` (the model read its base rates, as on a
   * text of two words), the words that weighed most for it over this one are named instead.
   */
  against?: Category,
): string[] {
  const named = ranked(words, offenceWords, offence, model, category, undefined, count);
  return named.length > 0 || against === undefined || against === category
    ? named
    : ranked(words, offenceWords, offence, model, category, against, count);
}

function ranked(
  words: readonly string[],
  offenceWords: readonly string[] | null,
  offence: string | undefined,
  model: NgramModel,
  category: Category,
  against: Category | undefined,
  count: number,
): string[] {
  const index = model.classes.indexOf(category);
  const other = against === undefined ? -1 : model.classes.indexOf(against);
  const weight = (name: string): number => {
    const pairs = model.weights.get(name);
    let w = 0;
    if (pairs !== undefined)
      for (let k = 0; k < pairs.length; k += 2) {
        if (pairs[k] === index) w += pairs[k + 1] ?? 0;
        else if (pairs[k] === other) w -= pairs[k + 1] ?? 0;
      }
    return w;
  };
  const byWords = new Map<string, number>();
  const credit = (shown: string, w: number) => byWords.set(shown, (byWords.get(shown) ?? 0) + w);
  let previous: string | null = null;
  for (const word of words) {
    if (word === '.') {
      previous = null;
      continue;
    }
    let own = weight(`w:${word}`);
    if (model.chars) {
      const padded = ` ${word} `;
      for (let n = 3; n <= 5; n++)
        for (let i = 0; i + n <= padded.length; i++) own += weight(`c:${padded.slice(i, i + n)}`);
    }
    credit(word, own);
    if (previous !== null) credit(`${previous} ${word}`, weight(`b:${previous} ${word}`));
    previous = word;
  }
  if (offence !== undefined) {
    let own = 0;
    for (const word of offenceWords ?? []) if (word !== '.') own += weight(`o:${word}`);
    const rule = offenceRule(offence);
    if (rule !== null) own += weight(`r:${rule.id}`);
    credit(`offence “${offence.trim()}”`, own);
  }
  return [...byWords.entries()]
    .filter(([, v]) => v > 0)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, count)
    .map(([shown]) => shown);
}
