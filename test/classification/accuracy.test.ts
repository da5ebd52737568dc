import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { score } from '../../src/domain/classification/evaluation.ts';
import { loadSet, SETS } from './fixtures.ts';
import { CHOSEN, DEV_SETS, loadExamples, serialise, train } from './ngram-training.ts';
import { DOC, updatedDoc } from './report.ts';
import { leaveOneOutModels, rows } from './cyber-training.ts';
import { FIRST_SIGHT } from './first-sight.ts';
import { cyberModelText } from './train-cyber.ts';
import { withoutDatabase } from '../support/test-services.ts';

// No database here: run on SQLite only (see withoutDatabase).
const describeOnce = describe.skipIf(withoutDatabase);

/*
 * Floors just under the figures measured with the narratives' own n-gram model (docs/classification.md, "Figures";
 * about one record of slack on the small sets): a change that loses accuracy fails here. The held-out sets were
 * never looked at record by record while tuning. The development figures include the rules' tuning and the models'
 * own training records, so they run high.
 * [category %, cyber flag %, online flag %, most offline records flagged online (%)]
 */
const FLOORS: Record<string, readonly [number, number, number, number]> = {
  'force-records-dev': [97, 98.5, 98.5, 1],
  'force-records-held-out': [94, 97, 97.5, 1],
  'reports-online-dev': [99, 98.5, 97, 2],
  'reports-online-dev2': [99.5, 99.5, 98, 0.5],
  'reports-online-dev3': [99.5, 99.5, 99, 0.5],
  'reports-online-dev4': [99.5, 99, 97, 0.5],
  'reports-online-dev5': [99.5, 99, 99, 0.5],
  'reports-online-dev6': [99.5, 99.5, 99.5, 0.5],
  'reports-online-dev7': [99.5, 99.5, 99, 1],
  'force-records-dev2': [96.5, 97.5, 96.5, 4],
  // Written blind (2026-12-07): scored once at first sight, then training data for the hinges and, since the third
  // session, the narrative model.
  'reports-online-dev8': [99, 99, 98.5, 0.5],
  'reports-online-dev9': [99, 98.5, 98.5, 0.5],
  'reports-online-dev10': [99, 98.5, 98, 0.5],
  'reports-online-dev11': [99, 99, 99, 0.5],
  'reports-online-dev12': [98, 97.5, 97, 0.5],
  'reports-online-dev13': [98.5, 98, 97.5, 0.5],
  // Written blind (2026-12-07, fourth session): scored once at first sight, then training data.
  'reports-online-dev14': [98.5, 98.5, 98.5, 1.5],
  'reports-online-dev15': [98.5, 98.5, 97.5, 2.5],
  // Written blind (2026-12-07, fifth session): scored once at first sight, then training data.
  'reports-online-dev16': [98, 97, 97, 2],
  'reports-online-dev17': [99, 98, 98, 1.5],
  'reports-online-dev18': [99, 98.5, 98.5, 0.5],
  'reports-online-dev19': [98.5, 98, 97.5, 1.5],
  'reports-online-held-out': [88.5, 93, 96.5, 0.5],
  // Written blind (2026-12-06), never tuned on: scored before and after the fourth development round.
  'force-records-held-out-2': [97.5, 98, 99, 1.5],
  'reports-online-held-out-2': [96.5, 97, 98, 0.5],
  // Written blind (2026-12-06, late), never tuned on: scored after the sixth and seventh rounds, and since.
  'reports-online-held-out-3': [97, 97.5, 98.5, 1.5],
  // Written blind (2026-12-07), never tuned on: scored before and after the learned cyber flag and its retraining,
  // and after the narrative model.
  'reports-online-held-out-4': [97, 99, 98.5, 2.5],
  // Written blind (2026-12-07, later), never tuned on: scored before and after the hinges learned from dev10 and
  // dev11, and after the narrative model.
  'reports-online-held-out-5': [93.5, 95, 97, 4.5],
  // Written blind (2026-12-07, third session), never tuned on: scored once before and once after the narrative model.
  'reports-online-held-out-6': [94, 95.5, 96, 5.5],
  // Written blind (2026-12-07, fourth session), never tuned on: scored once before and once after the hinges' phrase
  // families, and after the models learned from dev14 and dev15.
  'reports-online-held-out-7': [91.5, 96, 96, 6.5],
  // Written blind (2026-12-07, fourth session, later), never tuned on: scored once before and once after the models
  // learned from dev14 and dev15, and after those learned from dev16 and dev17.
  'reports-online-held-out-8': [90.5, 95, 96.5, 1.5],
  // Written blind (2026-12-07, fifth session), never tuned on: scored once before and once after the models learned
  // from dev16 and dev17, and after those learned from dev18 and dev19.
  'reports-online-held-out-9': [94, 96, 96, 4.5],
  // Written blind (2026-12-07, fifth session, later), never tuned on: scored once before and once after the models
  // learned from dev18 and dev19.
  'reports-online-held-out-10': [91, 95.5, 96, 1.5],
  // Written blind (2026-12-07, sixth session), never tuned on: scored once before and once after step 1's own-banking
  // masks (the same figures both times).
  'reports-online-held-out-11': [96, 97.5, 99, 1],
  // Written blind beside held out 11, a fifth of it at the cyber flag's hinges; scored as held out 11 was.
  'reports-online-held-out-12': [94.5, 95.5, 96.5, 3.5],
  // Written blind (2026-12-07, sixth session, later), never tuned on: scored once with the classifier the session
  // began with and once after its two step-1 changes (the same figures both times).
  'reports-online-held-out-13': [93, 95.5, 95.5, 2.5],
  // Written blind (2026-12-07, seventh session), never tuned on: scored once, with the classifier as the sixth
  // session left it.
  'reports-online-held-out-14': [91.5, 95.5, 97.5, 2.5],
};

/** The held-out files as frozen on 2026-12-04 (commit 83e01c2): any edit to them fails here. */
const FROZEN: Record<string, string> = {
  'force-records-held-out': '18657cd42a412ab63af9740c9504a75e7e421b553de1ccaca5b6a9ae2884cd15',
  'reports-online-held-out': '8036a4734ac61c9d4b141bb10dc06ad102dfd20080298468eb4db24796c12dbc',
  'force-records-held-out-2': 'c071332a7ec54832a252399979b20ab22092f53fdea23cf2bb68fb93be362643',
  'reports-online-held-out-2': '7e7359473a974b57fc540cfc08db6155cf708303afcded6650d2958b9252137d',
  'reports-online-held-out-3': 'd6c1267fb95b3b1cdc3171da278a1342c829168fef9d2fc9a8025328eac57748',
  // Written blind on 2026-12-07; frozen here before anything was scored on it.
  'reports-online-held-out-4': 'dc3d0e75a4c1c884d34d2ce258189398b8dc3690a399325dcd6377cd5e8c355c',
  // Written blind on 2026-12-07 (later); frozen here before anything was scored on it.
  'reports-online-held-out-5': '8000a16715fb5476289356126de7bdef7b2ae3dbd8da972d328ea929fe48618c',
  // Written blind on 2026-12-07 (third session); frozen here before anything was scored on it.
  'reports-online-held-out-6': 'bdc0bb19582edf53e13d5539e80db04da2b5ec08dc0846c655d2f22185a680b6',
  // Written blind on 2026-12-07 (fourth session); frozen here before anything was scored on it.
  'reports-online-held-out-7': '6e6421db91f16161e51941c70ac64d2599a19de74e74102cc86d318341dab4bd',
  // Written blind on 2026-12-07 (fourth session, later); frozen here before anything was scored on it.
  'reports-online-held-out-8': '076702f5edaa7cb6fab08311e5bd092c3fe16ef48656f15d908e093f51f4deae',
  // Written blind on 2026-12-07 (fifth session); frozen here before anything was scored on it.
  'reports-online-held-out-9': 'ab19a64df64c23a16adb76a9d8b51d31cc79d5abbe1f807d281c8aecbd4febd8',
  // Written blind on 2026-12-07 (fifth session, later); frozen here before anything was scored on it.
  'reports-online-held-out-10': '1fb5075b597ba802bf6e3a2f14e8d46770b7a920829c43493809038c0faac262',
  // Written blind on 2026-12-07 (sixth session); frozen here before anything was scored on it.
  'reports-online-held-out-11': '10ae8a94bc7d10f160d573a6759749f157785b6bcc966abe9c830c6408f6a53e',
  // Written blind on 2026-12-07 (sixth session, beside held out 11); frozen here before anything was scored on it.
  'reports-online-held-out-12': 'a290313dcba2a33431dee941674e79da839b0ce8bf403a3077f060298cdc91d8',
  // Written blind on 2026-12-07 (sixth session, later); frozen here before anything was scored on it.
  'reports-online-held-out-13': '5f50939edeff0b996aae15f03a432b1050bace6d792efc163261d82d73436c42',
  // Written blind on 2026-12-07 (seventh session); frozen here before anything was scored on it.
  'reports-online-held-out-14': '87583e3100ead9f24df141f325dd23e2652433447992ea8fa84faa64f18a8c25',
  test: '9c6b97382b0d5db360cf3ae01be35d171ae6877bdbb11581a0fa585bbb7adc6f',
};

describeOnce('classification accuracy on force-style records and online-labelled narratives', () => {
  it.each(Object.entries(FLOORS))(
    '%s stays at or above its floors',
    (name, [category, cyber, online, flagged]) => {
      const s = score(loadSet(name));
      console.info(
        `${name}: category ${s.category}%, cyber ${s.cyber}%, online ${s.online}%, offline flagged ${s.offlineFlagged}/${s.offline}`,
      );
      expect(s.category).toBeGreaterThanOrEqual(category);
      expect(s.cyber).toBeGreaterThanOrEqual(cyber);
      expect(s.online).toBeGreaterThanOrEqual(online);
      expect((100 * s.offlineFlagged) / s.offline).toBeLessThanOrEqual(flagged);
    },
  );

  it.each(Object.entries(FROZEN))('the held-out file %s is unchanged', (name, digest) => {
    const bytes = readFileSync(new URL(`../fixtures/classification/${name}.jsonl`, import.meta.url));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(digest);
  });

  it('docs/classification.md publishes the figures measured now (npm run classification:report -- --write)', async () => {
    const doc = readFileSync(DOC, 'utf8');
    expect(await updatedDoc(doc)).toBe(doc);
  });

  it('the n-gram model is trained on development sets only, and npm run classification:train reproduces it byte for byte', () => {
    const heldOut = SETS.filter((set) => set.heldOut).map((set) => set.name);
    expect(DEV_SETS.filter((name) => heldOut.includes(name))).toEqual([]);
    const shipped = readFileSync(
      new URL('../../src/domain/classification/ngram-model.json', import.meta.url),
      'utf8',
    );
    expect(serialise(train(loadExamples(CHOSEN.chars), CHOSEN))).toBe(shipped);
  }, 120_000);

  it('the cyber flag hinges are trained on blind development sets only, and npm run classification:train-cyber reproduces them byte for byte', () => {
    const heldOut = SETS.filter((set) => set.heldOut).map((set) => set.name);
    expect(FIRST_SIGHT.filter(({ set }) => heldOut.includes(set))).toEqual([]);
    const shipped = readFileSync(
      new URL('../../src/domain/classification/cyber-model.json', import.meta.url),
      'utf8',
    );
    expect(cyberModelText(rows(leaveOneOutModels()))).toBe(shipped);
  }, 180_000);
});
