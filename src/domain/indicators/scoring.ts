/** Precision and recall of an extractor against hand-labelled texts, per indicator type and overall (micro). */
import { indicatorKey, type Indicator } from './indicator.ts';

export interface LabelledText {
  id: string;
  kind?: string;
  text: string;
  indicators: Indicator[];
}

export interface TypeScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ExtractionScore {
  byType: Record<string, TypeScore>;
  overall: TypeScore;
  /** The first few mistakes, for people improving the extractor. */
  mistakes: { id: string; kind: 'missed' | 'wrong'; type: string; value: string }[];
}

function score(tp: number, fp: number, fn: number): TypeScore {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}

export function scoreExtraction(
  items: readonly LabelledText[],
  extract: (text: string) => readonly Indicator[],
  onlyTypes?: ReadonlySet<string>,
): ExtractionScore {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const mistakes: ExtractionScore['mistakes'] = [];
  const count = (type: string) => {
    let entry = counts.get(type);
    if (entry === undefined) counts.set(type, (entry = { tp: 0, fp: 0, fn: 0 }));
    return entry;
  };
  const keep = (i: Indicator) => onlyTypes === undefined || onlyTypes.has(i.type);
  for (const item of items) {
    const expected = new Map(item.indicators.filter(keep).map((i) => [indicatorKey(i), i]));
    const actual = new Map(
      extract(item.text)
        .filter(keep)
        .map((i) => [indicatorKey(i), i]),
    );
    for (const [key, indicator] of actual) {
      if (expected.has(key)) count(indicator.type).tp++;
      else {
        count(indicator.type).fp++;
        mistakes.push({ id: item.id, kind: 'wrong', type: indicator.type, value: indicator.value });
      }
    }
    for (const [key, indicator] of expected) {
      if (actual.has(key)) continue;
      count(indicator.type).fn++;
      mistakes.push({ id: item.id, kind: 'missed', type: indicator.type, value: indicator.value });
    }
  }
  const byType: Record<string, TypeScore> = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [type, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    byType[type] = score(c.tp, c.fp, c.fn);
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  return { byType, overall: score(tp, fp, fn), mistakes };
}
