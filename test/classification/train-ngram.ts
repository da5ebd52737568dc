/**
 * npm run classification:train: trains the n-gram model on every development record and writes
 * src/domain/classification/ngram-model.json (byte for byte the same on every run).
 *
 *   npm run classification:train            # trains, writes the model
 *   npm run classification:train -- --cv    # 5-fold cross-validation inside the development sets
 *
 * The held-out sets are never read here.
 */
import { writeFileSync } from 'node:fs';
import { crossValidate } from './ngram-cv.ts';
import { CHOSEN, loadExamples, serialise, train } from './ngram-training.ts';

const MODEL_FILE = new URL('../../src/domain/classification/ngram-model.json', import.meta.url);

if (process.argv.includes('--cv')) crossValidate();
else {
  const model = train(loadExamples(CHOSEN.chars), CHOSEN);
  const text = serialise(model);
  writeFileSync(MODEL_FILE, text);
  console.log(
    `ngram-model.json: ${Object.keys(model.weights).length} features, ${(text.length / 1024).toFixed(0)} KiB`,
  );
}
