/**
 * npm run classification:train: trains the n-gram models on every development record and writes
 * src/domain/classification/ngram-model.json (force records) and ngram-narrative-model.json (narratives), byte for
 * byte the same on every run.
 *
 *   npm run classification:train                # trains both, writes them
 *   npm run classification:train -- --narrative # the narrative model only
 *   npm run classification:train -- --cv        # 5-fold cross-validation inside the development sets
 *
 * The held-out sets are never read here.
 */
import { writeFileSync } from 'node:fs';
import { crossValidate } from './ngram-cv.ts';
import {
  CHOSEN,
  loadExamples,
  NARRATIVE_CHOSEN,
  NARRATIVE_SETS,
  serialise,
  train,
  type Options,
} from './ngram-training.ts';

const DIR = new URL('../../src/domain/classification/', import.meta.url);

function write(file: string, sets: readonly string[] | undefined, options: Options): void {
  const model = train(loadExamples(options.chars, sets), options);
  const text = serialise(model);
  writeFileSync(new URL(file, DIR), text);
  console.log(
    `${file}: ${Object.keys(model.weights).length} features, ${(text.length / 1024).toFixed(0)} KiB`,
  );
}

if (process.argv.includes('--cv')) crossValidate();
else {
  if (!process.argv.includes('--narrative')) write('ngram-model.json', undefined, CHOSEN);
  write('ngram-narrative-model.json', NARRATIVE_SETS, NARRATIVE_CHOSEN);
}
