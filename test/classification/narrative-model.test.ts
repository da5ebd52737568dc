import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withoutDatabase } from '../support/test-services.ts';
import { SETS } from './fixtures.ts';
import { loadExamples, NARRATIVE_CHOSEN, NARRATIVE_SETS, serialise, train } from './ngram-training.ts';

// Beside accuracy.test.ts's checks of the other two model files; here because it reads no held-out set. No database:
// run on SQLite only (see withoutDatabase).
describe.skipIf(withoutDatabase)('the narrative n-gram model', () => {
  it('is trained on narrative development sets only, and npm run classification:train reproduces it byte for byte', () => {
    const heldOut = SETS.filter((set) => set.heldOut).map((set) => set.name);
    expect(NARRATIVE_SETS.filter((name) => heldOut.includes(name))).toEqual([]);
    expect(NARRATIVE_SETS.filter((name) => name.startsWith('force-records'))).toEqual([]);
    const shipped = readFileSync(
      new URL('../../src/domain/classification/ngram-narrative-model.json', import.meta.url),
      'utf8',
    );
    expect(serialise(train(loadExamples(NARRATIVE_CHOSEN.chars, NARRATIVE_SETS), NARRATIVE_CHOSEN))).toBe(
      shipped,
    );
  }, 60_000);
});
