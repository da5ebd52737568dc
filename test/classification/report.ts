/**
 * npm run classification:report: prints the classifier's figures on every labelled set (docs/classification.md,
 * "Figures"); with --write it replaces that section of the document. classify.test.ts fails when the document is
 * out of date, so the published figures are always the measured ones.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { createClassifier } from '../../src/domain/classification/classify.ts';
import {
  calibrationMarkdown,
  calibrationTable,
  classifyRecord,
  reportMarkdown,
  type LabelledRecord,
} from '../../src/domain/classification/evaluation.ts';
import { loadModel } from '../../src/domain/classification/ngram.ts';
import { loadAll, loadSet, SETS } from './fixtures.ts';
import { CHOSEN, fold, FOLDS, loadExamples, NARRATIVE_SETS, train } from './ngram-training.ts';
import { loadCyberModel } from '../../src/domain/classification/cyber-model.ts';
import { CHOSEN_HINGES, cyberModelFile, fitHinges, leaveOneOutModels, rows } from './cyber-training.ts';
import { FIRST_SIGHT } from './first-sight.ts';

export const DOC = new URL('../../docs/classification.md', import.meta.url);
export const START = '<!-- figures:start (npm run classification:report -- --write) -->';
export const END = '<!-- figures:end -->';

/** The document with its figures section replaced by the current figures, formatted as the repository is. */
export async function updatedDoc(doc: string): Promise<string> {
  const options = (await prettier.resolveConfig(fileURLToPath(DOC))) ?? {};
  return prettier.format(replaceFigures(doc), { ...options, parser: 'markdown' });
}

function replaceFigures(doc: string): string {
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/classification.md has no ${START} … ${END} section`);
  return `${doc.slice(0, a + START.length)}\n\n${figures()}\n\n${doc.slice(b)}`;
}

export function figures(): string {
  const sets = loadAll().filter((s) => SETS.find((x) => x.name === s.name)?.online !== false);
  return `${reportMarkdown(loadAll())}\n\n### Confidence calibration\n\n${calibrationMarkdown(sets)}`;
}

const CALIBRATION_FILE = new URL('../../src/domain/classification/calibration.ts', import.meta.url);

/**
 * Rewrites the calibration table from development sets only (never the held-out ones), each record classified by
 * learned parts that never saw it, so the confidence it earns is out of sample:
 * - force records (`force-records-dev`): the force records' n-gram model trained without the record's fold (the same
 *   five folds as `npm run classification:train -- --cv`);
 * - narratives: every blind narrative development set (first-sight.ts), each classified end to end with the narrative
 *   model and the cyber flag's hinges trained without that set (leave-one-set-out, as the options were chosen). The
 *   rules have been tuned on these sets, so their part is in sample.
 */
async function writeCalibration(): Promise<void> {
  const examples = loadExamples(CHOSEN.chars);
  const classifiers = Array.from({ length: FOLDS }, (_, f) =>
    createClassifier({
      model: loadModel(
        train(
          examples.filter((e) => fold(e.id, FOLDS) !== f),
          CHOSEN,
        ),
      ),
    }),
  );
  const outOfFold = (r: LabelledRecord) => {
    const classifier = classifiers[fold(r.id, FOLDS)];
    if (classifier === undefined) throw new Error('no classifier for the fold');
    return classifyRecord(r, classifier);
  };
  const models = leaveOneOutModels();
  const all = rows(models);
  const narrativeSets = FIRST_SIGHT.map((f) => f.set).filter((set) =>
    (NARRATIVE_SETS as readonly string[]).includes(set),
  );
  const narratives: LabelledRecord[] = [];
  const bySet = new Map<string, ReturnType<typeof createClassifier>>();
  const setOf = new Map<string, string>();
  for (const set of narrativeSets) {
    bySet.set(
      set,
      createClassifier({
        narrative: models.get(set) ?? null,
        cyber: loadCyberModel(
          cyberModelFile(
            fitHinges(
              all.filter((r) => r.set !== set),
              CHOSEN_HINGES,
            ),
          ),
        ),
      }),
    );
    for (const r of loadSet(set)) {
      narratives.push(r);
      setOf.set(r.id, set);
    }
  }
  const leftOut = (r: LabelledRecord) => {
    const classifier = bySet.get(setOf.get(r.id) ?? '');
    if (classifier === undefined) throw new Error(`no classifier for ${r.id}`);
    return classifyRecord(r, classifier);
  };
  const table = {
    record: calibrationTable(loadSet('force-records-dev'), outOfFold),
    narrative: calibrationTable(narratives, leftOut),
  };
  const source = readFileSync(CALIBRATION_FILE, 'utf8').replace(
    /export const CALIBRATION: \{[^=]*\} = [^;]*;/,
    `export const CALIBRATION: { readonly record: Table; readonly narrative: Table } = ${JSON.stringify(table)};`,
  );
  const options = (await prettier.resolveConfig(fileURLToPath(CALIBRATION_FILE))) ?? {};
  writeFileSync(CALIBRATION_FILE, await prettier.format(source, { ...options, parser: 'typescript' }));
  console.log('calibration.ts updated:', JSON.stringify(table));
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  if (process.argv.includes('--calibrate')) await writeCalibration();
  else if (process.argv.includes('--write')) {
    writeFileSync(DOC, await updatedDoc(readFileSync(DOC, 'utf8')));
    console.log('docs/classification.md updated');
  } else console.log(figures());
}
