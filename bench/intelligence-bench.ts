import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { extractIOC } from 'ioc-extractor';
import { sql } from 'kysely';
import { extractIndicators } from '../src/domain/indicators/extract.ts';
import type { Indicator, IndicatorType } from '../src/domain/indicators/indicator.ts';
import { scoreExtraction, type LabelledText } from '../src/domain/indicators/scoring.ts';
import type { Services } from '../src/services/index.ts';
import { percentile, type Result } from './measure.ts';

const INDICATOR_ROWS = Number(process.env.BENCH_INDICATOR_ROWS ?? 1_000_000);
const LOOKUPS = 2000;
const EXTRACT_MB = 20;

export function labelledTexts(): LabelledText[] {
  return ['labelled-dev.jsonl', 'labelled-test.jsonl'].flatMap((name) =>
    readFileSync(new URL(`../test/fixtures/indicators/${name}`, import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LabelledText),
  );
}

// ioc-extractor's output in our types; it has no phone, bank account or IBAN types.
const THEIR_TYPES: [keyof ReturnType<typeof extractIOC>, IndicatorType][] = [
  ['urls', 'url'],
  ['domains', 'domain'],
  ['ipv4s', 'ipv4'],
  ['ipv6s', 'ipv6'],
  ['emails', 'email'],
  ['btcs', 'btc-address'],
  ['eths', 'eth-address'],
  ['md5s', 'md5'],
  ['sha1s', 'sha1'],
  ['sha256s', 'sha256'],
];
const SHARED_TYPES = new Set<string>(THEIR_TYPES.map(([, ours]) => ours));

function theirs(text: string): Indicator[] {
  const found = extractIOC(text, { refang: true });
  return THEIR_TYPES.flatMap(([key, type]) => found[key].map((value) => ({ type, value })));
}

/**
 * MB/s for each extractor on the same texts. The machine is shared, so rounds alternate between the two (load
 * falls on both alike) and each is timed in CPU time of this single-threaded process, not wall time.
 */
function megabytesPerSecond(
  texts: string[],
  ours: (text: string) => unknown,
  theirs: (text: string) => unknown,
): { ours: number; theirs: number } {
  const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
  const rounds = Math.max(1, Math.ceil((EXTRACT_MB * 1024 * 1024) / bytes));
  const round = (extract: (text: string) => unknown) => {
    const start = process.cpuUsage();
    for (const t of texts) extract(t);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  };
  for (let r = 0; r < Math.min(rounds, 20); r++) {
    round(ours);
    round(theirs);
  }
  let oursSeconds = 0;
  let theirsSeconds = 0;
  for (let r = 0; r < rounds; r++) {
    oursSeconds += round(ours);
    theirsSeconds += round(theirs);
  }
  const megabytes = (bytes * rounds) / 1024 / 1024;
  return { ours: megabytes / oursSeconds, theirs: megabytes / theirsSeconds };
}

/** Extraction speed and F1 on the labelled set, ours against the ioc-extractor package on the same texts. */
export function extractionBench(): Result {
  const items = labelledTexts();
  const texts = items.map((i) => i.text);
  const ourScore = scoreExtraction(items, extractIndicators, SHARED_TYPES);
  const theirScore = scoreExtraction(items, theirs, SHARED_TYPES);
  const allTypes = scoreExtraction(items, extractIndicators);
  console.log(
    `extraction quality on ${items.length} labelled texts (types both extract): F1 ours ${ourScore.overall.f1.toFixed(3)}, ioc-extractor ${theirScore.overall.f1.toFixed(3)}; ours over all 13 types ${allTypes.overall.f1.toFixed(3)}`,
  );
  for (const type of [...SHARED_TYPES].sort()) {
    const o = ourScore.byType[type];
    const t = theirScore.byType[type];
    if (o === undefined && t === undefined) continue;
    console.log(
      `  ${type.padEnd(12)} F1 ours ${(o?.f1 ?? 0).toFixed(3)}  ioc-extractor ${(t?.f1 ?? 0).toFixed(3)}`,
    );
  }
  const speed = megabytesPerSecond(texts, extractIndicators, (t) => extractIOC(t, { refang: true }));
  return {
    name: 'indicator extraction throughput (ours vs ioc-extractor on the same texts; MB per CPU-second, rounds alternated; target ratio ≥ 2)',
    ours: { perSecond: speed.ours, unit: 'MB/s' },
    baseline: { perSecond: speed.theirs, unit: 'MB/s' },
  };
}

/**
 * Seeds a million indicators (and their report links) in PostgreSQL, then times the staff lookup
 * (indicator, its report and force counts and campaign) against a bare primary-key read of the same rows.
 */
export async function correlationBench(services: Services): Promise<Result> {
  const db = services.database.db;
  const reports = Math.max(1, Math.floor(INDICATOR_ROWS / 5));
  await sql`
    insert into reports (reference, status, source, reporter_type, category, cyber, recording_code, force_id, force_candidates,
      postcode, contact_email, loss_pence, vulnerable, ongoing, victim_support_consent, narrative, answers, created_at, updated_at)
    select 'B' || lpad(g::text, 12, '0'), 'received', 'api', 'individual', 'other', 'enabled', 'X',
      case when g % 2 = 0 then 'kent' else 'cumbria' end, '[]', null, null, 0, 0, 0, 0, 'seeded', '{}',
      '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
    from generate_series(1, ${reports}) as g`.execute(db);
  await sql`
    insert into indicators (type, value, warning_list, campaign_id, first_seen, last_seen)
    select 'domain', 'bench-' || g || '.example-scam.com', null, null, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
    from generate_series(1, ${INDICATOR_ROWS}) as g`.execute(db);
  // Each indicator seen in one or two reports.
  await sql`
    insert into report_indicators (report_id, indicator_id, source, found_in, created_at)
    select r.id, i.id, 'narrative', 'narrative', '2026-01-01T00:00:00.000Z'
    from indicators i join reports r on r.id = 1 + (i.id % ${reports})
    union all
    select r.id, i.id, 'narrative', 'narrative', '2026-01-01T00:00:00.000Z'
    from indicators i join reports r on r.id = 1 + ((i.id * 7) % ${reports})
    where i.id % 3 = 0 and 1 + ((i.id * 7) % ${reports}) <> 1 + (i.id % ${reports})`.execute(db);
  await sql`analyze`.execute(db);
  const pick = (i: number) => 1 + ((i * 7919) % INDICATOR_ROWS);
  const time = async (fn: (i: number) => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < 50; i++) await fn(i);
    const start = performance.now();
    for (let i = 0; i < LOOKUPS; i++) {
      const t0 = performance.now();
      await fn(i);
      samples.push(performance.now() - t0);
    }
    const seconds = (performance.now() - start) / 1000;
    samples.sort((a, b) => a - b);
    return { perSecond: LOOKUPS / seconds, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
  };
  // Every look-up is audited, as in production.
  const analyst = { email: 'bench@analysts.example', role: 'analyst' as const, forceId: null, unitId: null };
  const ours = await time(async (i) => {
    const summary = await services.intelligence.lookup(
      analyst,
      'domain',
      `bench-${pick(i)}.example-scam.com`,
    );
    if (summary === null || summary.reports < 1) throw new Error('lookup missed a seeded indicator');
  });
  const baseline = await time((i) =>
    db.selectFrom('indicators').selectAll().where('id', '=', pick(i)).executeTakeFirstOrThrow(),
  );
  return {
    name: `indicator lookup with ${INDICATOR_ROWS.toLocaleString('en-GB')} stored indicators (PostgreSQL; vs primary-key read)`,
    ours: { ...ours, unit: 'lookups/s' },
    baseline: { ...baseline, unit: 'reads/s' },
  };
}
