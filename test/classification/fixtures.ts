import { readFileSync } from 'node:fs';
import type { LabelledRecord, NamedSet } from '../../src/domain/classification/evaluation.ts';

const DIR = new URL('../fixtures/classification/', import.meta.url);

const loaded = new Map<string, readonly LabelledRecord[]>();

/** A set's records, read once per process (the same objects each time, so each is classified once). */
export function loadSet(name: string): readonly LabelledRecord[] {
  let records = loaded.get(name);
  if (records === undefined) {
    records = Object.freeze(
      readFileSync(new URL(`${name}.jsonl`, DIR), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => Object.freeze(JSON.parse(line) as LabelledRecord)),
    );
    loaded.set(name, records);
  }
  return records;
}

/** Every labelled set, development sets first; "held out" ones were never looked at while tuning. */
export const SETS: readonly { name: string; title: string; heldOut: boolean; online: boolean }[] = [
  { name: 'force-records-dev', title: 'force records, dev', heldOut: false, online: true },
  { name: 'force-records-held-out', title: 'force records, held out', heldOut: true, online: true },
  {
    name: 'reports-online-dev',
    title: 'report narratives (online labels), dev',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev2',
    title: 'report narratives (online labels), dev 2',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev3',
    title: 'report narratives (online labels), dev 3',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev4',
    title: 'report narratives (online labels), dev 4',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev5',
    title: 'report narratives (online labels), dev 5',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev6',
    title: 'report narratives (online labels), dev 6 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev7',
    title: 'report narratives (online labels), dev 7 (written blind)',
    heldOut: false,
    online: true,
  },
  { name: 'force-records-dev2', title: 'force records, dev 2', heldOut: false, online: true },
  // Written blind on 2026-12-07; scored once at first sight, then used to train the cyber flag's hinges.
  {
    name: 'reports-online-dev8',
    title: 'report narratives (online labels), dev 8 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev9',
    title: 'report narratives (online labels), dev 9 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev10',
    title: 'report narratives (online labels), dev 10 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev11',
    title: 'report narratives (online labels), dev 11 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev12',
    title: 'report narratives (online labels), dev 12 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev13',
    title: 'report narratives (online labels), dev 13 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev14',
    title: 'report narratives (online labels), dev 14 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev15',
    title: 'report narratives (online labels), dev 15 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev16',
    title: 'report narratives (online labels), dev 16 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev17',
    title: 'report narratives (online labels), dev 17 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev18',
    title: 'report narratives (online labels), dev 18 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-dev19',
    title: 'report narratives (online labels), dev 19 (written blind)',
    heldOut: false,
    online: true,
  },
  {
    name: 'reports-online-held-out',
    title: 'report narratives (online labels), held out',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-06 by a session that never saw the classifier, its code or its figures.
  {
    name: 'force-records-held-out-2',
    title: 'force records, held out 2 (blind)',
    heldOut: true,
    online: true,
  },
  {
    name: 'reports-online-held-out-2',
    title: 'report narratives (online labels), held out 2 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-06 (late) by another such session; scored once, after the sixth development round.
  {
    name: 'reports-online-held-out-3',
    title: 'report narratives (online labels), held out 3 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-07 by another such session; frozen before it was scored.
  {
    name: 'reports-online-held-out-4',
    title: 'report narratives (online labels), held out 4 (blind)',
    heldOut: true,
    online: true,
  },
  {
    name: 'reports-online-held-out-5',
    title: 'report narratives (online labels), held out 5 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-07 (third session); frozen before it was scored, and scored once, before and after the
  // narrative model.
  {
    name: 'reports-online-held-out-6',
    title: 'report narratives (online labels), held out 6 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-07 (fourth session); frozen before it was scored, and scored once before and once after
  // the hinges' phrase families.
  {
    name: 'reports-online-held-out-7',
    title: 'report narratives (online labels), held out 7 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-07 (fourth session, later); frozen before it was scored, and scored once before and once
  // after the narrative model and hinges learned from dev14 and dev15.
  {
    name: 'reports-online-held-out-8',
    title: 'report narratives (online labels), held out 8 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-07 (fifth session); frozen before it was scored, and scored once before and once after
  // the narrative model and hinges learned from dev16 and dev17.
  {
    name: 'reports-online-held-out-9',
    title: 'report narratives (online labels), held out 9 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-07 (fifth session, later); frozen before it was scored, and scored once before and once
  // after the narrative model and hinges learned from dev18 and dev19.
  {
    name: 'reports-online-held-out-10',
    title: 'report narratives (online labels), held out 10 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-07 (sixth session); frozen before it was scored.
  {
    name: 'reports-online-held-out-11',
    title: 'report narratives (online labels), held out 11 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-07 (sixth session, beside held out 11, a fifth of it at the cyber flag's hinges); frozen
  // before it was scored.
  {
    name: 'reports-online-held-out-12',
    title: 'report narratives (online labels), held out 12 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-07 (sixth session, later), after held out 11 and 12 had been read twice; frozen before it
  // was scored.
  {
    name: 'reports-online-held-out-13',
    title: 'report narratives (online labels), held out 13 (blind)',
    heldOut: true,
    online: true,
  },
  // Written blind on 2026-12-07 (seventh session), after held out 11, 12 and 13 had been read twice; frozen before it
  // was scored.
  {
    name: 'reports-online-held-out-14',
    title: 'report narratives (online labels), held out 14 (blind)',
    heldOut: true,
    online: true,
  },
  { name: 'dev', title: 'narratives dev', heldOut: false, online: false },
  { name: 'dev2', title: 'narratives dev2', heldOut: false, online: false },
  { name: 'test', title: 'narratives test, held out', heldOut: true, online: false },
];

export function loadAll(): NamedSet[] {
  return SETS.map((s) => ({ name: s.name, title: s.title, records: loadSet(s.name) }));
}
