/**
 * A linear model over word and character n-grams (multinomial logistic regression for the category, a logistic
 * regression for the online element), trained on the development sets by test/classification/train-ngram.ts and
 * shipped as ngram-model.json. Pure: the model is read once when the module loads and never changed; each call
 * keeps its sums in its own arrays. Every prediction names the n-grams that weighed most for it.
 */
import { readFileSync } from 'node:fs';
import { offenceRule } from './online-cues.ts';
import type { Category } from './taxonomy.ts';

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
  weights: ReadonlyMap<string, Float64Array>;
}

export interface NgramPrediction {
  /** The most probable category and its probability. */
  category: Category;
  probability: number;
  /** Probability of each category, in model.classes order. */
  probabilities: Float64Array;
  /** Probability that there is an online element. */
  online: number;
  /** The n-grams that weighed most for the category, strongest first ("words that decided it"). */
  top: string[];
  /** The n-grams that weighed most for the online element's side (for or against). */
  onlineTop: string[];
}

/** How many n-grams an explanation names. */
const EXPLAIN = 3;

/**
 * Calls emit for every feature of a text (normalised words) and offence name, with repeats: word unigrams (w:),
 * word bigrams within a sentence (b:), character 3–5-grams of each word padded with spaces (c:), the offence
 * name's words (o:) and its offence rule (r:). The trainer and the predictor both use this.
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
    for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= padded.length; i++) emit(`c:${padded.slice(i, i + n)}`);
  }
  if (offenceWords !== null) for (const word of offenceWords) if (word !== '.') emit(`o:${word}`);
  const rule = offenceRule(offence);
  if (rule !== null) emit(`r:${rule.id}`);
}

/** A feature as an explanation shows it: the words, or a fragment of a word. */
export function showFeature(feature: string): string {
  const body = feature.slice(2);
  if (feature.startsWith('c:')) return `…${body.trim()}…`;
  if (feature.startsWith('o:')) return `offence “${body}”`;
  if (feature.startsWith('r:')) return `offence rule ${body}`;
  return body;
}

export function loadModel(file: NgramModelFile): NgramModel {
  const weights = new Map<string, Float64Array>();
  for (const [feature, pairs] of Object.entries(file.weights)) weights.set(feature, Float64Array.from(pairs));
  return Object.freeze({
    chars: file.chars,
    classes: Object.freeze([...file.classes]),
    bias: Float64Array.from(file.bias),
    weights,
  });
}

/** The shipped model, read once. */
export const NGRAM_MODEL: NgramModel = loadModel(
  JSON.parse(readFileSync(new URL('./ngram-model.json', import.meta.url), 'utf8')) as NgramModelFile,
);

/** Top-k features by contribution to one output (positive first when sign is 1, negative when -1). */
function strongest(hits: readonly Float64Array[], names: readonly string[], index: number, sign: number, scale: number): string[] {
  const byName = new Map<string, number>();
  hits.forEach((pairs, h) => {
    for (let k = 0; k < pairs.length; k += 2)
      if (pairs[k] === index) {
        const name = names[h] ?? '';
        byName.set(name, (byName.get(name) ?? 0) + (pairs[k + 1] ?? 0) * scale * sign);
      }
  });
  return [...byName.entries()]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, EXPLAIN)
    .map(([name]) => showFeature(name));
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
): NgramPrediction {
  const classes = model.classes.length;
  const sums = new Float64Array(classes + 1);
  const hits: Float64Array[] = [];
  const names: string[] = [];
  let count = 0;
  forEachFeature(words, offenceWords, offence, model.chars, (feature) => {
    count++;
    const pairs = model.weights.get(feature);
    if (pairs === undefined) return;
    hits.push(pairs);
    names.push(feature);
  });
  const scale = count === 0 ? 0 : 1 / Math.sqrt(count);
  for (const pairs of hits)
    for (let k = 0; k < pairs.length; k += 2) sums[pairs[k] ?? 0] += (pairs[k + 1] ?? 0) * scale;
  let best = 0;
  let max = -Infinity;
  for (let c = 0; c < classes; c++) {
    sums[c] = (sums[c] ?? 0) + (model.bias[c] ?? 0);
    if ((sums[c] ?? 0) > max) {
      max = sums[c] ?? 0;
      best = c;
    }
  }
  const probabilities = new Float64Array(classes);
  let total = 0;
  for (let c = 0; c < classes; c++) {
    probabilities[c] = Math.exp((sums[c] ?? 0) - max);
    total += probabilities[c] ?? 0;
  }
  for (let c = 0; c < classes; c++) probabilities[c] = (probabilities[c] ?? 0) / total;
  const onlineLogit = (sums[classes] ?? 0) + (model.bias[classes] ?? 0);
  const online = 1 / (1 + Math.exp(-onlineLogit));
  return {
    category: model.classes[best] ?? 'other',
    probability: probabilities[best] ?? 0,
    probabilities,
    online,
    top: strongest(hits, names, best, 1, scale),
    onlineTop: strongest(hits, names, classes, online >= 0.5 ? 1 : -1, scale),
  };
}
