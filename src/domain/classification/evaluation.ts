/**
 * Scores the classifier against labelled records (test/fixtures/classification): category, cyber flag and
 * online flag accuracy, offline records flagged, and a confusion matrix. Pure: callers load the records.
 */
import { classify, type Classification } from './classify.ts';
import { CATEGORIES, type Category, type CyberFlag } from './taxonomy.ts';

export interface LabelledRecord {
  id: string;
  /** A narrative, or a force record's summary. */
  text?: string;
  summary?: string;
  offence?: string;
  category: Category;
  /** Absent on the older narrative sets, which carry no online label. */
  online?: string[];
  cyber?: CyberFlag;
}

export interface Scores {
  n: number;
  category: number;
  cyber: number | null;
  online: number | null;
  offline: number;
  offlineFlagged: number;
  /** confusion[actual][predicted] */
  confusion: Record<string, Record<string, number>>;
  misses: { id: string; expected: string; got: string; c: Classification }[];
}

/** The shipped classifier's answers, per record object: the figures, matrices and calibration read each record once. */
const shipped = new WeakMap<LabelledRecord, Classification>();

export function classifyRecord(
  r: LabelledRecord,
  classifier?: { classify: typeof classify },
): Classification {
  if (classifier !== undefined) return classifyWith(r, classifier);
  let c = shipped.get(r);
  if (c === undefined) shipped.set(r, (c = classifyWith(r, { classify })));
  return c;
}

function classifyWith(r: LabelledRecord, classifier: { classify: typeof classify }): Classification {
  return r.summary !== undefined
    ? classifier.classify({ text: r.summary, ...(r.offence !== undefined ? { offence: r.offence } : {}) })
    : classifier.classify({ text: r.text ?? '' });
}

/** The cyber flag a label implies: none with no online element, else the category's. */
export function labelCyber(r: LabelledRecord): CyberFlag {
  if (r.cyber !== undefined) return r.cyber;
  return CATEGORIES[r.category].cyber;
}

export function score(records: readonly LabelledRecord[]): Scores {
  let category = 0;
  let cyber = 0;
  let online = 0;
  let withOnline = 0;
  let offline = 0;
  let offlineFlagged = 0;
  const confusion: Record<string, Record<string, number>> = {};
  const misses: Scores['misses'] = [];
  for (const r of records) {
    const c = classifyRecord(r);
    const row = (confusion[r.category] ??= {});
    row[c.category] = (row[c.category] ?? 0) + 1;
    if (c.category === r.category) category++;
    if (c.cyber === labelCyber(r)) cyber++;
    if (r.online !== undefined) {
      withOnline++;
      const isOnline = r.online.length > 0;
      if (isOnline === (c.online.medium !== null)) online++;
      if (!isOnline) {
        offline++;
        if (c.online.medium !== null) offlineFlagged++;
      }
    }
    if (
      c.category !== r.category ||
      (r.online !== undefined && r.online.length > 0 !== (c.online.medium !== null))
    )
      misses.push({
        id: r.id,
        expected: `${r.category} [${(r.online ?? []).join(',')}]`,
        got: `${c.category} [${c.online.media.join(',')}]`,
        c,
      });
  }
  const pct = (a: number, b: number): number => Math.round((1000 * a) / b) / 10;
  return {
    n: records.length,
    category: pct(category, records.length),
    cyber: pct(cyber, records.length),
    online: withOnline === 0 ? null : pct(online, withOnline),
    offline,
    offlineFlagged,
    confusion,
    misses,
  };
}

/** Short column names for the confusion matrices. */
const SHORT: Record<Category, string> = {
  'hacking-social-email': 'hSoc',
  'hacking-personal': 'hPer',
  'hacking-server': 'hSrv',
  'hacking-pbx': 'hPbx',
  'hacking-extortion': 'hExt',
  malware: 'mal',
  'denial-of-service': 'dos',
  'online-shopping-fraud': 'shop',
  'investment-fraud': 'inv',
  'romance-fraud': 'rom',
  'advance-fee-fraud': 'afee',
  'impersonation-fraud': 'imp',
  'business-email-compromise': 'bec',
  'tech-support-fraud': 'tech',
  'card-account-fraud': 'card',
  sextortion: 'sext',
  'online-harassment': 'har',
  'child-sexual-abuse': 'csa',
  'phishing-attempt': 'phish',
  other: 'other',
};

export interface NamedSet {
  name: string;
  title: string;
  records: readonly LabelledRecord[];
}

/** The figures in docs/classification.md, as Markdown: a summary table and a confusion matrix per set. */
export function reportMarkdown(sets: readonly NamedSet[]): string {
  const scored = sets.map((set) => ({ set, s: score(set.records) }));
  const out: string[] = [];
  out.push('| set | records | category | cyber flag | online flag | offline records flagged online |');
  out.push('| --- | ------: | -------: | ---------: | ----------: | -----------------------------: |');
  for (const { set, s } of scored) {
    const online = s.online === null ? '–' : `${s.online.toFixed(1)}%`;
    const flagged =
      s.online === null
        ? '–'
        : `${s.offlineFlagged}/${s.offline} (${((100 * s.offlineFlagged) / Math.max(1, s.offline)).toFixed(1)}%)`;
    out.push(
      `| ${set.title} | ${s.n} | ${s.category.toFixed(1)}% | ${s.cyber === null ? '–' : `${s.cyber.toFixed(1)}%`} | ${online} | ${flagged} |`,
    );
  }
  out.push('');
  out.push(
    'Column names in the matrices: ' +
      (Object.entries(SHORT) as [Category, string][]).map(([c, short]) => `\`${short}\` ${c}`).join(', ') +
      '.',
  );
  for (const { set, s } of scored) {
    const present = (Object.keys(SHORT) as Category[]).filter(
      (c) => s.confusion[c] !== undefined || Object.values(s.confusion).some((row) => (row[c] ?? 0) > 0),
    );
    out.push('');
    out.push(`### ${set.title}: confusion matrix (rows: label, columns: classifier)`);
    out.push('');
    out.push(`| label \\ got | ${present.map((c) => SHORT[c]).join(' | ')} |`);
    out.push(`| --- | ${present.map(() => '--:').join(' | ')} |`);
    for (const actual of present) {
      const row = s.confusion[actual] ?? {};
      out.push(
        `| ${actual} | ${present
          .map((p) => {
            const n = row[p] ?? 0;
            return n === 0 ? '·' : p === actual ? `**${n}**` : String(n);
          })
          .join(' | ')} |`,
      );
    }
  }
  return out.join('\n');
}

/** Bin edges (upper bounds) of raw confidence for calibration. */
export const RAW_BINS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

/** Whether the classifier got a record right: its category, and its online element where labelled. */
export function isRight(r: LabelledRecord, c: Classification): boolean {
  return (
    c.category === r.category &&
    (r.online === undefined || r.online.length > 0 === (c.online.medium !== null))
  );
}

/**
 * The calibration table: for each raw-confidence bin, the share of records right, made monotone by pooling
 * adjacent violators; empty bins take their neighbour's value.
 */
export function calibrationTable(
  records: readonly LabelledRecord[],
  /** How each record is classified (cross-validation passes a classifier whose model never saw it). */
  classifyOne: (r: LabelledRecord) => Classification = classifyRecord,
): [number, number][] {
  const bins = RAW_BINS.map(() => ({ n: 0, right: 0 }));
  for (const r of records) {
    const c = classifyOne(r);
    const raw = c.rawConfidence ?? c.confidence;
    const i = RAW_BINS.findIndex((upTo) => raw <= upTo);
    const bin = bins[i < 0 ? bins.length - 1 : i];
    if (bin === undefined) continue;
    bin.n++;
    if (isRight(r, c)) bin.right++;
  }
  // Add-one smoothing: a bin where every record was right is not certainty (and "review below 1" reviews all).
  const rate = (b: { n: number; right: number }) => (b.right + 1) / (b.n + 2);
  // Pool adjacent violators over the non-empty bins.
  const blocks: { n: number; right: number; members: number[] }[] = [];
  bins.forEach((b, i) => {
    if (b.n === 0) return;
    blocks.push({ n: b.n, right: b.right, members: [i] });
    while (blocks.length >= 2) {
      const last = blocks[blocks.length - 1];
      const prev = blocks[blocks.length - 2];
      if (last === undefined || prev === undefined || rate(prev) <= rate(last)) break;
      blocks.splice(blocks.length - 2, 2, {
        n: prev.n + last.n,
        right: prev.right + last.right,
        members: [...prev.members, ...last.members],
      });
    }
  });
  const value = new Array<number | undefined>(RAW_BINS.length).fill(undefined);
  for (const block of blocks) for (const i of block.members) value[i] = rate(block);
  for (let i = 1; i < value.length; i++) value[i] ??= value[i - 1];
  for (let i = value.length - 2; i >= 0; i--) value[i] ??= value[i + 1];
  return RAW_BINS.map((upTo, i) => [upTo, Math.round((value[i] ?? 0.5) * 100) / 100]);
}

/** How well stated confidence matches accuracy: per bin of stated confidence, and the expected calibration error. */
export function calibrationMarkdown(sets: readonly NamedSet[]): string {
  const out = [
    '| set | records | mean confidence | share right | expected calibration error |',
    '| --- | --: | --: | --: | --: |',
  ];
  for (const set of sets) {
    const bins = new Map<number, { n: number; conf: number; right: number }>();
    let conf = 0;
    let right = 0;
    for (const r of set.records) {
      const c = classifyRecord(r);
      const ok = isRight(r, c);
      conf += c.confidence;
      if (ok) right++;
      const key = Math.min(9, Math.floor(c.confidence * 10));
      const b = bins.get(key) ?? { n: 0, conf: 0, right: 0 };
      b.n++;
      b.conf += c.confidence;
      if (ok) b.right++;
      bins.set(key, b);
    }
    const n = set.records.length;
    let ece = 0;
    for (const b of bins.values()) ece += (b.n / n) * Math.abs(b.conf / b.n - b.right / b.n);
    out.push(
      `| ${set.title} | ${n} | ${(conf / n).toFixed(2)} | ${(right / n).toFixed(2)} | ${ece.toFixed(3)} |`,
    );
  }
  return out.join('\n');
}
