/**
 * Leave-one-set-out for the cyber flag's hinges (docs/classification.md, "The cyber flag at the hinges"): the
 * narrative model as shipped (words, 60,000 weights, trained without each set; narrative-loso.ts caches it), the
 * rules at first sight, and hinge variants (features, thresholds, the online gate, blend weights) fitted on the other
 * sets' narrative rows. Prints one table row per grid point; options are chosen on this table only.
 *
 *   npx tsx test/classification/hinge-loso.ts [--errors SET]
 *
 * Reads development sets and first-sight.jsonl only, never a held-out file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hinge, consistentCategory } from '../../src/domain/classification/cyber-model.ts';
import {
  loadModel,
  predictNgram,
  type NgramModel,
  type NgramModelFile,
} from '../../src/domain/classification/ngram.ts';
import { normaliseWords } from '../../src/domain/classification/normalise-text.ts';
import { OFFLINE_CATEGORIES } from '../../src/domain/classification/category-groups.ts';
import { CATEGORIES, type Category, type CyberFlag } from '../../src/domain/classification/taxonomy.ts';
import { models } from './narrative-loso.ts';
import { fitLogistic, rows, type Row } from './cyber-training.ts';
import { FIRST_SIGHT } from './first-sight.ts';
import { loadExamples, NARRATIVE_CHOSEN, NARRATIVE_SETS, serialise, train } from './ngram-training.ts';

const CACHE = '/tmp/narrative-loso';

/** An array's item that must be there. */
function at<T>(a: readonly T[], i: number): T {
  const v = a[i];
  if (v === undefined) throw new Error(`no item ${i}`);
  return v;
}
const FORCE_SET = 'force-records-dev2';
/** The 19 features the hinges read before the phrase families (FEATURES up to rules:nothing-lost). */
const TODAY = 19;
const SETS = FIRST_SIGHT.map((f) => f.set).filter((s) => s !== FORCE_SET);

/** A word model whose sigmoid head reads "a crime with a victim" (flag not none), trained without a set. */
function crimeModel(without: string, onlineOnly: boolean): NgramModel {
  const file = `${CACHE}/crime${onlineOnly ? '-online' : ''}--${without}.json`;
  if (!existsSync(file)) {
    mkdirSync(CACHE, { recursive: true });
    const examples = loadExamples(
      false,
      NARRATIVE_SETS.filter((s) => s !== without),
    ).map((e) => {
      if (e.online < 0) return e;
      const category = Object.keys(CATEGORIES)[e.category] as Category;
      const crime = e.online === 1 && category !== 'other' && CATEGORIES[category].cyber !== 'none';
      return { ...e, online: onlineOnly && e.online === 0 ? -1 : crime ? 1 : 0 };
    });
    writeFileSync(`${file}.${process.pid}`, serialise(train(examples, NARRATIVE_CHOSEN)));
    renameSync(`${file}.${process.pid}`, file);
    console.error(`crime model without ${without}`);
  }
  return loadModel(JSON.parse(readFileSync(file, 'utf8')) as NgramModelFile);
}

const text = (r: Row) => normaliseWords(r.record.summary ?? r.record.text ?? '').join(' ');
const logit = (p: number) => {
  const q = Math.min(0.999, Math.max(0.001, p));
  return Math.log(q / (1 - q)) / 4;
};

/** Phrase families (general wording, not sentences); the first grid's, shipped as cyber-model.ts PHRASE_FAMILIES. */
export const FAMILIES = {
  inPerson:
    /\b(?:in person|face to face|turned up|turning up|came (?:up )?to|came round|at (?:my|her|his|the|our) (?:door|work|house|home|address)|on the door|in the street|in the queue|in the shop|in the pub|followed|shouting|shouted|screaming|attended)\b/i,
  voice:
    /\b(?:rang|phoned|phone call|called me|called her|called him|calls|on the phone|over the phone|house phone|landline|voicemail|cold call\w*)\b/i,
  post: /\b(?:letter|letters|by post|in the post|leaflet|flyer|posted through)\b/i,
  noOnlineContact:
    /\b(?:never|not|no|nothing|has not|have not|did not|hasn t|didn t) (?:\w+ ){0,2}(?:messaged|message|messages|contacted|online|emailed|texted|posted)\b/i,
  noLoss:
    /\b(?:nothing (?:lost|taken|sent|paid|gone)|no money|not a penny|did not (?:send|pay|lose|click|open|give|reply)|never (?:sent|paid|clicked|replied)|refused|ignored it|deleted it|no (?:money|item|harm)|didn t (?:send|pay))\b/i,
  loss: /\b(?:money|gone|taken|lost|stolen|paid|payments?|transferred|debited|withdrawn|charged|emptied|drained)\b/i,
  access:
    /\b(?:logged (?:in|into|out)|locked out|booted|password|login|hacked|access\w*|account (?:was |has been )?(?:taken|used)|changed (?:the|my) (?:email|password|details))\b/i,
};

/** The same, tightened after the first grid (contact in person only; a loss said outright). */
export const FAMILIES2 = {
  inPerson:
    /\b(?:in person|face to face|turned up|turning up|turns up|came (?:up )?to (?:my|her|his|the|our|me|her)|came round|knocked|doorstep|at (?:my|her|his|the|our) (?:door|work|house|home|address)|in the street|in the queue|in the shop|in the pub|attended (?:the )?address)\b/i,
  voice: FAMILIES.voice,
  post: FAMILIES.post,
  noOnlineContact: FAMILIES.noOnlineContact,
  noLoss: FAMILIES.noLoss,
  loss: /\bmoney (?:has |had |have |was )?(?:gone|taken|went|missing|lost|debited|withdrawn)\b|\b(?:taken|gone|went|debited|withdrawn) (?:out )?(?:of|from) (?:my|our|his|her|their|the)\b|\b(?:i|we|she|he|they|mum|dad) (?:had |have |has )?(?:paid|transferred|sent|moved|lost|handed over)\b|\b(?:payments?|transactions?) (?:\w+ ){0,4}(?:did not|didn t|never|not) (?:make|made|recognise|authorise)/i,
  access: FAMILIES.access,
};

interface Variant {
  name: string;
  /** Extra features per row (appended to the 19). */
  extras: (r: Row, i: number) => number[];
  /** Relax the gate: the online hinge may find an online element with no medium named where the category is cyber-dependent. */
  gate: 'medium' | 'dependent' | 'none';
  /** Which extras the crime hinge reads (indices; all when absent). */
  crimeExtras?: number[];
  tOnline: number;
  tCrime: number;
  lambda: number;
  weight: number;
}

function evaluate(all: readonly Row[], v: Variant, errors?: string) {
  const X = all.map((r, i) => Float64Array.from([...r.features.slice(0, TODAY), ...v.extras(r, i)]));
  const cells: string[] = [];
  let sumCyber = 0;
  let sumCat = 0;
  for (const set of SETS) {
    const trainIdx = all
      .map((r, i) => i)
      .filter((i) => at(all, i).set !== set && at(all, i).set !== FORCE_SET);
    const onl = fitLogistic(
      trainIdx.map((i) => at(X, i)),
      trainIdx.map((i) => at(all, i).online),
      v.lambda,
    );
    const withOnline = trainIdx.filter((i) => at(all, i).online);
    const Xc =
      v.crimeExtras === undefined
        ? X
        : X.map((x) =>
            x.map((value, j) => (j < TODAY || (v.crimeExtras ?? []).includes(j - TODAY) ? value : 0)),
          );
    const cr = fitLogistic(
      withOnline.map((i) => at(Xc, i)),
      withOnline.map((i) => at(all, i).crime),
      v.lambda,
    );
    let category = 0;
    let cyber = 0;
    let online = 0;
    let n = 0;
    all.forEach((r, i) => {
      if (r.set !== set) return;
      n++;
      const x = r.inputs;
      const medium = x.rulesOnline || x.evidence.some((e) => e.medium !== null && e.weight > 0);
      const pOn = hinge(onl, at(X, i));
      const pCr = hinge(cr, at(Xc, i));
      let on = pOn >= v.tOnline && (medium || v.gate !== 'medium');
      const crime = on && pCr >= v.tCrime;
      let { category: c } = consistentCategory(
        x.classes,
        x.probabilities,
        x.rulesCategory,
        x.raw,
        on,
        crime,
        OFFLINE_CATEGORIES,
        v.weight,
      );
      if (on && !medium && v.gate === 'dependent' && CATEGORIES[c].cyber !== 'dependent') {
        on = false;
        c = consistentCategory(
          x.classes,
          x.probabilities,
          x.rulesCategory,
          x.raw,
          false,
          false,
          OFFLINE_CATEGORIES,
          v.weight,
        ).category;
      }
      const flag: CyberFlag = !on || c === 'other' ? 'none' : CATEGORIES[c].cyber;
      if (c === r.record.category) category++;
      if (flag === r.flag) cyber++;
      if (on === r.online) online++;
      if ((errors === set || errors === 'all') && flag !== r.flag)
        console.log(
          `${r.set} ${r.record.id} ${medium ? '' : 'NO-MEDIUM '} ${r.record.category}/${r.flag} got ${c}/${flag} pOn ${pOn.toFixed(2)} pCr ${pCr.toFixed(2)} | ${r.record.summary ?? r.record.text}`,
        );
    });
    const pct = (a: number) => ((100 * a) / n).toFixed(1);
    cells.push(`${pct(category)} / ${pct(cyber)} / ${pct(online)}`);
    sumCyber += (100 * cyber) / n;
    sumCat += (100 * category) / n;
  }
  return { cells, cyber: sumCyber / SETS.length, category: sumCat / SETS.length };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const all = rows(models('narratives-words-60k'));
  const texts = all.map(text);
  const crime = new Map(SETS.map((s) => [s, crimeModel(s, false)]));
  const crimeOnline = new Map(SETS.map((s) => [s, crimeModel(s, true)]));
  // Each row's crime-head logit from the model trained without its set.
  const crimeLogits = (bySet: ReadonlyMap<string, NgramModel>) =>
    all.map((r) => {
      const m = bySet.get(r.set);
      return m === undefined
        ? 0
        : logit(
            predictNgram(normaliseWords(r.record.summary ?? r.record.text ?? ''), null, undefined, m).online,
          );
    });
  const pCrime = crimeLogits(crime);
  const pCrimeOnline = crimeLogits(crimeOnline);
  const margin = (r: Row) => {
    const p = [...Array.from(r.inputs.probabilities)].sort((a, b) => b - a);
    return (p[0] ?? 0) - (p[1] ?? 0);
  };
  const fam2 = (i: number) => {
    const t = at(texts, i);
    const f = (k: keyof typeof FAMILIES2) => (FAMILIES2[k].test(t) ? 1 : 0);
    const offlineContact = f('inPerson') || f('voice') || f('post');
    return [
      f('inPerson'),
      f('voice'),
      f('post'),
      f('noOnlineContact'),
      f('noLoss'),
      f('loss'),
      f('access'),
      offlineContact && f('noOnlineContact'),
      f('noLoss') && !f('loss') ? 1 : 0,
    ];
  };
  const fam = (i: number, f: keyof typeof FAMILIES) => (FAMILIES[f].test(at(texts, i)) ? 1 : 0);
  const families = (i: number) => (Object.keys(FAMILIES) as (keyof typeof FAMILIES)[]).map((f) => fam(i, f));
  const base: Variant = {
    name: 'today',
    extras: () => [],
    gate: 'medium',
    tOnline: 0.5,
    tCrime: 0.5,
    lambda: 0.1,
    weight: 0.3,
  };
  const errorsArg = process.argv.indexOf('--errors');
  if (errorsArg > 0) {
    const which = process.argv[errorsArg + 2] ?? 'today';
    const extras: Record<string, Variant['extras']> = {
      today: () => [],
      crime: (_r, i) => [at(pCrime, i)],
      all: (_r, i) => [at(pCrime, i), ...families(i)],
    };
    evaluate(
      all,
      {
        ...base,
        lambda: 0.01,
        gate: (process.env.GATE ?? 'medium') as Variant['gate'],
        extras: extras[which] ?? extras.today ?? (() => []),
      },
      process.argv[errorsArg + 1],
    );
    process.exit(0);
  }
  const variants: Variant[] = [];
  const featureSets: [string, Variant['extras']][] = [
    ['today', () => []],
    ['margin', (r) => [margin(r)]],
    ['families', (_r, i) => families(i)],
    ['crime-head', (_r, i) => [at(pCrime, i)]],
    ['crime-head (online rows)', (_r, i) => [at(pCrimeOnline, i)]],
    ['crime-head + families', (_r, i) => [at(pCrime, i), ...families(i)]],
    ['families2', (_r, i) => fam2(i)],
    ['crime-head + families2', (_r, i) => [at(pCrime, i), ...fam2(i)]],
    ['crime-head + margin + families', (r, i) => [at(pCrime, i), margin(r), ...families(i)]],
  ];
  const grid = process.env.GRID ?? 'features';
  if (grid === 'crime-extras')
    for (const [label, crimeExtras] of [
      ['all', undefined],
      ['none', []],
      ['no-loss, loss, access', [4, 5, 6]],
      ['post, no-loss, loss', [2, 4, 5]],
      ['no-loss, loss', [4, 5]],
    ] as [string, number[] | undefined][])
      for (const tCrime of [0.5, 0.6])
        variants.push({
          ...base,
          name: `families, crime hinge reads ${label}`,
          extras: (_r, i) => families(i),
          gate: 'dependent',
          lambda: 0.01,
          tCrime,
          crimeExtras,
        });
  else if (grid === 'features')
    for (const [name, extras] of featureSets)
      for (const gate of ['medium', 'dependent', 'none'] as const)
        for (const lambda of [0.01, 0.1, 1]) variants.push({ ...base, name, extras, gate, lambda });
  else
    for (const [name, extras] of featureSets.filter(([n]) =>
      (process.env.FEATS ?? 'today,crime-head,families,crime-head + families').split(',').includes(n),
    ))
      for (const gate of (process.env.GATES ?? 'medium,dependent,none').split(',') as Variant['gate'][])
        for (const lambda of (process.env.LAMBDAS ?? '0.01').split(',').map(Number))
          for (const tOnline of [0.4, 0.5, 0.6])
            for (const tCrime of (process.env.TCRIME ?? '0.4,0.5,0.6').split(',').map(Number))
              for (const weight of [0.2, 0.3, 0.4])
                variants.push({ ...base, name, extras, gate, lambda, tOnline, tCrime, weight });
  console.log(
    `| features | gate | λ | thresholds online, crime | rules weight | ${SETS.join(' | ')} | mean category | mean cyber flag (10 narrative sets) |`,
  );
  for (const v of variants) {
    const t = evaluate(all, v);
    console.log(
      `| ${v.name} | ${v.gate} | ${v.lambda} | ${v.tOnline}, ${v.tCrime} | ${v.weight} | ${t.cells.join(' | ')} | ${t.category.toFixed(2)} | ${t.cyber.toFixed(2)} |`,
    );
  }
}
