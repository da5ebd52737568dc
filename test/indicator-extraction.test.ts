import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractIndicators } from '../src/domain/indicators/extract.ts';
import { scoreExtraction, type LabelledText } from '../src/domain/indicators/scoring.ts';

// Hand-labelled texts (see test/fixtures/indicators/README.md): the dev file was used while building the
// extractor; the test file was held out and is the honest measure.
function labelled(name: 'dev' | 'test'): LabelledText[] {
  return readFileSync(new URL(`./fixtures/indicators/labelled-${name}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledText);
}

describe('extraction precision and recall on the labelled sets', () => {
  for (const [name, floor] of [
    ['dev', 0.97],
    ['test', 0.95],
  ] as const) {
    it(`${name}: overall F1 ≥ ${floor}, and no type below 0.85 precision or recall`, () => {
      const items = labelled(name);
      expect(items.length).toBeGreaterThanOrEqual(80);
      const score = scoreExtraction(items, extractIndicators);
      const table = Object.entries(score.byType)
        .map(
          ([type, s]) =>
            `  ${type.padEnd(16)} precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  (${s.truePositives} right, ${s.falsePositives} wrong, ${s.falseNegatives} missed)`,
        )
        .join('\n');
      console.log(
        `indicator extraction, ${name} set (${items.length} texts):\n${table}\n  overall F1 ${score.overall.f1.toFixed(3)}`,
      );
      expect(Object.keys(score.byType).length).toBe(13);
      expect(score.overall.f1, JSON.stringify(score.mistakes.slice(0, 10))).toBeGreaterThanOrEqual(floor);
      for (const [type, s] of Object.entries(score.byType)) {
        expect(s.precision, type).toBeGreaterThanOrEqual(0.85);
        expect(s.recall, type).toBeGreaterThanOrEqual(0.85);
      }
    });
  }
});
