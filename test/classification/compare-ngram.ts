/**
 * Rules, the n-gram model and their combinations compared, in aggregate only (docs/classification.md, "Method
 * chosen").
 *
 *   npx tsx test/classification/compare-ngram.ts --dev        # development sets; the model's figures are out of
 *                                                             # fold (run `classification:train -- --cv` first)
 *   npx tsx test/classification/compare-ngram.ts --held-out   # the final candidates on the held-out sets
 *
 * Nothing here prints a single record or its result.
 */
import { readFileSync } from 'node:fs';
import { labelCyber, type LabelledRecord } from '../../src/domain/classification/evaluation.ts';
import { normaliseWords } from '../../src/domain/classification/normalise-text.ts';
import { predictNgram } from '../../src/domain/classification/ngram.ts';
import { CATEGORIES, type Category, type CyberFlag } from '../../src/domain/classification/taxonomy.ts';
import { createClassifier, type Classification } from '../../src/domain/classification/classify.ts';
import { OOF_FILE, type OutOfFold } from './ngram-cv.ts';
import { loadSet } from './fixtures.ts';

const CLASSES = Object.keys(CATEGORIES) as Category[];
/** Categories a record with no online element may have (classify.ts, step 2). */
const OFFLINE_OK = new Set<Category>([
  'impersonation-fraud',
  'investment-fraud',
  'advance-fee-fraud',
  'card-account-fraud',
  'phishing-attempt',
  'other',
]);

interface Row {
  r: LabelledRecord;
  rules: Classification;
  model: OutOfFold;
}

interface Decision {
  category: Category;
  online: boolean;
}

export type Method = (row: Row) => Decision;

function cyberOf(d: Decision): CyberFlag {
  return !d.online || d.category === 'other' || d.category === 'phishing-attempt'
    ? 'none'
    : CATEGORIES[d.category].cyber;
}

const rulesOnline = (row: Row) => row.rules.online.medium !== null;

/** The model's best category among those the online decision allows. */
function modelBest(row: Row, online: boolean): { category: Category; p: number } {
  let best: Category = 'other';
  let p = -1;
  row.model.probabilities.forEach((q, i) => {
    const c = CLASSES[i] ?? 'other';
    if ((online || OFFLINE_OK.has(c)) && q > p) {
      p = q;
      best = c;
    }
  });
  return { category: best, p };
}

/** The online element: the rules', overturned only when the model is at least `sure` the other way. */
function online(row: Row, sure: number): boolean {
  const rules = rulesOnline(row);
  if (!rules && row.model.online >= sure) return true;
  if (rules && row.model.online <= 1 - sure) return false;
  return rules;
}

export const METHODS: Record<string, (params: number[]) => Method> = {
  rules: () => (row) => ({ category: row.rules.category, online: rulesOnline(row) }),
  model: () => (row) => ({ category: row.model.category, online: row.model.online >= 0.5 }),
  /** The model decides the category when the rules are unsure (raw confidence below t, or no cue at all). */
  fallback:
    ([t = 0.5, p = 0.5, sure = 1.01]) =>
    (row) => {
      const on = online(row, sure);
      const unsure =
        (row.rules.rawConfidence ?? row.rules.confidence) < t ||
        (row.rules.category === 'other' && row.rules.cues.length === 0);
      const m = modelBest(row, on);
      const rulesOk = on || OFFLINE_OK.has(row.rules.category);
      return {
        category: (unsure && m.p >= p) || !rulesOk ? m.category : row.rules.category,
        online: on,
      };
    },
  /** A weighted sum: alpha × the rules' raw confidence for their category + (1 − alpha) × the model's probability. */
  blend:
    ([alpha = 0.5, sure = 1.01]) =>
    (row) => {
      const on = online(row, sure);
      let best: Category = 'other';
      let top = -1;
      row.model.probabilities.forEach((q, i) => {
        const c = CLASSES[i] ?? 'other';
        if (!on && !OFFLINE_OK.has(c)) return;
        const s =
          (1 - alpha) * q +
          (c === row.rules.category ? alpha * (row.rules.rawConfidence ?? row.rules.confidence) : 0);
        if (s > top) {
          top = s;
          best = c;
        }
      });
      return { category: best, online: on };
    },
};

export interface Tally {
  n: number;
  category: number;
  cyber: number;
  online: number;
  withOnline: number;
  offline: number;
  offlineFlagged: number;
}

export function tally(rows: readonly Row[], method: Method): Tally {
  const t: Tally = { n: 0, category: 0, cyber: 0, online: 0, withOnline: 0, offline: 0, offlineFlagged: 0 };
  for (const row of rows) {
    const d = method(row);
    t.n++;
    if (d.category === row.r.category) t.category++;
    if (cyberOf(d) === labelCyber(row.r)) t.cyber++;
    if (row.r.online !== undefined) {
      t.withOnline++;
      const labelled = row.r.online.length > 0;
      if (d.online === labelled) t.online++;
      if (!labelled) {
        t.offline++;
        if (d.online) t.offlineFlagged++;
      }
    }
  }
  return t;
}

const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;

function line(name: string, groups: [string, readonly Row[]][], method: Method): string {
  const cells = groups.map(([, rows]) => {
    const t = tally(rows, method);
    return `${pct(t.category, t.n)} / ${pct(t.cyber, t.n)}${t.withOnline > 0 ? ` / ${pct(t.online, t.withOnline)}` : ''}`;
  });
  return `| ${name} | ${cells.join(' | ')} |`;
}

/** The rules alone (classify() without the model), as before the model was wired in. */
const RULES = createClassifier({ model: null });

function rowsOf(set: string, model: (r: LabelledRecord) => OutOfFold): Row[] {
  return loadSet(set).map((r) => ({
    r,
    rules: RULES.classify(
      r.summary !== undefined
        ? { text: r.summary, ...(r.offence !== undefined ? { offence: r.offence } : {}) }
        : { text: r.text ?? '' },
    ),
    model: model(r),
  }));
}

function predict(r: LabelledRecord): OutOfFold {
  const p = predictNgram(
    normaliseWords(r.summary ?? r.text ?? ''),
    r.offence === undefined ? null : normaliseWords(r.offence),
    r.offence,
  );
  return { category: p.category, probabilities: [...p.probabilities], online: p.online };
}

function header(groups: [string, readonly Row[]][]): string {
  return `| method | ${groups.map(([g, rows]) => `${g} (${rows.length})`).join(' | ')} |\n| --- | ${groups.map(() => '--:').join(' | ')} |`;
}

/** The candidates evaluated on the held-out sets, with the parameters chosen on the development sets. */
export const CANDIDATES: Record<string, Method> = {
  'rules alone': METHODS.rules?.([]) as Method,
  'model alone': METHODS.model?.([]) as Method,
  'fallback (t 0.5, p 0.7)': METHODS.fallback?.([0.5, 0.7]) as Method,
  'blend (alpha 0.6)': METHODS.blend?.([0.6]) as Method,
};

if (process.argv.includes('--dev')) {
  const oof = JSON.parse(readFileSync(OOF_FILE, 'utf8')) as Record<string, OutOfFold>;
  const fromOof = (r: LabelledRecord) => {
    const m = oof[r.id];
    if (m === undefined) throw new Error(`no out-of-fold prediction for ${r.id}`);
    return m;
  };
  const sets = ['force-records-dev', 'reports-online-dev', 'reports-online-dev2', 'dev', 'dev2'].map(
    (s) => [s, rowsOf(s, fromOof)] as [string, Row[]],
  );
  const groups: [string, Row[]][] = [...sets, ['all dev', sets.flatMap(([, rows]) => rows)]];
  console.log('category / cyber flag / online flag (model out of fold; rules were tuned on these sets)\n');
  console.log(header(groups));
  console.log(line('rules', groups, METHODS.rules?.([]) as Method));
  console.log(line('model', groups, METHODS.model?.([]) as Method));
  for (const t of [0.3, 0.4, 0.5, 0.6, 0.7])
    for (const p of [0.3, 0.5, 0.7])
      console.log(line(`fallback t ${t} p ${p}`, groups, METHODS.fallback?.([t, p]) as Method));
  for (const sure of [0.9, 0.95, 0.99])
    console.log(
      line(
        `fallback t 0.5 p 0.5, online sure ${sure}`,
        groups,
        METHODS.fallback?.([0.5, 0.5, sure]) as Method,
      ),
    );
  for (const alpha of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    console.log(line(`blend alpha ${alpha}`, groups, METHODS.blend?.([alpha]) as Method));
}

if (process.argv.includes('--held-out')) {
  const sets = ['force-records-held-out', 'reports-online-held-out', 'test'].map(
    (s) => [s, rowsOf(s, predict)] as [string, Row[]],
  );
  const groups: [string, Row[]][] = [...sets, ['all held out', sets.flatMap(([, rows]) => rows)]];
  console.log('category / cyber flag / online flag, held out, aggregate only\n');
  console.log(header(groups));
  for (const [name, method] of Object.entries(CANDIDATES)) console.log(line(name, groups, method));
}
