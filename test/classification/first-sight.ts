/**
 * The rules' answers at first sight on the blind development sets: each set classified by the rules as they stood
 * in git before that set was tuned on (rules alone, no n-gram model), so the cyber-flag model (cyber-model.ts) is
 * trained on the rules' behaviour on wording they had not seen, as on a new report. Writes
 * test/fixtures/classification/first-sight.jsonl (committed; this script regenerates it from the history):
 *
 *   npx tsx test/classification/first-sight.ts
 *
 * Reads only development sets (never a held-out file).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Each blind development set and the commit whose rules saw it first (the commit before its round's tuning). */
export const FIRST_SIGHT: readonly { set: string; commit: string }[] = [
  { set: 'reports-online-dev4', commit: '1e8aeb7' },
  { set: 'force-records-dev2', commit: '1e8aeb7' },
  { set: 'reports-online-dev5', commit: 'a710c5c' },
  { set: 'reports-online-dev6', commit: '2a80bf2' },
  { set: 'reports-online-dev7', commit: 'fce8cc3' },
  { set: 'reports-online-dev8', commit: '78701f5' },
  { set: 'reports-online-dev9', commit: '78701f5' },
  { set: 'reports-online-dev10', commit: '70045de' },
  { set: 'reports-online-dev11', commit: '70045de' },
  { set: 'reports-online-dev12', commit: 'e9bf44b' },
  { set: 'reports-online-dev13', commit: 'e9bf44b' },
  { set: 'reports-online-dev14', commit: '4ceb426' },
  { set: 'reports-online-dev15', commit: '4ceb426' },
  { set: 'reports-online-dev16', commit: '8a297e4' },
  { set: 'reports-online-dev17', commit: '8a297e4' },
  { set: 'reports-online-dev18', commit: '6b9fff2' },
  { set: 'reports-online-dev19', commit: '6b9fff2' },
];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIRST_SIGHT_FILE = new URL('../fixtures/classification/first-sight.jsonl', import.meta.url);

/** Run inside the old tree: classifies a set with that tree's rules alone and prints one JSON line per record. */
const RUNNER = `
import { readFileSync } from 'node:fs';
import { createClassifier } from './src/domain/classification/classify.ts';
import { ONLINE_CUES, offenceRule } from './src/domain/classification/online-cues.ts';
import { CUE_MEDIA } from './src/domain/classification/category-cues.ts';
const [file, set] = process.argv.slice(2);
const rules = createClassifier({ model: null });
const cues = new Map(ONLINE_CUES.map((c) => [c.id, c]));
for (const line of readFileSync(file, 'utf8').split('\\n')) {
  if (line.trim() === '') continue;
  const r = JSON.parse(line);
  const c = r.summary !== undefined
    ? rules.classify({ text: r.summary, ...(r.offence !== undefined ? { offence: r.offence } : {}) })
    : rules.classify({ text: r.text ?? '' });
  const rule = offenceRule(r.offence);
  const evidence = c.online.evidence.map((e) => {
    const cue = cues.get(e.id);
    if (cue !== undefined) return { id: e.id, medium: cue.medium, weight: cue.weight };
    if (e.id === 'hacking-pbx.phone-system') return { id: e.id, medium: 'computer-misuse', weight: 3 };
    if (CUE_MEDIA[e.id] !== undefined) return { id: e.id, medium: CUE_MEDIA[e.id], weight: 3 };
    if (rule !== null && rule.id === e.id) return { id: e.id, medium: rule.medium, weight: rule.weight };
    return { id: e.id, medium: null, weight: 0 };
  });
  console.log(JSON.stringify({ id: r.id, set, category: c.category, cyber: c.cyber, medium: c.online.medium,
    evidence, cues: c.cues, raw: c.rawConfidence }));
}
`;

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const lines: string[] = [];
  for (const { set, commit } of FIRST_SIGHT) {
    const dir = mkdtempSync(join(tmpdir(), 'first-sight-'));
    try {
      execFileSync('sh', ['-c', `git archive ${commit} src | tar -x -C ${dir}`], { cwd: ROOT });
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      writeFileSync(join(dir, 'run.ts'), RUNNER);
      const out = execFileSync(
        join(ROOT, 'node_modules/.bin/tsx'),
        ['run.ts', join(ROOT, `test/fixtures/classification/${set}.jsonl`), set],
        { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      lines.push(...out.split('\n').filter((l) => l.trim() !== ''));
      console.log(`${set}: rules of ${commit}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  writeFileSync(FIRST_SIGHT_FILE, `${lines.join('\n')}\n`);
}
