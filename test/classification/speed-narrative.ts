/**
 * Classifier CPU per record, two versions interleaved in one process (docs/classification.md, "A narrative model of
 * its own"): narratives (the development sets' texts, one report at a time through classify()) and the legacy
 * import's path (the import bench's force records through one createClassifier()).
 *
 *   npx tsx test/classification/speed-narrative.ts <old dir> <new dir> [rounds]
 *
 * Each directory is a tree's src/domain/classification, both copied out the same way (e.g. `git archive main src
 * tsconfig.json package.json | tar -x -C /tmp/old`, node_modules linked). Whichever is loaded second runs slower
 * (a third on the import rows, even for the same code), so run it both ways round; or give one directory twice to
 * time one tree alone, one process per tree, as a server or an import runs it. Reads only development sets.
 */
import { pathToFileURL } from 'node:url';
import { benchRow } from '../../bench/import-rows.ts';
import type * as Classify from '../../src/domain/classification/classify.ts';
import { loadSet, SETS } from './fixtures.ts';

type Module = typeof Classify;
const [oldDir, newDir, roundsArg] = process.argv.slice(2);
if (oldDir === undefined || newDir === undefined)
  throw new Error('usage: speed-narrative.ts <old dir> <new dir> [rounds]');
// Both loaded the same way, so neither has an advantage from how it was loaded.
const old = (await import(pathToFileURL(`${oldDir}/classify.ts`).href)) as Module;
const current = (await import(pathToFileURL(`${newDir}/classify.ts`).href)) as Module;
const rounds = Number(roundsArg ?? 8);

const narratives = SETS.filter((s) => !s.heldOut)
  .flatMap((s) => loadSet(s.name))
  .filter((r) => r.offence === undefined)
  .map((r) => r.summary ?? r.text ?? '');
const rows = Array.from({ length: 30_000 }, (_, i) => benchRow(i));

function cpu(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}
const narrative = (m: Module) => () => {
  for (const text of narratives) m.classify({ text });
};
const imports = (m: Module) => () => {
  const c = m.createClassifier();
  for (const row of rows) c.classify({ text: row.summary, offence: row.crimeType });
};

const times: Record<string, number[]> = {
  'old narratives': [],
  'new narratives': [],
  'old import': [],
  'new import': [],
};
// One round each to warm up, not counted.
for (const m of [old, current]) {
  narrative(m)();
  imports(m)();
}
for (let r = 0; r < rounds; r++) {
  // Alternate which goes first.
  const pair: [string, Module][] =
    r % 2 === 0
      ? [
          ['old', old],
          ['new', current],
        ]
      : [
          ['new', current],
          ['old', old],
        ];
  for (const [name, m] of pair) times[`${name} narratives`]?.push(cpu(narrative(m)) / narratives.length);
  for (const [name, m] of pair) times[`${name} import`]?.push(cpu(imports(m)) / rows.length);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
for (const [name, xs] of Object.entries(times))
  console.log(
    `${name.padEnd(16)} median ${median(xs).toFixed(1)} µs/record (${xs.map((x) => x.toFixed(1)).join(', ')})`,
  );
console.log(`${narratives.length} narratives, ${rows.length} import rows, ${rounds} rounds`);
